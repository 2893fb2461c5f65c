import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  StorageV1Api,
  type V1ContainerStateTerminated,
  type V1Node,
  type V1OwnerReference,
  type V1Pod,
} from "@kubernetes/client-node";
import type { TerminationFacts } from "../../core/runbook/cluster-facts.js";
import { redactLogLines } from "../../core/runbook/redact-log-lines.js";
import type {
  ArgoApplicationFacts,
  Cluster,
  NodeFacts,
  OwnerRef,
  PodFacts,
} from "../../workflows/ports/cluster.js";
import type { Logger } from "../../workflows/ports/logger.js";
import type { ArgoReader } from "../../workflows/ports/rollout-watch.js";
import { createArgoReader } from "../argo/create-argo-reader.js";
import { statusOfKubeError, toClusterFault } from "./to-cluster-fault.js";

/** Log tails are bounded twice: by lines (at most this many) and by bytes (the API's `limitBytes`). */
const MAX_LOG_LINES = 200;
const MAX_LOG_BYTES = 64 * 1024;
/** Owner chains deeper than this are cut (a cycle or a very unusual controller stack). */
const MAX_OWNER_DEPTH = 5;
const EVENTS_LIMIT = 50;

/**
 * The read-only `Cluster` port over the Kubernetes API (`@kubernetes/client-node` 1.x). Only get/list
 * calls; the RBAC it needs is in `deploy/`. 404 ⇒ null; other failures ⇒ `ClusterFault` (the workflows turn
 * it into "cluster facts unavailable" / health `Unknown`). Log tails come back redacted.
 */
