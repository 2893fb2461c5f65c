import type { ArgoApplication, ArgoRollout } from "../../core/rollout/argo-schemas.js";
import type { ClusterFaultKind } from "../../core/rollout/evaluate-rollout-watch.js";

export type { ClusterFaultKind } from "../../core/rollout/evaluate-rollout-watch.js";

/**
 * The Kubernetes API could not answer: down or unreachable, 403 (RBAC), 429 (API priority and fairness),
 * or the Argo CRDs are not installed (404 on the group). Workflows turn it into health `Unknown` and never
 * into an automatic revert.
 */
export class ClusterFault extends Error {
  override readonly name = "ClusterFault";
  constructor(
    readonly kind: ClusterFaultKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Reads Argo CD Applications and Argo Rollouts (read-only). Faults throw `ClusterFault`. */
export interface ArgoReader {
  /** The kube context, for messages. */
  readonly name: string;
  /** Every Application the bot may see (cluster-wide list). */
  listApplications(): Promise<ArgoApplication[]>;
  /** One Application, or null when it does not exist. */
  getApplication(namespace: string, name: string): Promise<ArgoApplication | null>;
  /** One Rollout, or null when it does not exist (or the Rollouts CRD is not installed). */
  getRollout(namespace: string, name: string): Promise<ArgoRollout | null>;
}

/** Runs work later: real timers in the app, a manual queue in tests (no real 120 s waits). */
export interface Scheduler {
  /** Runs `fn` after `ms`; errors are the caller's (they are caught and logged by the watch). */
  after(ms: number, fn: () => Promise<void>): void;
}

/** `setTimeout` with `unref` (a pending poll never keeps the process alive), cancelled on `close`. */
export function createTimerScheduler(): Scheduler & { close(): void } {
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  return {
    after(ms, fn) {
      if (closed) return;
      const t = setTimeout(() => {
        timers.delete(t);
        void fn();
      }, ms);
      t.unref();
      timers.add(t);
    },
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

/** An automatic revert already opened (from the revert PRs' markers). */
export interface RevertRecord {
  application: string;
  /** Epoch ms. */
  at: number;
  pr: number;
  mergeSha: string;
}

/** Revert PRs of a repository, found by their `medic:revert` marker (listing, never search). */
export interface RevertHistory {
  /** Revert PRs opened by the bot since `sinceMs`, open or closed. */
  listSince(sinceMs: number): Promise<RevertRecord[]>;
}

/** A pod as a drain sees it. */
export interface DrainPod {
  namespace: string;
  name: string;
  /** Kinds of its owners (`DaemonSet` pods are left alone, as `kubectl drain --ignore-daemonsets` does). */
  ownerKinds: string[];
  /** A static (mirror) pod: the kubelet owns it, the API cannot evict it. */
  mirror: boolean;
}

export type EvictionResult =
  | { ok: true }
  /** 429: a PodDisruptionBudget does not allow it now — retry later, never delete the pod. */
  | { ok: false; reason: "disruption-budget"; message: string }
  | { ok: false; reason: "not-found"; message: string };

/**
 * The few writes imperative runbook steps make, through the Kubernetes API. Separate from the read-only
 * `Cluster` port on purpose: the bot gets these verbs (RBAC) only where runbooks declare such steps.
 */
export interface ClusterOperations {
  readonly name: string;
  /** `spec.unschedulable` on a node (cordon / uncordon). */
  setUnschedulable(node: string, unschedulable: boolean): Promise<void>;
  listPodsOnNode(node: string): Promise<DrainPod[]>;
  /** The Eviction API (policy/v1): respects PodDisruptionBudgets, unlike a delete. */
  evictPod(namespace: string, name: string, gracePeriodSeconds: number): Promise<EvictionResult>;
  /** `kubectl rollout restart`: a Deployment/StatefulSet/DaemonSet template annotation, or a Rollout's `spec.restartAt`. */
  restartWorkload(kind: string, namespace: string, name: string, at: string): Promise<void>;
  /** Argo Rollouts: `abort`, `retry`, `promote`, `promote-full` (what `kubectl argo rollouts` patches). */
  patchRollout(
    namespace: string,
    name: string,
    op: "abort" | "retry" | "promote" | "promote-full",
  ): Promise<void>;
}
