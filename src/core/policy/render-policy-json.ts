import type { Evaluation } from "./evaluate-policies.js";
import { type PolicySummary, summarizeEvaluations } from "./summarize-evaluations.js";

/** The `medic policy check --format json` document: every evaluation, then the counts. */
export interface PolicyJsonReport {
  results: {
    policy: string;
    rule: string;
    resource: { apiVersion: string; kind: string; namespace: string; name: string };
    file: string;
    line: number;
    result: Evaluation["result"];
    message: string;
  }[];
  summary: PolicySummary;
}

export function renderPolicyJson(evaluations: Evaluation[]): PolicyJsonReport {
  return {
    results: evaluations.map((e) => ({
      policy: e.policy,
      rule: e.rule,
      resource: {
        apiVersion: e.resource.apiVersion,
        kind: e.resource.kind,
        namespace: e.resource.namespace,
        name: e.resource.name,
      },
      file: e.file,
      line: e.line,
      result: e.result,
      message: e.message,
    })),
    summary: summarizeEvaluations(evaluations),
  };
}
