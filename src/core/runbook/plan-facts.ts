import type {
  ArgoApplicationFacts,
  EventFacts,
  NodeFacts,
  OwnerRef,
  PodFacts,
  PvcFacts,
  ReplicaSetRevision,
  StorageClassFacts,
} from "./cluster-facts.js";

/** One version of a file in the repository's history (from the GitOpsHistory port). */
export interface FileRevision {
  /** Commit SHA. */
  revision: string;
  /** Committer date, RFC 3339. */
  date: string;
  /** First line of the commit message. */
  subject: string;
  /** File text at that commit; `null` when the commit deleted it. */
  text: string | null;
}

/** A previous run of a runbook, for cooldown and runs-per-day limits. */
export interface PreviousRun {
  runbookId: string;
  /** The plan target, e.g. `Deployment shop/checkout`. */
  target: string;
  /** Epoch milliseconds. */
  at: number;
}

/**
 * Everything the workflow gathered before planning: cluster facts (when a cluster or snapshot is known),
 * repository history, and previous runs. The planner reads only this — it never fetches anything.
 */
export interface PlanFacts {
  /** Whether cluster facts were read; when false, `clusterNote` says why. */
  clusterKnown: boolean;
  clusterNote?: string;
  pod?: PodFacts;
  /** The pod's owner chain, nearest first (ReplicaSet, then Deployment or Rollout). */
  owners: OwnerRef[];
  /** The workload the incident is about, from the owner chain, naming rules or labels. */
  workload?: OwnerRef & { via: string };
  /** ReplicaSet revisions of the workload, newest first. */
  revisions: ReplicaSetRevision[];
  /** Raw log tail of the crashed container (redacted by the planner before use). */
  logTail?: string[];
  node?: NodeFacts;
  /** Pods scheduled on the node (what a drain would evict). */
  nodePods: PodFacts[];
  nodes: NodeFacts[];
  pvc?: PvcFacts;
  storageClass?: StorageClassFacts;
  events: EventFacts[];
  /** One line about the namespace's pods, when the incident names no pod (ingress alerts). */
  podSummary?: string;
  argoApplications: ArgoApplicationFacts[];
  /** Repository history per path, newest first (only the files a rollback needs). */
  history: Record<string, FileRevision[]>;
  /** Why history is absent, when it is (`not a git checkout`). */
  historyNote?: string;
  previousRuns: PreviousRun[];
  /** Images recorded as bad after a revert (never a rollback target). */
  quarantinedImages?: string[];
  /** Epoch milliseconds: the planner's "now" (for cooldowns and Job names). */
  now: number;
}

/** Facts with nothing known: the starting point for workflows and tests. */
export function emptyPlanFacts(now: number): PlanFacts {
  return {
    clusterKnown: false,
    owners: [],
    revisions: [],
    nodePods: [],
    nodes: [],
    events: [],
    argoApplications: [],
    history: {},
    previousRuns: [],
    now,
  };
}

/** Kubernetes reasons visible in the facts, for `match.reasons`. */
export function reasonsFromFacts(facts: PlanFacts): string[] {
  const out = new Set<string>();
  for (const c of facts.pod?.containers ?? []) {
    if (c.waiting?.reason) out.add(c.waiting.reason);
    if (c.terminated?.reason) out.add(c.terminated.reason);
    if (c.lastTerminated?.reason) out.add(c.lastTerminated.reason);
  }
  for (const c of facts.node?.conditions ?? []) {
    if (c.status === "True" && c.type !== "Ready") out.add(c.type);
  }
  if (facts.node?.conditions.some((c) => c.type === "Ready" && c.status !== "True")) out.add("NodeNotReady");
  return [...out].sort();
}
