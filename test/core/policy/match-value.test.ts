import { describe, expect, it } from "vitest";
import { matchValue } from "../../../src/core/policy/match-value.js";

describe("matchValue (Kyverno leaf patterns)", () => {
  it.each([
    // wildcards
    ["nginx:1.2", "*:*", true],
    ["nginx", "*:*", false],
    ["nginx:latest", "!*:latest", false],
    ["nginx:1.2", "!*:latest", true],
    ["abc", "a?c", true],
    ["abbc", "a?c", false],
    ["", "?*", false],
    ["x", "?*", true],
    [5, "*", true],
    // alternatives and conjunctions
    ["ghcr.io/acme/web:1", "registry.example.com/* | ghcr.io/acme/*", true],
    ["docker.io/web:1", "registry.example.com/* | ghcr.io/acme/*", false],
    [5, ">1 & <10", true],
    [10, ">1 & <10", false],
    // numeric operators
    [3, ">2", true],
    [2, ">2", false],
    [2, ">=2", true],
    [2, "<=2", true],
    [3, "<3", false],
    ["3", ">2", true],
    [3, "!3", false],
    [4, "!3", true],
    // a missing value compares as 0 (Kyverno's convertNumberToString)
    [undefined, "<5", true],
    [undefined, ">0", false],
    // quantities
    ["1Gi", "<=1024Mi", true],
    ["1025Mi", "<=1Gi", false],
    ["500m", "<1", true],
    ["2", ">1500m", true],
    ["1Ti", "<=500Gi", false],
    ["1e3", "1k", true],
    // durations (compared before quantities)
    ["90s", ">1m", true],
    ["30s", ">1m", false],
    ["1h30m", "<=2h", true],
    // ranges
    [5, "1-10", true],
    [0, "1-10", false],
    [10, "1-10", true],
    [11, "1-10", false],
    ["2Gi", "1Gi-4Gi", true],
    [0, "1!-10", true],
    [5, "1!-10", false],
    [11, "1!-10", true],
    // operators are not applicable to strings
    ["abc", ">1", false],
    // typed patterns
    [true, true, true],
    ["true", true, false],
    [false, "false", true],
    [true, "false", false],
    [3, 3, true],
    ["3", 3, true],
    [3.5, 3, false],
    // null pattern matches zero values
    [null, null, true],
    [0, null, true],
    ["", null, true],
    [false, null, true],
    ["x", null, false],
    [{}, null, false],
    // a map pattern at a leaf only checks the type
    [{ a: 1 }, { b: 2 }, true],
    ["a", { b: 2 }, false],
  ])("%j against %j ⇒ %s", (value, pattern, expected) => {
    expect(matchValue(value, pattern)).toBe(expected);
  });
});
