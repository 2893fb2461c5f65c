import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildChange } from "../../../src/core/plan/build-change.js";
import { buildRequiredApprovals } from "../../../src/core/plan/build-required-approvals.js";
import { classifyPlanRisk } from "../../../src/core/plan/classify-plan-risk.js";
import { hashPlan, stableStringify } from "../../../src/core/plan/hash-plan.js";
import type { PlannedImperativeStep, RemediationPlan } from "../../../src/core/plan/remediation-plan.js";
import { renderPlanText } from "../../../src/core/plan/render-plan-text.js";
import { sha256Hex } from "../../../src/core/plan/sha256-hex.js";

describe("sha256Hex (pure) agrees with node:crypto", () => {
  it.each(["", "abc", "a".repeat(55), "a".repeat(56), "a".repeat(64), "ü€😀 plan", "x".repeat(100_000)])(
    "%#",
    (text) => {
      expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
    },
  );
});

const drain: PlannedImperativeStep = {
  id: "drain",
  action: "drain",
  target: { node: "worker-2" },
  risk: "destructive",
  description: "evict the pods of node worker-2",
};

function planOf(over: Partial<RemediationPlan> = {}): RemediationPlan {
  const change = buildChange({
    path: "a.yaml",
    before: "x: 1\n",
    after: "x: 2\n",
    step: "s",
    summary: "x 1 → 2",
  });
  return {
    incidentKey: "A/b",
    runbook: { id: "r", version: "1.0.0", file: "runbooks/r.yaml", origin: "bundled" },
    target: "Deployment shop/checkout",
    parameters: {},
    changes: [change],
    steps: [],
    risk: { level: "safe", reasons: [] },
    approvals: { securityApproval: false, count: 0, beforeImperativeSteps: false, reasons: [] },
    evidence: [{ source: "cluster", label: "l", detail: "d" }],
    suggestions: [],
    undo: [],
    baseRevision: "abc",
    ...over,
  };
}

describe("buildChange", () => {
  it("makes a unified diff with a/ and b/ prefixes, and /dev/null for a new file", () => {
    expect(
      buildChange({ path: "a.yaml", before: "x: 1\n", after: "x: 2\n", step: "s", summary: "" }).diff,
    ).toBe("--- a/a.yaml\n+++ b/a.yaml\n@@ -1,1 +1,1 @@\n-x: 1\n+x: 2\n");
    expect(buildChange({ path: "n.yaml", before: null, after: "y: 1\n", step: "s", summary: "" }).diff).toBe(
      "--- /dev/null\n+++ b/n.yaml\n@@ -0,0 +1,1 @@\n+y: 1\n",
    );
  });
});

describe("hashPlan", () => {
  it("is a stable sha-256 of the normalised plan: evidence wording and key order do not matter", () => {
    const a = planOf();
    const b = planOf({ evidence: [{ source: "cluster", label: "other", detail: "reworded" }] });
    expect(hashPlan(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashPlan(a)).toBe(hashPlan(b));
    expect(stableStringify({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
  it("changes when the change, a step or the runbook version changes", () => {
    const base = hashPlan(planOf());
    expect(hashPlan(planOf({ steps: [drain] }))).not.toBe(base);
    expect(
      hashPlan(planOf({ runbook: { id: "r", version: "1.0.1", file: "f", origin: "bundled" } })),
    ).not.toBe(base);
    const other = buildChange({ path: "a.yaml", before: "x: 1\n", after: "x: 3\n", step: "s", summary: "" });
    expect(hashPlan(planOf({ changes: [other] }))).not.toBe(base);
  });
});

describe("classifyPlanRisk", () => {
  const change = (path: string, after = "x: 2\n") =>
    buildChange({ path, before: "x: 1\n", after, step: "s", summary: "" });
  it.each([
    ["safe runbook, plain change", "safe", [change("apps/a.yaml")], [], [], "safe", []],
    [
      "declared destructive",
      "destructive",
      [change("apps/a.yaml")],
      [],
      [],
      "destructive",
      ["runbook r is declared destructive"],
    ],
    [
      "a drain step",
      "safe",
      [],
      [drain],
      [],
      "destructive",
      ['imperative step "drain" (drain) is destructive: evict the pods of node worker-2'],
    ],
    [
      "guardrail file",
      "safe",
      [change(".github/medic.yml")],
      [],
      [],
      "destructive",
      [".github/medic.yml holds the bot's own guardrails (config, runbooks, policies or CODEOWNERS)"],
    ],
    [
      "CODEOWNERS",
      "safe",
      [change(".github/CODEOWNERS")],
      [],
      [],
      "destructive",
      [".github/CODEOWNERS holds the bot's own guardrails (config, runbooks, policies or CODEOWNERS)"],
    ],
    [
      "emptied file",
      "safe",
      [change("apps/a.yaml", "")],
      [],
      [],
      "destructive",
      ["apps/a.yaml would be emptied"],
    ],
    [
      "flagged by an action",
      "safe",
      [change("apps/a.yaml")],
      [],
      ["replicas drop by 75%"],
      "destructive",
      ["replicas drop by 75%"],
    ],
  ] as const)("%s ⇒ %s", (_n, declared, changes, steps, flagged, level, reasons) => {
    const risk = classifyPlanRisk({
      runbookId: "r",
      declared,
      changes: [...changes],
      steps: [...steps],
      flagged: [...flagged],
    });
    expect(risk.level).toBe(level);
    if (level === "destructive") expect(risk.reasons).toEqual(reasons);
  });
});

describe("buildRequiredApprovals", () => {
  it("destructive ⇒ security approval; safe with imperative steps ⇒ one approval first; safe ⇒ normal review", () => {
    expect(buildRequiredApprovals({ level: "destructive", reasons: [] }, [drain], 2)).toMatchObject({
      securityApproval: true,
      count: 2,
      beforeImperativeSteps: true,
    });
    expect(
      buildRequiredApprovals(
        { level: "safe", reasons: [] },
        [{ ...drain, action: "cordon", risk: "safe" }],
        2,
      ),
    ).toMatchObject({
      securityApproval: false,
      count: 1,
      beforeImperativeSteps: true,
    });
    expect(buildRequiredApprovals({ level: "safe", reasons: [] }, [], 2)).toEqual({
      securityApproval: false,
      count: 0,
      beforeImperativeSteps: false,
      reasons: ["safe: normal review applies"],
    });
  });
});

describe("renderPlanText", () => {
  it("lays out the plan with its diff", () => {
    const text = renderPlanText(
      planOf({ steps: [drain], suggestions: [{ title: "T", body: "B" }], undo: ["U"] }),
    );
    expect(text).toContain("runbook:   r 1.0.0 (bundled: runbooks/r.yaml)\n");
    expect(text).toContain("  M a.yaml — x 1 → 2\n");
    expect(text).toContain(
      "imperative steps (run only after approval):\n  drain [destructive]: evict the pods of node worker-2\n",
    );
    expect(text).toContain("suggestions (not applied):\n  * T\n      B\n");
    expect(text).toContain("diff:\n--- a/a.yaml\n+++ b/a.yaml\n");
  });
});
