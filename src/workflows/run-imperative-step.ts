import type { AuditRecordInput } from "../core/audit/audit-record.js";
import type { PlannedImperativeStep } from "../core/plan/remediation-plan.js";
import type { Clock } from "./ports/clock.js";
import type { Logger } from "./ports/logger.js";
import { ClusterFault, type ClusterOperations, type Scheduler } from "./ports/rollout-watch.js";

/** A drain retries evictions a PodDisruptionBudget refused this many times before giving up. */
const MAX_DRAIN_ROUNDS = 10;
const DRAIN_RETRY_MS = 30_000;

/** What the approval gate said about the step's PR or incident (from the approval workflow). */
export interface StepGate {
  /** Every required approval is there (at the head SHA that merged). */
  satisfied: boolean;
  /** A security code owner approved (drain, abort, promote: destructive steps). */
  securityApproved: boolean;
  /** The gate's own words, for refusals and the audit record. */
  summary: string;
}

export interface RunImperativeStepDeps {
  /** Null when no cluster is configured (the step is refused, with the kubectl line to run by hand). */
  ops: ClusterOperations | null;
  /** Writes the audit record (the audit queue / ledger). */
  audit(record: AuditRecordInput): Promise<void>;
  /** Locks, de-duplication and budgets are healthy (Redis up): destructive steps need them. */
  coordinationHealthy(): Promise<boolean>;
  /** Print instead of act. */
  dryRun: boolean;
  /** Where drain retries are scheduled. */
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
  actor: { kind: "bot" | "user"; login: string };
}

export interface RunImperativeStepInput {
  step: PlannedImperativeStep;
  gate: StepGate;
  incidentKey?: string;
  subject?: { repo: string; number: number };
  deliveryId?: string;
}

type Done = { status: "ok"; lines: string[] } | { status: "pending"; lines: string[]; remaining: string[] };

export type RunImperativeStepResult =
  | { status: "ok" | "dry-run"; lines: string[] }
  /** A drain whose evictions a PodDisruptionBudget refused: retried later, the pods stay. */
  | { status: "pending"; lines: string[]; remaining: string[] }
  | { status: "refused" | "failed"; reason: string; lines: string[] };

/**
 * Runs one imperative runbook step (cordon, uncordon, drain, rollout restart, Argo Rollouts abort / retry
 * / promote) through the Kubernetes API. Steps:
 * 1. refuse unless the approval gate is satisfied — and, for destructive steps, a security code owner
 *    approved and the coordination store is healthy (a destructive step must never run twice);
 * 2. in dry-run mode, print what would be done;
 * 3. act; a drain cordons, then evicts (never deletes) every pod but DaemonSet and mirror pods — a 429
 *    from the Eviction API (a PodDisruptionBudget) leaves the pod and is retried later;
 * 4. write one audit record per run, whatever the outcome.
 */
export async function runImperativeStep(
  deps: RunImperativeStepDeps,
  input: RunImperativeStepInput,
): Promise<RunImperativeStepResult> {
  const { step, gate } = input;
  const t = step.target;
  const record = async (status: "ok" | "refused" | "failed" | "skipped", detail: string) => {
    try {
      await deps.audit({
        v: 1,
        at: new Date(deps.clock.now()).toISOString(),
        actor: deps.actor,
        action: `imperative.${step.action}`,
        reason: step.description,
        ...(input.deliveryId ? { deliveryId: input.deliveryId } : {}),
        ...(input.incidentKey ? { incidentKey: input.incidentKey } : {}),
        ...(input.subject
          ? {
              subject: {
                kind: "pull_request" as const,
                repo: input.subject.repo,
                number: input.subject.number,
              },
            }
          : {}),
        inputs: { ...t, risk: step.risk, gate: gate.summary, dryRun: deps.dryRun },
        outcome: { status, detail: detail.slice(0, 2000) },
      });
    } catch (err) {
      deps.logger.error(
        { step: step.id, error: (err as Error).message },
        "audit record for an imperative step failed",
      );
    }
  };
  const refuse = async (reason: string) => {
    await record("refused", reason);
    deps.logger.warn({ step: step.id, action: step.action, reason }, "imperative step refused");
    const out: RunImperativeStepResult = {
      status: "refused",
      reason,
      lines: [`refused: ${reason}`, `by hand: ${step.description}`],
    };
    return out;
  };

  // 1. Gates.
  if (!gate.satisfied) return refuse(`the approval gate is not satisfied (${gate.summary})`);
  if (step.risk === "destructive") {
    if (!gate.securityApproved)
      return refuse(`${step.action} is destructive and needs a security code owner's approval`);
    if (!(await deps.coordinationHealthy()))
      return refuse(
        "coordination (locks, de-duplication) is unhealthy: destructive steps are blocked until it recovers",
      );
  }
  // 2. Dry run.
  const plan = describe(step);
  if (deps.dryRun) {
    await record("skipped", `dry run: ${plan}`);
    return { status: "dry-run", lines: [`dry run: would ${plan}`] };
  }
  if (!deps.ops) return refuse("no Kubernetes cluster is configured");

  // 3. Act.
  try {
    const lines = await act(deps, deps.ops, step);
    if (lines.status === "pending") {
      await record("ok", `${lines.lines.join("; ")} (evictions pending: ${lines.remaining.join(", ")})`);
      return lines;
    }
    await record("ok", lines.lines.join("; "));
    return lines;
  } catch (err) {
    const reason = err instanceof ClusterFault ? err.message : `unexpected: ${(err as Error).message}`;
    await record("failed", reason);
    deps.logger.error({ step: step.id, action: step.action, reason }, "imperative step failed");
    return { status: "failed", reason, lines: [`failed: ${reason}`] };
  }
}

