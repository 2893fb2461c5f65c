import { describe, expect, it } from "vitest";
import {
  buildPolicyCheck,
  CHECK_TEXT_LIMIT,
  MAX_ANNOTATIONS,
} from "../../../src/core/policy/build-policy-check.js";
import type { Evaluation } from "../../../src/core/policy/evaluate-policies.js";

const ev = (i: number, over: Partial<Evaluation> = {}): Evaluation => ({
  policy: "p",
  rule: "r",
  resource: { apiVersion: "v1", kind: "Pod", namespace: "ns", name: `pod-${i}` },
  file: `f${i}.yaml`,
  documentIndex: 0,
  line: i + 1,
  column: 3,
  result: "fail",
  message: `${"x".repeat(300)} <b>@team | ${i}`,
  action: "Enforce",
  ...over,
});

const base = { yamlErrors: [], notes: [], filesChecked: 1, filesSkipped: [], policyCount: 1 };

describe("buildPolicyCheck", () => {
  it.each([
    ["failure for Enforce", [ev(0)], "failure"],
    ["failure for an error (fail closed)", [ev(0, { result: "error" })], "failure"],
    ["neutral for Audit only", [ev(0, { action: "Audit" })], "neutral"],
    ["neutral for warn", [ev(0, { result: "warn" })], "neutral"],
    ["success for passes and skips", [ev(0, { result: "pass" }), ev(1, { result: "skip" })], "success"],
  ] as const)("%s", (_n, evaluations, conclusion) => {
    expect(buildPolicyCheck({ ...base, evaluations: [...evaluations] }).conclusion).toBe(conclusion);
  });

  it("keeps the summary under GitHub's 65,535 characters and caps annotations", () => {
    const evaluations = Array.from({ length: 2000 }, (_, i) => ev(i));
    const out = buildPolicyCheck({ ...base, evaluations });
    expect(out.summary.length).toBeLessThanOrEqual(CHECK_TEXT_LIMIT);
    expect(out.summary).toMatch(/\| … \| \d+ more findings not shown \|/);
    expect(out.summary).toContain(`Showing the first ${MAX_ANNOTATIONS} of 2000 annotations.`);
    expect(out.annotations).toHaveLength(MAX_ANNOTATIONS);
  });

  it("escapes table cells: no HTML, no mentions, no broken rows", () => {
    const out = buildPolicyCheck({ ...base, evaluations: [ev(0)] });
    expect(out.summary).toContain("&lt;b>@\u200bteam \\| 0");
  });

  it("annotates invalid YAML as a failure", () => {
    const out = buildPolicyCheck({
      ...base,
      evaluations: [],
      yamlErrors: [{ file: "a.yaml", line: 4, message: "bad" }],
    });
    expect(out.conclusion).toBe("failure");
    expect(out.annotations).toEqual([
      { path: "a.yaml", startLine: 4, endLine: 4, level: "failure", title: "Invalid YAML", message: "bad" },
    ]);
  });
});
