import type { Evaluation, PolicyResultKind } from "./evaluate-policies.js";
import type { ExpectedResult } from "./parse-kyverno-test.js";

/** One expected (policy, rule, resource) compared with what the engine produced. */
export interface TestCaseOutcome {
  policy: string;
  rule: string;
  resource: string;
  kind?: string;
  expected: PolicyResultKind;
  /** What the engine said; `not matched` when the rule produced nothing for that resource. */
  actual: PolicyResultKind | "not matched";
  ok: boolean;
  /** The engine's message, to explain a mismatch. */
  message?: string;
}

/**
 * Compares a test file's expected results with engine evaluations, like `kyverno test`. A resource the rule
 * does not match counts as `skip` (Kyverno does not apply the rule to it).
 */
export function checkKyvernoTest(expected: ExpectedResult[], evaluations: Evaluation[]): TestCaseOutcome[] {
  const out: TestCaseOutcome[] = [];
  for (const exp of expected) {
    const policyName = exp.policy.includes("/") ? exp.policy.slice(exp.policy.indexOf("/") + 1) : exp.policy;
    for (const resName of exp.resources) {
      const slash = resName.indexOf("/");
      const ns = slash >= 0 ? resName.slice(0, slash) : exp.namespace;
      const name = slash >= 0 ? resName.slice(slash + 1) : resName;
      const hits = evaluations.filter(
        (e) =>
          e.policy === policyName &&
          e.rule === exp.rule &&
          e.resource.name === name &&
          (!exp.kind || e.resource.kind === exp.kind) &&
          (ns === undefined ||
            e.resource.namespace === ns ||
            (ns === "default" && e.resource.namespace === "")),
      );
      const row: TestCaseOutcome = {
        policy: exp.policy,
        rule: exp.rule,
        resource: resName,
        expected: exp.result,
        actual: "not matched",
        ok: exp.result === "skip" && hits.length === 0,
      };
      if (exp.kind) row.kind = exp.kind;
      const wrong = hits.find((h) => h.result !== exp.result);
      const shown = wrong ?? hits[0];
      if (shown) {
        row.actual = shown.result;
        row.ok = !wrong;
        row.message = shown.message;
      }
      out.push(row);
    }
  }
  return out;
}