export function createKubernetesCluster(
  kc: KubeConfig,
  opts: { logger: Logger; name?: string; argo?: ArgoReader },
): Cluster {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const storage = kc.makeApiClient(StorageV1Api);
  const name = opts.name ?? (kc.getCurrentContext() || "kubernetes");
  const argo = opts.argo ?? createArgoReader(kc, { logger: opts.logger, name });

  async function orNull<T>(what: string, fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (err) {
      if (statusOfKubeError(err) === 404) return null;
      throw toClusterFault(err, what);
    }
  }
  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toClusterFault(err, what);
    }
  }

  return {
    name,
    async getPod(namespace, podName) {
      const pod = await orNull(`get pod ${namespace}/${podName}`, () =>
        core.readNamespacedPod({ name: podName, namespace }),
      );
      return pod ? toPodFacts(pod) : null;
    },
    async listPods(namespace, o = {}) {
      const fieldSelector = o.nodeName ? `spec.nodeName=${o.nodeName}` : undefined;
      const list = await call(`list pods${namespace ? ` in ${namespace}` : ""}`, () =>
        namespace
          ? core.listNamespacedPod({ namespace, ...(fieldSelector ? { fieldSelector } : {}) })
          : core.listPodForAllNamespaces({ ...(fieldSelector ? { fieldSelector } : {}) }),
      );
      return list.items.map(toPodFacts);
    },
    async getOwnerChain(kind, namespace, objName) {
      const chain: OwnerRef[] = [];
      let refs = await ownersOf(kind, namespace, objName);
      for (let depth = 0; depth < MAX_OWNER_DEPTH; depth++) {
        const ctrl = refs.find((r) => r.controller) ?? refs[0];
        if (!ctrl) break;
        chain.push({ kind: ctrl.kind, name: ctrl.name, namespace });
        refs = await ownersOf(ctrl.kind, namespace, ctrl.name);
      }
      return chain;
    },
    async listReplicaSetRevisions(namespace, owner) {
      const list = await call(`list replicasets in ${namespace}`, () =>
        apps.listNamespacedReplicaSet({ namespace }),
      );
      return list.items
        .filter((rs) =>
          (rs.metadata?.ownerReferences ?? []).some((r) => r.kind === owner.kind && r.name === owner.name),
        )
        .map((rs) => {
          const ann = rs.metadata?.annotations ?? {};
          const revision = Number(
            ann["deployment.kubernetes.io/revision"] ?? ann["rollout.argoproj.io/revision"] ?? 0,
          );
          const images: Record<string, string> = {};
          for (const c of rs.spec?.template?.spec?.containers ?? []) if (c.image) images[c.name] = c.image;
          return {
            name: rs.metadata?.name ?? "",
            revision: Number.isFinite(revision) ? revision : 0,
            images,
            ...(rs.metadata?.creationTimestamp ? { createdAt: iso(rs.metadata.creationTimestamp) } : {}),
            replicas: rs.status?.replicas ?? 0,
            readyReplicas: rs.status?.readyReplicas ?? 0,
          };
        })
        .sort((a, b) => b.revision - a.revision);
    },
    async getNode(nodeName) {
      const node = await orNull(`get node ${nodeName}`, () => core.readNode({ name: nodeName }));
      return node ? toNodeFacts(node) : null;
    },
    async listNodes() {
      const list = await call("list nodes", () => core.listNode());
      return list.items.map(toNodeFacts);
    },
    async getPvc(namespace, pvcName) {
      const pvc = await orNull(`get pvc ${namespace}/${pvcName}`, () =>
        core.readNamespacedPersistentVolumeClaim({ name: pvcName, namespace }),
      );
      if (!pvc) return null;
      const requested = pvc.spec?.resources?.requests?.["storage"];
      const capacity = pvc.status?.capacity?.["storage"];
      return {
        namespace,
        name: pvcName,
        ...(requested !== undefined ? { requested: String(requested) } : {}),
        ...(capacity !== undefined ? { capacity: String(capacity) } : {}),
        ...(pvc.spec?.storageClassName ? { storageClassName: pvc.spec.storageClassName } : {}),
        ...(pvc.status?.phase ? { phase: pvc.status.phase } : {}),
      };
    },
    async getStorageClass(scName) {
      const sc = await orNull(`get storageclass ${scName}`, () => storage.readStorageClass({ name: scName }));
      if (!sc) return null;
      return {
        name: scName,
        ...(sc.allowVolumeExpansion !== undefined ? { allowVolumeExpansion: sc.allowVolumeExpansion } : {}),
        provisioner: sc.provisioner,
      };
    },
    async listEvents(involved) {
      const fieldSelector = `involvedObject.kind=${involved.kind},involvedObject.name=${involved.name}`;
      const list = await call(`list events of ${involved.kind} ${involved.name}`, () =>
        involved.namespace
          ? core.listNamespacedEvent({ namespace: involved.namespace, fieldSelector, limit: EVENTS_LIMIT })
          : core.listEventForAllNamespaces({ fieldSelector, limit: EVENTS_LIMIT }),
      );
      return list.items
        .map((e) => {
          const last = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
          return {
            type: e.type ?? "Normal",
            reason: e.reason ?? "",
            message: e.message ?? "",
            count: e.count ?? 1,
            ...(last ? { lastTimestamp: iso(last) } : {}),
            involvedObject: {
              kind: e.involvedObject.kind ?? involved.kind,
              name: e.involvedObject.name ?? involved.name,
              ...(e.involvedObject.namespace ? { namespace: e.involvedObject.namespace } : {}),
            },
          };
        })
        .sort((a, b) => (b.lastTimestamp ?? "").localeCompare(a.lastTimestamp ?? ""));
    },
    async readLogTail(namespace, pod, container, o) {
      const lines = Math.max(1, Math.min(MAX_LOG_LINES, o.lines));
      const text = await orNull(`read log of ${namespace}/${pod}`, () =>
        core.readNamespacedPodLog({
          name: pod,
          namespace,
          container,
          previous: o.previous,
          tailLines: lines,
          limitBytes: MAX_LOG_BYTES,
        }),
      );
      if (text === null || text === undefined) return null;
      // The API bounds bytes; a cut first line is dropped rather than shown half.
      const all = String(text).split(/\r?\n/);
      if (all.at(-1) === "") all.pop();
      return redactLogLines(all.slice(-lines));
    },
    async listArgoApplications() {
      const list = await argo.listApplications();
      return list.map((a): ArgoApplicationFacts => {
        const src = a.spec.source ?? a.spec.sources?.[0];
        return {
          namespace: a.metadata.namespace ?? "argocd",
          name: a.metadata.name,
          ...(src ? { source: { ...pick(src, ["repoURL", "path", "targetRevision"]) } } : {}),
          ...(a.spec.destination?.namespace ? { destinationNamespace: a.spec.destination.namespace } : {}),
          ...(a.status.sync?.status ? { syncStatus: a.status.sync.status } : {}),
          ...(a.status.sync?.revision ? { syncRevision: a.status.sync.revision } : {}),
          ...(a.status.health?.status ? { healthStatus: a.status.health.status } : {}),
          history: (a.status.history ?? []).flatMap((h, i) =>
            h.revision
              ? [
                  {
                    id: h.id ?? i,
                    revision: h.revision,
                    ...(h.deployedAt ? { deployedAt: h.deployedAt } : {}),
                    ...historySource(h),
                  },
                ]
              : [],
          ),
          images: a.status.summary?.images ?? [],
        };
      });
    },
  };

  async function ownersOf(kind: string, namespace: string, objName: string): Promise<V1OwnerReference[]> {
    const what = `get ${kind} ${namespace}/${objName}`;
    let meta: { ownerReferences?: V1OwnerReference[] } | undefined | null;
    switch (kind) {
      case "Pod":
        meta = (await orNull(what, () => core.readNamespacedPod({ name: objName, namespace })))?.metadata;
        break;
      case "ReplicaSet":
        meta = (await orNull(what, () => apps.readNamespacedReplicaSet({ name: objName, namespace })))
          ?.metadata;
        break;
      case "Deployment":
        meta = (await orNull(what, () => apps.readNamespacedDeployment({ name: objName, namespace })))
          ?.metadata;
        break;
      case "StatefulSet":
        meta = (await orNull(what, () => apps.readNamespacedStatefulSet({ name: objName, namespace })))
          ?.metadata;
        break;
      case "DaemonSet":
        meta = (await orNull(what, () => apps.readNamespacedDaemonSet({ name: objName, namespace })))
          ?.metadata;
        break;
      default:
        // Rollouts, Jobs and other top controllers: the chain ends here.
        return [];
    }
    return meta?.ownerReferences ?? [];
  }
}

