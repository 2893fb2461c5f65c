import type { MedicConfig } from "../core/config/medic-config.js";
import type { Incident } from "../core/incident/incident.js";
import { type LocateTarget, locateWorkload } from "../core/manifest/locate-workload.js";
import type { RepoFile } from "../core/manifest/types.js";
import { hashPlan } from "../core/plan/hash-plan.js";
import type { EvidenceItem, RemediationPlan } from "../core/plan/remediation-plan.js";
import { bindParameters } from "../core/runbook/bind-parameters.js";
import type { RegisteredRunbook, RunbookRegistry } from "../core/runbook/build-runbook-registry.js";
import type { OwnerRef } from "../core/runbook/cluster-facts.js";
import { type MatchCandidate, matchRunbook } from "../core/runbook/match-runbook.js";
import {
  emptyPlanFacts,
  type PlanFacts,
  type PreviousRun,
  reasonsFromFacts,
} from "../core/runbook/plan-facts.js";
import { type PlanFailureKind, planRunbook } from "../core/runbook/plan-runbook.js";
import { isImperativeStep } from "../core/runbook/runbook.js";
import type { Clock } from "./ports/clock.js";
import type { Cluster } from "./ports/cluster.js";
import type { GitOpsHistory } from "./ports/gitops-history.js";
import type { GitOpsRepo } from "./ports/gitops-repo.js";
import type { Logger } from "./ports/logger.js";

/** Files the planner reads: manifests, values, kustomizations, Terraform variables and JSON. */
const PLANNED_FILE = /\.(ya?ml|json|tfvars)$/i;
/** Upper bounds on what one plan reads from a repository (a monorepo must not exhaust memory). */
const MAX_FILES = 5_000;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
/** Commits of a workload file searched for the last good image. */
const HISTORY_DEPTH = 20;
/** Log lines fetched from the crashed container. */
const LOG_LINES = 50;

export interface PlanRemediationDeps {
  /** The repository at the revision to plan against (default branch, or the local work tree). */
  repo: GitOpsRepo;
  /** Its history, when available. */
  history: GitOpsHistory | null;
  /** Why there is no history, for the evidence (e.g. "not a git checkout"). */
  historyNote?: string;
  /** The cluster, when known; `null` plans from the repository and the alert alone. */
  cluster: Cluster | null;
  clock: Clock;
  logger: Logger;
}

export interface PlanRemediationInput {
  incident: Incident;
  registry: RunbookRegistry;
  config: MedicConfig;
  /** A runbook asked for by id; it must still match the incident. */
  runbook?: string;
  previousRuns?: PreviousRun[];
  quarantinedImages?: string[];
}

export type PlanRemediationOutcome =
  | { status: "planned"; plan: RemediationPlan; planHash: string; facts: FactSummary }
  | { status: "no-runbook"; reason: string; candidates: MatchCandidate[]; facts: FactSummary }
  | {
      status: "failed";
      runbook: { id: string; version: string };
      kind: PlanFailureKind | "parameter" | "repository";
      /** Which field or step failed, e.g. `parameters.namespace`, `steps.1`, `limits.maxWorkers`. */
      field?: string;
      reason: string;
      candidates?: string[];
      evidence: EvidenceItem[];
      facts: FactSummary;
    };

/** What the workflow learned about the cluster, for the story printed to people. */
export interface FactSummary {
  clusterKnown: boolean;
  note?: string;
  reasons: string[];
  workload?: string;
  /** The facts that matter for the incident, one line each (pod state, node conditions, volume). */
  notes: string[];
}

/**
 * From an incident to a RemediationPlan:
 * 1. gather read-only cluster facts for the incident's target (pod, owners, revisions, node, PVC, Argo CD);
 * 2. match a runbook (most specific wins; ties and misses are reported with candidates);
 * 3. bind and validate its parameters;
 * 4. read the repository files and, for a rollback, the workload file's history;
 * 5. plan in the pure core; hash the plan.
 */
