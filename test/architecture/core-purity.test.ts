import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// The lint rule forbids I/O imports in src/core; this test also catches the clock and randomness,
// which no lint rule covers: the core gets time passed in, so its results are reproducible.
const FORBIDDEN: [RegExp, string][] = [
  [/\bDate\.now\(/, "Date.now()"],
  [/new Date\(\)/, "new Date() without an argument"],
  [/\bMath\.random\(/, "Math.random()"],
  [/\bprocess\.(env|argv|cwd|exit)\b/, "process state"],
  [/from "(node:)?(fs|fs\/promises|child_process|http|https|net)"/, "an I/O module"],
  [/from "(probot|@octokit\/[^"]+|octokit|@kubernetes\/client-node|ioredis)"/, "an I/O client"],
];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("src/core stays pure", () => {
  const root = join(import.meta.dirname, "../../src/core");
  const files = walk(root);
  it("has modules to check", () => {
    expect(files.length).toBeGreaterThan(3);
  });
  it.each(files.map((f) => [relative(root, f), f]))("%s has no I/O, clock or randomness", (_name, file) => {
    const text = readFileSync(file, "utf8");
    const hits = FORBIDDEN.filter(([re]) => re.test(text)).map(([, what]) => what);
    expect(hits).toEqual([]);
  });
});
