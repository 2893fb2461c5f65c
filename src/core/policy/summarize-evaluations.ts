import type { Evaluation, PolicyResultKind } from "./evaluate-policies.js";

export type PolicySummary = Record<PolicyResultKind, number>;

/** Counts per result, always with all five keys. */
export function summarizeEvaluations(evaluations: Evaluation[]): PolicySummary {
  const s: PolicySummary = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
  for (const e of evaluations) s[e.result]++;
  return s;
}

/** Whether a finding blocks: an Enforce failure, or an error (fail closed: a rule that could not run). */
export function isBlocking(e: Evaluation): boolean {
  return (e.result === "fail" && e.action === "Enforce") || e.result === "error";
}
