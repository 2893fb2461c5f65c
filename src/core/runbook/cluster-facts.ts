/**
 * Read-only facts about the cluster, as plain data. The Cluster port returns them (from the Kubernetes API
 * or a snapshot file); the planning core reads them and never talks to a cluster itself.
 */

/** An object reference in an owner chain. */
export interface OwnerRef {
  kind: string;
  name: string;
  namespace?: string;
}

/** A container's current or last state, as in `pod.status.containerStatuses[]`. */
export interface ContainerStatusFacts {
  name: string;
  image: string;
  ready: boolean;
  restartCount: number;
  /** `state.waiting`, e.g. `CrashLoopBackOff`. */
  waiting?: { reason: string; message?: string };
  /** `state.terminated` when terminated now. */
  terminated?: TerminationFacts;
  /** `lastState.terminated`: why the previous run ended (`OOMKilled`, `Error`, exit code). */
  lastTerminated?: TerminationFacts;
  /** `spec.containers[].resources.limits.memory`, when set. */
  memoryLimit?: string;
}

export interface TerminationFacts {
  reason: string;
  exitCode: number;
  /** RFC 3339. */
  finishedAt?: string;
  message?: string;
}

export interface PodFacts {
  namespace: string;
  name: string;
  phase: string;
  nodeName?: string;
  containers: ContainerStatusFacts[];
  /** Direct owners (`metadata.ownerReferences`, controller first). */
  owners: OwnerRef[];
}

/** A ReplicaSet revision of a Deployment or Rollout (`deployment.kubernetes.io/revision` / `rollout.argoproj.io/revision`). */
export interface ReplicaSetRevision {
  name: string;
  revision: number;
  /** Container name ⇒ image. */
  images: Record<string, string>;
  /** RFC 3339 creation time. */
  createdAt?: string;
  replicas: number;
  readyReplicas: number;
}

export interface NodeCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
}

export interface NodeFacts {
  name: string;
  conditions: NodeCondition[];
  taints: { key: string; value?: string; effect: string }[];
  unschedulable: boolean;
  labels: Record<string, string>;
}

export interface PvcFacts {
  namespace: string;
  name: string;
  /** `spec.resources.requests.storage`. */
  requested?: string;
  /** `status.capacity.storage`. */
  capacity?: string;
  storageClassName?: string;
  phase?: string;
}

export interface StorageClassFacts {
  name: string;
  /** `allowVolumeExpansion`; undefined when the field is absent (Kubernetes treats absent as false). */
  allowVolumeExpansion?: boolean;
  provisioner?: string;
}

export interface EventFacts {
  type: string;
  reason: string;
  message: string;
  count: number;
  /** RFC 3339. */
  lastTimestamp?: string;
  involvedObject: OwnerRef;
}

/** One entry of an Argo CD Application's `status.history[]`. */
export interface ArgoHistoryEntry {
  id: number;
  /** Git revision (commit SHA) that was deployed. */
  revision: string;
  /** RFC 3339. */
  deployedAt?: string;
  source?: {
    repoURL?: string;
    path?: string;
    targetRevision?: string;
    /** `source.helm.parameters` as name ⇒ value, plus flattened `valuesObject`. */
    helmValues?: Record<string, string>;
    /** `source.kustomize.images` (e.g. `registry/app:1.2.3`). */
    kustomizeImages?: string[];
  };
}

export interface ArgoApplicationFacts {
  namespace: string;
  name: string;
  source?: { repoURL?: string; path?: string; targetRevision?: string };
  /** Namespace the Application deploys to. */
  destinationNamespace?: string;
  syncStatus?: string;
  syncRevision?: string;
  healthStatus?: string;
  history: ArgoHistoryEntry[];
  /** `status.summary.images`. */
  images: string[];
}
