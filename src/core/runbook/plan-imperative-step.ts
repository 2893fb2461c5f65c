import type { PlannedImperativeStep } from "../plan/remediation-plan.js";
import type { PlanFacts } from "./plan-facts.js";
import { type ImperativeStep, STEP_RISK } from "./runbook.js";
import { isDns1123Label, isDns1123Subdomain } from "./validate-parameter.js";

export type PlanImperativeResult =
  | { ok: true; step: PlannedImperativeStep; evidence: string[]; flagged: string[] }
  | { ok: false; reason: string };

/**
 * Resolves an imperative step's inputs and describes it (with the kubectl equivalent, so a person can run
 * it by hand if the bot may not). Nothing runs here: execution waits for the approval gate.
 */
export function planImperativeStep(
  step: ImperativeStep,
  input: Record<string, string>,
  facts: PlanFacts,
): PlanImperativeResult {
  const risk = STEP_RISK[step.imperative];
  const evidence: string[] = [];
  const flagged: string[] = [];
  switch (step.imperative) {
    case "cordon":
    case "uncordon":
    case "drain": {
      const node = input["node"] ?? "";
      if (!isDns1123Subdomain(node))
        return { ok: false, reason: `step "${step.id}": with.node "${node}" is not a node name` };
      if (step.imperative === "cordon") {
        if (facts.node?.unschedulable) evidence.push(`node ${node} is already cordoned (spec.unschedulable)`);
        return ok(
          step,
          risk,
          { node },
          `mark node ${node} unschedulable (kubectl cordon ${node})`,
          evidence,
          flagged,
        );
      }
      if (step.imperative === "uncordon") {
        return ok(
          step,
          risk,
          { node },
          `make node ${node} schedulable again (kubectl uncordon ${node})`,
          evidence,
          flagged,
        );
      }
      const grace = String(input["gracePeriodSeconds"] ?? "120");
      if (!/^\d{1,5}$/.test(grace))
        return { ok: false, reason: `step "${step.id}": with.gracePeriodSeconds must be a number` };
      const evicted = facts.nodePods.filter((p) => !p.owners.some((o) => o.kind === "DaemonSet"));
      if (facts.clusterKnown) {
        evidence.push(
          `draining ${node} evicts ${evicted.length} pod(s)${
            evicted.length > 0
              ? `: ${evicted
                  .slice(0, 10)
                  .map((p) => `${p.namespace}/${p.name}`)
                  .join(", ")}${evicted.length > 10 ? ", …" : ""}`
              : ""
          }`,
        );
        const others = facts.nodes.filter(
          (n) =>
            n.name !== node &&
            !n.unschedulable &&
            n.conditions.some((c) => c.type === "Ready" && c.status === "True") &&
            !n.taints.some((t) => t.effect === "NoSchedule" && t.key.includes("control-plane")),
        );
        evidence.push(`${others.length} other Ready schedulable worker(s) can take the evicted pods`);
        if (others.length === 0)
          flagged.push(`no other Ready schedulable worker: draining ${node} would leave its pods pending`);
      }
      return ok(
        step,
        risk,
        { node, gracePeriodSeconds: grace },
        `evict the pods of node ${node}, respecting PodDisruptionBudgets (kubectl drain ${node} --ignore-daemonsets --delete-emptydir-data --grace-period=${grace})`,
        evidence,
        flagged,
      );
    }
    case "rollout-restart":
    case "rollout-abort":
    case "rollout-retry":
    case "rollout-promote": {
      const namespace = input["namespace"] ?? "";
      const name = input["name"] ?? "";
      const kind = input["kind"] ?? (step.imperative === "rollout-restart" ? "Deployment" : "Rollout");
      if (!isDns1123Label(namespace) || !isDns1123Subdomain(name)) {
        return {
          ok: false,
          reason: `step "${step.id}": with.namespace and with.name must be DNS-1123 names`,
        };
      }
      if (!["Deployment", "StatefulSet", "DaemonSet", "Rollout"].includes(kind)) {
        return { ok: false, reason: `step "${step.id}": with.kind "${kind}" cannot be restarted` };
      }
      if (step.imperative !== "rollout-restart" && kind !== "Rollout") {
        return {
          ok: false,
          reason: `step "${step.id}": ${step.imperative} needs an Argo Rollout, not a ${kind}`,
        };
      }
      const verb = step.imperative.replace("rollout-", "");
      const cmd =
        kind === "Rollout"
          ? `kubectl argo rollouts ${verb} ${name} -n ${namespace}`
          : `kubectl rollout restart ${kind.toLowerCase()}/${name} -n ${namespace}`;
      return ok(
        step,
        risk,
        { namespace, kind, name },
        `${verb} ${kind} ${namespace}/${name} (${cmd})`,
        evidence,
        flagged,
      );
    }
  }
}

function ok(
  step: ImperativeStep,
  risk: PlannedImperativeStep["risk"],
  target: Record<string, string>,
  description: string,
  evidence: string[],
  flagged: string[],
): PlanImperativeResult {
  return {
    ok: true,
    step: { id: step.id, action: step.imperative, target, risk, description },
    evidence,
    flagged,
  };
}