function describe(step: PlannedImperativeStep): string {
  const t = step.target;
  switch (step.action) {
    case "cordon":
      return `cordon node ${t["node"]}`;
    case "uncordon":
      return `uncordon node ${t["node"]}`;
    case "drain":
      return `drain node ${t["node"]} (evictions, grace ${t["gracePeriodSeconds"] ?? "120"} s)`;
    case "rollout-restart":
      return `restart ${t["kind"] ?? "Deployment"} ${t["namespace"]}/${t["name"] ?? t["workload"]}`;
    default:
      return `${step.action.replace("rollout-", "")} Rollout ${t["namespace"]}/${t["name"] ?? t["rollout"] ?? t["workload"]}`;
  }
}

async function act(
  deps: RunImperativeStepDeps,
  ops: ClusterOperations,
  step: PlannedImperativeStep,
): Promise<Done> {
  const t = step.target;
  const node = t["node"] ?? "";
  const ns = t["namespace"] ?? "";
  const name = t["name"] ?? t["rollout"] ?? t["workload"] ?? "";
  switch (step.action) {
    case "cordon":
    case "uncordon":
      await ops.setUnschedulable(node, step.action === "cordon");
      return {
        status: "ok",
        lines: [`node ${node} ${step.action === "cordon" ? "cordoned" : "uncordoned"}`],
      };
    case "drain":
      return drain(deps, ops, node, Number(t["gracePeriodSeconds"] ?? "120"), 1);
    case "rollout-restart": {
      const kind = t["kind"] ?? "Deployment";
      await ops.restartWorkload(kind, ns, name, new Date(deps.clock.now()).toISOString());
      return { status: "ok", lines: [`${kind} ${ns}/${name} restarted`] };
    }
    case "rollout-abort":
    case "rollout-retry":
    case "rollout-promote": {
      const op =
        step.action === "rollout-abort"
          ? "abort"
          : step.action === "rollout-retry"
            ? "retry"
            : t["full"] === "true"
              ? "promote-full"
              : "promote";
      await ops.patchRollout(ns, name, op);
      return { status: "ok", lines: [`Rollout ${ns}/${name}: ${op} requested`] };
    }
    default:
      throw new Error(`unknown imperative step ${step.action}`);
  }
}

async function drain(
  deps: RunImperativeStepDeps,
  ops: ClusterOperations,
  node: string,
  grace: number,
  round: number,
): Promise<Done> {
  await ops.setUnschedulable(node, true);
  const pods = (await ops.listPodsOnNode(node)).filter(
    (p) => !p.mirror && !p.ownerKinds.includes("DaemonSet"),
  );
  const refused: string[] = [];
  let evicted = 0;
  for (const p of pods) {
    const res = await ops.evictPod(p.namespace, p.name, grace);
    if (res.ok) evicted++;
    else if (res.reason === "disruption-budget") refused.push(`${p.namespace}/${p.name}`);
  }
  const lines = [`node ${node} cordoned`, `${evicted} pod(s) evicted`];
  if (refused.length === 0) return { status: "ok", lines };
  if (round < MAX_DRAIN_ROUNDS) {
    deps.scheduler.after(DRAIN_RETRY_MS, async () => {
      try {
        const again = await drain(deps, ops, node, grace, round + 1);
        deps.logger.info({ node, round: round + 1, status: again.status }, "drain retried");
      } catch (err) {
        deps.logger.error({ node, error: (err as Error).message }, "drain retry failed");
      }
    });
  } else {
    deps.logger.warn({ node, refused }, "drain gave up: PodDisruptionBudgets still refuse evictions");
  }
  lines.push(
    `${refused.length} eviction(s) refused by a PodDisruptionBudget (429), retried in ${DRAIN_RETRY_MS / 1000} s`,
  );
  return { status: "pending", lines, remaining: refused };
}

/** A step as the remediation marker lists it: `kind` and a `target` such as `node/worker-3`. */
export interface DeclaredStep {
  kind: string;
  target?: string;
}

/**
 * Resolves a declared step from the remediation marker into a planned one: `node/<name>` for cordon,
 * uncordon and drain; `<Kind>/<namespace>/<name>` for rollout steps. Unknown kinds or targets ⇒ null
 * (the caller refuses them: the bot never guesses what a destructive step acts on).
 */
export function resolveDeclaredStep(
  d: DeclaredStep,
  risk: (kind: string) => "safe" | "destructive" | undefined,
): PlannedImperativeStep | null {
  const r = risk(d.kind);
  if (!r || !d.target) return null;
  const parts = d.target.split("/");
  if (["cordon", "uncordon", "drain"].includes(d.kind)) {
    if (parts.length !== 2 || parts[0] !== "node" || !parts[1]) return null;
    return {
      id: d.kind,
      action: d.kind,
      target: { node: parts[1] },
      risk: r,
      description: `${d.kind} node ${parts[1]}`,
    };
  }
  if (d.kind.startsWith("rollout-")) {
    if (parts.length !== 3 || !parts[0] || !parts[1] || !parts[2]) return null;
    const [kind, namespace, name] = parts as [string, string, string];
    return {
      id: d.kind,
      action: d.kind,
      target: { kind, namespace, name },
      risk: r,
      description: `${d.kind} ${kind} ${namespace}/${name}`,
    };
  }
  return null;
}
