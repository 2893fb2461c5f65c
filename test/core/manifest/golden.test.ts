import { readFileSync } from "node:fs";
import { join } from "node:path";
import { diffLines } from "diff";
import { describe, expect, it } from "vitest";
import { GOLDEN_CASES } from "./golden-cases.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/patchers");

function read(patcher: string, name: string, side: "in" | "out", ext: string): string {
  return readFileSync(join(FIXTURES, patcher, `${name}.${side}.${ext}`), "utf8");
}

describe("patchers: golden in/out pairs (comments, order, quoting and style survive)", () => {
  it.each(GOLDEN_CASES.map((c) => [`${c.patcher}/${c.name}`, c] as const))("%s", (_label, c) => {
    const input = read(c.patcher, c.name, "in", c.ext);
    const expected = read(c.patcher, c.name, "out", c.ext);
    expect(c.run(input, `${c.name}.in.${c.ext}`)).toEqual({ ok: true, text: expected, changed: true });
  });

  it.each(GOLDEN_CASES.filter((c) => c.idempotent).map((c) => [`${c.patcher}/${c.name}`, c] as const))(
    "%s: running again on the output changes nothing",
    (_label, c) => {
      const expected = read(c.patcher, c.name, "out", c.ext);
      expect(c.run(expected, `${c.name}.out.${c.ext}`)).toEqual({ ok: true, text: expected, changed: false });
    },
  );

  it.each(GOLDEN_CASES.map((c) => [`${c.patcher}/${c.name}`, c] as const))(
    "%s: only the changed lines differ",
    (_label, c) => {
      const input = read(c.patcher, c.name, "in", c.ext);
      const output = read(c.patcher, c.name, "out", c.ext);
      const removed = diffLines(input, output)
        .filter((part) => part.removed)
        .reduce((n, part) => n + (part.count ?? 0), 0);
      expect(removed).toBe(c.changedLines);
    },
  );
});
