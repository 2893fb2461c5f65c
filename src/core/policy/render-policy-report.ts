import type { Evaluation } from "./evaluate-policies.js";
import { summarizeEvaluations } from "./summarize-evaluations.js";

/**
 * A `wgpolicyk8s.io/v1alpha2` PolicyReport (the resource Kyverno writes) with one result per evaluation.
 * `nowMs` is passed in so the core stays deterministic.
 */
export function renderPolicyReport(
  evaluations: Evaluation[],
  opts: { nowMs: number; name?: string },
): Record<string, unknown> {
  const seconds = Math.floor(opts.nowMs / 1000);
  return {
    apiVersion: "wgpolicyk8s.io/v1alpha2",
    kind: "PolicyReport",
    metadata: {
      name: opts.name ?? "gitops-medic-policy-check",
      labels: { "app.kubernetes.io/managed-by": "gitops-medic" },
    },
    summary: (({ pass, fail, warn, error, skip }) => ({ pass, fail, warn, error, skip }))(
      summarizeEvaluations(evaluations),
    ),
    results: evaluations.map((e) => {
      const r: Record<string, unknown> = {
        source: "kyverno",
        policy: e.policyNamespace ? `${e.policyNamespace}/${e.policy}` : e.policy,
        rule: e.rule,
        result: e.result,
        message: e.message,
        scored: true,
        timestamp: { seconds, nanos: 0 },
        resources: [
          {
            apiVersion: e.resource.apiVersion,
            kind: e.resource.kind,
            name: e.resource.name,
            ...(e.resource.namespace ? { namespace: e.resource.namespace } : {}),
          },
        ],
        properties: { file: e.file, line: String(e.line), action: e.action },
      };
      if (e.severity) r.severity = e.severity;
      if (e.category) r.category = e.category;
      return r;
    }),
  };
}
