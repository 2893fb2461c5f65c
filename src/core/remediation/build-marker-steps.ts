import type { RemediationMarker } from "../approval/remediation-marker.js";
import type { PlannedImperativeStep } from "../plan/remediation-plan.js";

/**
 * The plan's imperative steps as the remediation marker declares them, in plan order: node steps as
 * `node/NAME`, workload steps as `Kind/namespace/name` — the form the rollout handler resolves after the
 * merge (`resolveDeclaredStep`). A step whose target cannot be written that way throws: a marker that
 * silently dropped a planned drain would merge a PR whose steps never run.
 */
export function buildMarkerSteps(
  steps: readonly PlannedImperativeStep[],
): NonNullable<RemediationMarker["steps"]> {
  return steps.map((s) => {
    const t = s.target;
    if (t["node"] !== undefined) return { kind: s.action, target: `node/${t["node"]}` };
    if (t["kind"] !== undefined && t["namespace"] !== undefined && t["name"] !== undefined)
      return { kind: s.action, target: `${t["kind"]}/${t["namespace"]}/${t["name"]}` };
    throw new Error(`imperative step "${s.id}" (${s.action}) has no node or kind/namespace/name target`);
  });
}
