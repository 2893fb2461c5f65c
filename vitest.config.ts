import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Two cores on CI: keep the worker count honest so timing-sensitive server tests do not starve.
    maxWorkers: 2,
  },
});