function historySource(h: Record<string, unknown>) {
  const source = h["source"] as
    | {
        repoURL?: string;
        path?: string;
        targetRevision?: string;
        helm?: { parameters?: { name?: string; value?: string }[] };
        kustomize?: { images?: string[] };
      }
    | undefined;
  if (!source) return {};
  const helmValues: Record<string, string> = {};
  for (const p of source.helm?.parameters ?? [])
    if (p.name && p.value !== undefined) helmValues[p.name] = p.value;
  return {
    source: {
      ...pick(source, ["repoURL", "path", "targetRevision"]),
      ...(Object.keys(helmValues).length > 0 ? { helmValues } : {}),
      ...(source.kustomize?.images ? { kustomizeImages: source.kustomize.images } : {}),
    },
  };
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) out[k] = o[k];
  return out;
}

function iso(d: Date | string): string {
  return d instanceof Date ? d.toISOString() : d;
}

function termination(t: V1ContainerStateTerminated | undefined): TerminationFacts | undefined {
  if (!t) return undefined;
  return {
    reason: t.reason ?? "",
    exitCode: t.exitCode,
    ...(t.finishedAt ? { finishedAt: iso(t.finishedAt) } : {}),
    ...(t.message ? { message: t.message } : {}),
  };
}

function toPodFacts(pod: V1Pod): PodFacts {
  const specs = new Map((pod.spec?.containers ?? []).map((c) => [c.name, c]));
  const owners = [...(pod.metadata?.ownerReferences ?? [])].sort(
    (a, b) => Number(!!b.controller) - Number(!!a.controller),
  );
  return {
    namespace: pod.metadata?.namespace ?? "",
    name: pod.metadata?.name ?? "",
    phase: pod.status?.phase ?? "Unknown",
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    containers: (pod.status?.containerStatuses ?? []).map((c) => {
      const terminated = termination(c.state?.terminated);
      const lastTerminated = termination(c.lastState?.terminated);
      const memoryLimit = specs.get(c.name)?.resources?.limits?.["memory"];
      return {
        name: c.name,
        image: c.image,
        ready: c.ready,
        restartCount: c.restartCount,
        ...(c.state?.waiting?.reason
          ? {
              waiting: {
                reason: c.state.waiting.reason,
                ...(c.state.waiting.message ? { message: c.state.waiting.message } : {}),
              },
            }
          : {}),
        ...(terminated ? { terminated } : {}),
        ...(lastTerminated ? { lastTerminated } : {}),
        ...(memoryLimit !== undefined ? { memoryLimit: String(memoryLimit) } : {}),
      };
    }),
    owners: owners.map((o) => ({ kind: o.kind, name: o.name, namespace: pod.metadata?.namespace ?? "" })),
  };
}

function toNodeFacts(node: V1Node): NodeFacts {
  return {
    name: node.metadata?.name ?? "",
    conditions: (node.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status === "True" || c.status === "False" ? c.status : "Unknown",
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
    })),
    taints: (node.spec?.taints ?? []).map((t) => ({
      key: t.key,
      ...(t.value ? { value: t.value } : {}),
      effect: t.effect,
    })),
    unschedulable: node.spec?.unschedulable ?? false,
    labels: node.metadata?.labels ?? {},
  };
}