export async function planRemediation(
  input: PlanRemediationInput,
  deps: PlanRemediationDeps,
): Promise<PlanRemediationOutcome> {
  const { incident, config } = input;
  const now = deps.clock.now();

  // 1. Cluster facts.
  const facts = await gatherFacts(incident, config, deps, now);
  facts.previousRuns = input.previousRuns ?? [];
  if (input.quarantinedImages) facts.quarantinedImages = input.quarantinedImages;
  const reasons = reasonsFromFacts(facts);
  const summary: FactSummary = {
    clusterKnown: facts.clusterKnown,
    ...(facts.clusterNote ? { note: facts.clusterNote } : {}),
    reasons,
    notes: describeFacts(facts),
    ...(facts.workload
      ? {
          workload: `${facts.workload.kind} ${facts.workload.namespace ?? ""}/${facts.workload.name} (${facts.workload.via})`,
        }
      : {}),
  };

  // 2. Match.
  const match = matchRunbook(input.registry.runbooks, incident, {
    reasons,
    clusterKnown: facts.clusterKnown,
    enabled: config.remediation.enabledRunbooks,
    disabled: config.remediation.disabledRunbooks,
    ...(input.runbook ? { requested: input.runbook } : {}),
  });
  if (!match.ok)
    return { status: "no-runbook", reason: match.message, candidates: match.candidates, facts: summary };
  const entry = match.entry;
  const runbookRef = { id: entry.runbook.id, version: entry.runbook.version };

  // 3. Parameters.
  const derived: Record<string, string> = {};
  if (facts.workload) {
    derived["workload.name"] = facts.workload.name;
    derived["workload.kind"] = facts.workload.kind;
    if (facts.workload.namespace) derived["workload.namespace"] = facts.workload.namespace;
  }
  if (facts.pod?.nodeName) derived["pod.node"] = facts.pod.nodeName;
  const bound = bindParameters(entry.runbook, incident, {
    config: config.runbooks.parameters[entry.runbook.id] ?? {},
    facts: derived,
  });
  if (!bound.ok) {
    return {
      status: "failed",
      runbook: runbookRef,
      kind: "parameter",
      field: `parameters.${bound.parameter}`,
      reason: bound.message,
      evidence: [],
      facts: summary,
    };
  }

  // 4. Repository files and history.
  const loaded = await readPlanFiles(deps.repo, config);
  if (!loaded.ok) {
    return {
      status: "failed",
      runbook: runbookRef,
      kind: "repository",
      reason: loaded.reason,
      evidence: [],
      facts: summary,
    };
  }
  await gatherHistory(entry, bound.values, loaded.files, config, facts, deps);

  // 5. Plan.
  const planned = planRunbook({
    entry,
    incident,
    parameters: { values: bound.values, bound: bound.bound },
    files: loaded.files,
    facts,
    config,
    baseRevision: await deps.repo.revision(),
  });
  if (!planned.ok) {
    const field =
      planned.kind === "limit" || planned.kind === "cooldown" || planned.kind === "maxRunsPerTargetPerDay"
        ? limitField(planned.kind, planned.message)
        : planned.step;
    return {
      status: "failed",
      runbook: runbookRef,
      kind: planned.kind,
      ...(field ? { field } : {}),
      reason: planned.message,
      ...(planned.candidates ? { candidates: planned.candidates } : {}),
      evidence: planned.evidence,
      facts: summary,
    };
  }
  deps.logger.info(
    {
      incident: incident.key,
      runbook: entry.runbook.id,
      changes: planned.plan.changes.length,
      risk: planned.plan.risk.level,
    },
    "remediation planned",
  );
  return { status: "planned", plan: planned.plan, planHash: hashPlan(planned.plan), facts: summary };
}

function limitField(kind: string, message: string): string {
  if (kind !== "limit") return `limits.${kind}`;
  const m = /limits\.(\w+)/.exec(message);
  return m ? `limits.${m[1]}` : "limits";
}

/** Read-only cluster facts for the incident's target (exported for matching at issue open). */
export async function gatherFacts(
  incident: Incident,
  config: MedicConfig,
  deps: Pick<PlanRemediationDeps, "cluster" | "logger">,
  now: number,
): Promise<PlanFacts> {
  const facts = emptyPlanFacts(now);
  const labels = incident.labels;
  const namespace = labels["namespace"];
  // Workload named by the alert itself.
  for (const kind of ["deployment", "rollout", "statefulset"] as const) {
    const name = labels[kind];
    if (name) {
      const k = { deployment: "Deployment", rollout: "Rollout", statefulset: "StatefulSet" }[kind];
      facts.workload = { kind: k, name, ...(namespace ? { namespace } : {}), via: `alert label ${kind}` };
      break;
    }
  }
  const cluster = deps.cluster;
  if (!cluster) {
    facts.clusterNote = "no cluster given: planning from the alert and the repository only";
  } else {
    try {
      await readClusterFacts(cluster, labels, facts);
      facts.clusterKnown = true;
    } catch (err) {
      // Unreachable or forbidden: plan without cluster facts, and say so; never guess them.
      facts.clusterKnown = false;
      facts.clusterNote = `cluster facts unavailable (${err instanceof Error ? err.message : String(err)})`;
      deps.logger.warn({ cluster: cluster.name }, "cluster facts unavailable");
    }
  }
  // KubePodCrashLooping has no workload label: fall back to the repository's pod naming rules.
  const pod = labels["pod"];
  if (!facts.workload && pod) {
    for (const rule of config.workloads.podNameRules) {
      let re: RegExp;
      try {
        re = new RegExp(rule);
      } catch {
        continue;
      }
      const m = re.exec(pod);
      const name = m?.groups?.["workload"];
      if (name) {
        facts.workload = {
          kind: "",
          name,
          ...(namespace ? { namespace } : {}),
          via: `workloads.podNameRules ${rule}`,
        };
        break;
      }
    }
  }
  return facts;
}

