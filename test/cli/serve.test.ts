import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;
const ENTRY =
  "import('./src/cli/main.ts').then(async (m) => { process.exitCode = await m.main(process.argv.slice(1)); })";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Runs `medic ARGS` from the sources as its own process (the way `npm start` runs it). */
function medic(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "-e", ENTRY, "--", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return { child, out: () => stdout, err: () => stderr };
}

describe("medic serve", () => {
  it.each([
    [{ NODE_ENV: "production" }, "medic serve: WEBHOOK_SECRET is required in production"],
    [
      { NODE_ENV: "production", WEBHOOK_SECRET: "development", APP_ID: "1", PRIVATE_KEY_PATH: "/x" },
      'medic serve: WEBHOOK_SECRET must not be "development" in production',
    ],
    [
      { NODE_ENV: "production", WEBHOOK_SECRET: "too-short", APP_ID: "1", PRIVATE_KEY_PATH: "/x" },
      "medic serve: WEBHOOK_SECRET must be at least 32 bytes in production",
    ],
    [
      { PRIVATE_KEY_PATH: "/nonexistent/key.pem" },
      "medic serve: PRIVATE_KEY_PATH /nonexistent/key.pem cannot be read (ENOENT)",
    ],
    [
      { PRIVATE_KEY: "not-a-key-value" },
      "medic serve: PRIVATE_KEY is not a PEM private key (expected -----BEGIN … PRIVATE KEY-----)",
    ],
    [{ PORT: "http" }, "medic serve: PORT Invalid input: expected number, received NaN"],
  ])("refuses to start with %j", async (env, message) => {
    const run = medic(["serve"], env);
    const [code] = await once(run.child, "exit");
    expect(code).toBe(2);
    expect(run.err().trim()).toBe(message);
    expect(run.err()).not.toContain("not-a-key-value");
  });

  it("serves /healthz, then drains and exits 0 on SIGTERM", async () => {
    const port = await freePort();
    const run = medic(["serve"], { PORT: String(port), HOST: "127.0.0.1", APP_ID: "1", LOG_LEVEL: "info" });
    let healthy = false;
    for (let i = 0; i < 100 && !healthy; i++) {
      healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (!healthy) await new Promise((r) => setTimeout(r, 100));
    }
    expect(healthy).toBe(true);
    run.child.kill("SIGTERM");
    const [code] = await once(run.child, "exit");
    expect(code).toBe(0);
    expect(run.out()).toContain('"msg":"shutting down"');
  });
});
