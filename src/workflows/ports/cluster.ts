import type {
  ArgoApplicationFacts,
  EventFacts,
  NodeFacts,
  OwnerRef,
  PodFacts,
  PvcFacts,
  ReplicaSetRevision,
  StorageClassFacts,
} from "../../core/runbook/cluster-facts.js";

export type {
  ArgoApplicationFacts,
  EventFacts,
  NodeFacts,
  OwnerRef,
  PodFacts,
  PvcFacts,
  ReplicaSetRevision,
  StorageClassFacts,
} from "../../core/runbook/cluster-facts.js";

/**
 * Read-only view of a cluster. Implemented from a snapshot file (`src/adapters/local/`) and from the
 * Kubernetes API with `@kubernetes/client-node` (`src/adapters/kubernetes/`): each method maps onto one or
 * two list/read calls (pods, replicasets, nodes, PVCs, storageclasses, events, pod log, Argo CD
 * `applications.argoproj.io`). Not found ⇒ `null` or `[]`; an unreachable API or a 403 ⇒ a thrown error,
 * which workflows turn into "cluster facts unavailable" rather than a guess.
 */
export interface Cluster {
  /** A name for messages: the context or the snapshot file. */
  readonly name: string;
  /** A pod with its container statuses (state, lastState, restarts) and direct owners. */
  getPod(namespace: string, name: string): Promise<PodFacts | null>;
  /** Pods of a namespace, optionally only those on one node (`spec.nodeName`). */
  listPods(namespace: string | null, opts?: { nodeName?: string }): Promise<PodFacts[]>;
  /**
   * The owner chain of an object up to its top controller, nearest first, e.g. for a pod
   * `[ReplicaSet checkout-7d9f8b6c5, Deployment checkout]`. Empty when it has no owner.
   */
  getOwnerChain(kind: string, namespace: string, name: string): Promise<OwnerRef[]>;
  /** The ReplicaSets owned by a Deployment or Rollout, newest revision first. */
  listReplicaSetRevisions(namespace: string, owner: OwnerRef): Promise<ReplicaSetRevision[]>;
  /** A node with its conditions, taints and `spec.unschedulable`. */
  getNode(name: string): Promise<NodeFacts | null>;
  /** Every node (for capacity checks before a drain). */
  listNodes(): Promise<NodeFacts[]>;
  getPvc(namespace: string, name: string): Promise<PvcFacts | null>;
  getStorageClass(name: string): Promise<StorageClassFacts | null>;
  /** Events about one object, newest first. */
  listEvents(involved: OwnerRef): Promise<EventFacts[]>;
  /**
   * The last `lines` log lines of a container, of its previous run when `previous` (the crashed one).
   * Raw text: callers redact before showing it anywhere. `null` when no log is available.
   */
  readLogTail(
    namespace: string,
    pod: string,
    container: string,
    opts: { lines: number; previous: boolean },
  ): Promise<string[] | null>;
  /** Argo CD Applications (any namespace), with `status.history`, sync and health. */
  listArgoApplications(): Promise<ArgoApplicationFacts[]>;
}