async function readClusterFacts(
  cluster: Cluster,
  labels: Record<string, string>,
  facts: PlanFacts,
): Promise<void> {
  const namespace = labels["namespace"];
  const podName = labels["pod"];
  if (namespace && podName) {
    const pod = await cluster.getPod(namespace, podName);
    if (pod) {
      facts.pod = pod;
      facts.owners = await cluster.getOwnerChain("Pod", namespace, podName);
      const top = [...facts.owners]
        .reverse()
        .find((o) => ["Deployment", "Rollout", "StatefulSet", "DaemonSet"].includes(o.kind));
      if (top && !facts.workload) {
        facts.workload = {
          ...top,
          namespace,
          via: `owner chain ${["Pod " + podName, ...facts.owners.map(describeRef)].join(" → ")}`,
        };
      }
      const crashed =
        pod.containers.find((c) => c.name === labels["container"]) ??
        pod.containers.find((c) => c.waiting?.reason === "CrashLoopBackOff") ??
        pod.containers.find((c) => c.lastTerminated);
      if (crashed) {
        const tail = await cluster.readLogTail(namespace, podName, crashed.name, {
          lines: LOG_LINES,
          previous: true,
        });
        if (tail) facts.logTail = tail;
      }
      facts.events = await cluster.listEvents({ kind: "Pod", name: podName, namespace });
    }
  }
  if (
    facts.workload &&
    namespace &&
    (facts.workload.kind === "Deployment" || facts.workload.kind === "Rollout")
  ) {
    facts.revisions = await cluster.listReplicaSetRevisions(namespace, facts.workload);
  }
  const node = labels["node"];
  if (node) {
    const n = await cluster.getNode(node);
    if (n) facts.node = n;
    facts.nodePods = await cluster.listPods(null, { nodeName: node });
    facts.nodes = await cluster.listNodes();
    if (facts.events.length === 0) facts.events = await cluster.listEvents({ kind: "Node", name: node });
  }
  const pvc = labels["persistentvolumeclaim"];
  if (namespace && pvc) {
    const p = await cluster.getPvc(namespace, pvc);
    if (p) {
      facts.pvc = p;
      if (p.storageClassName) {
        const sc = await cluster.getStorageClass(p.storageClassName);
        if (sc) facts.storageClass = sc;
      }
    }
  }
  // An ingress alert names no pod: the warnings of the namespace's pods (failing probes, back-offs) tell
  // whether the backend is saturated or broken. Bounded: a large namespace must not mean many calls.
  if (namespace && labels["ingress"] && facts.events.length === 0) {
    const pods = (await cluster.listPods(namespace)).slice(0, 20);
    for (const p of pods) {
      const events = await cluster.listEvents({ kind: "Pod", name: p.name, namespace });
      facts.events.push(...events.filter((e) => e.type === "Warning"));
    }
    facts.events.sort((a, b) => b.count - a.count);
    const notReady = pods.filter((p) => p.containers.some((c) => !c.ready)).length;
    if (pods.length > 0) facts.podSummary = `${pods.length} pod(s) in ${namespace}, ${notReady} not ready`;
  }
  facts.argoApplications = await cluster.listArgoApplications();
}

/** One line per fact a person needs to follow the decision. */
function describeFacts(facts: PlanFacts): string[] {
  const out: string[] = [];
  for (const c of facts.pod?.containers ?? []) {
    const last = c.lastTerminated ?? c.terminated;
    if (!c.waiting && !last) continue;
    out.push(
      `container ${c.name} ${c.waiting ? `waiting ${c.waiting.reason}` : "not waiting"}${last ? `, last terminated ${last.reason} (exit ${last.exitCode})` : ""}, ${c.restartCount} restart(s)`,
    );
  }
  if (facts.node) {
    const bad = facts.node.conditions.filter((c) =>
      c.type === "Ready" ? c.status !== "True" : c.status === "True",
    );
    out.push(
      `node ${facts.node.name}: ${bad.map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ""}`).join(", ") || "no pressure condition"}${facts.node.unschedulable ? ", cordoned" : ""}; ${facts.nodePods.length} pod(s) on it`,
    );
  }
  if (facts.pvc) {
    const sc = facts.storageClass;
    out.push(
      `PVC ${facts.pvc.namespace}/${facts.pvc.name}: capacity ${facts.pvc.capacity ?? "?"}, requested ${facts.pvc.requested ?? "?"}, storage class ${facts.pvc.storageClassName ?? "(default)"}${sc ? ` (allowVolumeExpansion ${sc.allowVolumeExpansion ?? "absent"})` : ""}`,
    );
  }
  if (facts.podSummary) out.push(facts.podSummary);
  const warning = facts.events.find((e) => e.type === "Warning");
  if (warning) out.push(`event ${warning.reason}: ${warning.message.slice(0, 120)} (×${warning.count})`);
  return out;
}

function describeRef(r: OwnerRef): string {
  return `${r.kind} ${r.name}`;
}

/** Reads the files the planner may look at: bounded in count and size, limited to `workloads.paths`. */
export async function readPlanFiles(
  repo: GitOpsRepo,
  config: MedicConfig,
): Promise<{ ok: true; files: RepoFile[] } | { ok: false; reason: string }> {
  const prefixes = config.workloads.paths.length > 0 ? config.workloads.paths : [undefined];
  const paths = new Set<string>();
  for (const prefix of prefixes) {
    for (const p of await repo.listFiles(prefix)) if (PLANNED_FILE.test(p)) paths.add(p);
  }
  // StorageClasses and Argo CD Applications are read from these paths too: list their folders in
  // workloads.paths when it is set (the example repository lists apps, argocd and infra).
  if (paths.size > MAX_FILES) {
    return {
      ok: false,
      reason: `${repo.name}: ${paths.size} candidate files, over the limit of ${MAX_FILES}; set workloads.paths in .github/medic.yml`,
    };
  }
  const files: RepoFile[] = [];
  let total = 0;
  for (const path of [...paths].sort()) {
    const text = await repo.readFile(path);
    if (text === null) continue;
    total += text.length;
    if (total > MAX_TOTAL_BYTES) {
      return {
        ok: false,
        reason: `${repo.name}: more than ${MAX_TOTAL_BYTES} bytes of manifests; set workloads.paths in .github/medic.yml`,
      };
    }
    files.push({ path, text });
  }
  return { ok: true, files };
}

/**
 * For a rollback: the workload file's history (git log) and its text at the revisions Argo CD deployed,
 * so the core can read earlier images without fetching anything itself.
 */
async function gatherHistory(
  entry: RegisteredRunbook,
  params: Record<string, string>,
  files: RepoFile[],
  config: MedicConfig,
  facts: PlanFacts,
  deps: PlanRemediationDeps,
): Promise<void> {
  const rollback = entry.runbook.steps.find((s) => !isImperativeStep(s) && s.action === "rollback-image");
  if (!rollback || isImperativeStep(rollback)) return;
  if (!deps.history) {
    facts.historyNote = deps.historyNote ?? "no repository history available";
    return;
  }
  const expand = (v: unknown) =>
    typeof v === "string" ? v.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_m, n: string) => params[n] ?? "") : "";
  const name = expand(rollback.with["workload"]);
  const namespace = expand(rollback.with["namespace"]);
  const kind = expand(rollback.with["kind"]) || facts.workload?.kind || undefined;
  if (!name) return;
  const target: LocateTarget = { name, ...(namespace ? { namespace } : {}), ...(kind ? { kind } : {}) };
  const located = locateWorkload(files, target, config.workloads.mappings);
  if (!located.ok) return;
  const path = located.location.path;
  const versions = await deps.history.fileHistory(path, HISTORY_DEPTH);
  // Argo CD revisions not among the recent commits of the file: read the file at those revisions.
  for (const app of facts.argoApplications) {
    if (namespace && app.destinationNamespace && app.destinationNamespace !== namespace) continue;
    for (const h of app.history) {
      if (
        !h.revision ||
        versions.some((v) => v.revision.startsWith(h.revision) || h.revision.startsWith(v.revision))
      )
        continue;
      const text = await deps.history.readFileAt(h.revision, path);
      if (text !== null)
        versions.push({
          revision: h.revision,
          date: h.deployedAt ?? "",
          subject: "(Argo CD history revision)",
          text,
        });
    }
  }
  facts.history[path] = versions;
}
