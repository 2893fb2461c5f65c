import type {
  ArgoApplicationFacts,
  ArgoHistoryEntry,
  ContainerStatusFacts,
  EventFacts,
  NodeFacts,
  OwnerRef,
  PodFacts,
  PvcFacts,
  ReplicaSetRevision,
  StorageClassFacts,
  TerminationFacts,
} from "../../core/runbook/cluster-facts.js";
import { parseYaml } from "../../core/yaml/parse-yaml.js";
import type { Cluster } from "../../workflows/ports/cluster.js";

/**
 * The snapshot's own kind for log tails, since logs are not Kubernetes objects:
 * `{apiVersion: medic.dev/v1, kind: LogTail, metadata: {namespace, name: <pod>}, container, previous, lines: []}`.
 */
export const LOG_TAIL_KIND = "LogTail";

type Obj = Record<string, unknown>;

export type LoadSnapshotResult =
  | { ok: true; cluster: Cluster; objects: number }
  | { ok: false; message: string };

/**
 * A cluster snapshot file — Kubernetes objects as YAML documents, a JSON object, or a `List` (what
 * `kubectl get -o yaml` prints) — served read-only through the Cluster port.
 */
export function loadClusterSnapshot(text: string, file: string): LoadSnapshotResult {
  const parsed = parseYaml(text, file);
  if (!parsed.ok) {
    const where = parsed.error.line ? ` line ${parsed.error.line}` : "";
    return { ok: false, message: `${file}${where}: ${parsed.error.message}` };
  }
  const objects: Obj[] = [];
  const push = (v: unknown, where: string): string | null => {
    if (!isObj(v)) return `${where}: expected a Kubernetes object (a mapping with kind and metadata)`;
    if (typeof v["kind"] === "string" && v["kind"].endsWith("List") && Array.isArray(v["items"])) {
      for (const [i, item] of v["items"].entries()) {
        const err = push(item, `${where}.items.${i}`);
        if (err) return err;
      }
      return null;
    }
    if (typeof v["kind"] !== "string" || !isObj(v["metadata"]) || typeof v["metadata"]["name"] !== "string") {
      return `${where}: expected a Kubernetes object with kind and metadata.name`;
    }
    objects.push(v);
    return null;
  };
  for (const d of parsed.documents) {
    if (d.value === null) continue;
    const err = push(d.value, `document ${d.index}`);
    if (err) return { ok: false, message: `${file}: ${err}` };
  }
  return { ok: true, cluster: snapshotCluster(objects, file), objects: objects.length };
}

function snapshotCluster(objects: Obj[], file: string): Cluster {
  const ofKind = (kind: string) => objects.filter((o) => o["kind"] === kind);
  const find = (kind: string, namespace: string | undefined, name: string) =>
    objects.find(
      (o) =>
        o["kind"] === kind &&
        meta(o).name === name &&
        (namespace === undefined || meta(o).namespace === undefined || meta(o).namespace === namespace),
    );
  return {
    name: file,
    async getPod(namespace, name) {
      const o = find("Pod", namespace, name);
      return o ? toPod(o) : null;
    },
    async listPods(namespace, opts) {
      return ofKind("Pod")
        .filter((o) => namespace === null || meta(o).namespace === namespace)
        .filter((o) => !opts?.nodeName || str(get(o, "spec", "nodeName")) === opts.nodeName)
        .map(toPod);
    },
    async getOwnerChain(kind, namespace, name) {
      const chain: OwnerRef[] = [];
      let cur = find(kind, namespace, name);
      for (let depth = 0; cur && depth < 5; depth++) {
        const owner = controllerOf(cur);
        if (!owner) break;
        const ref = { kind: owner.kind, name: owner.name, namespace };
        chain.push(ref);
        cur = find(owner.kind, namespace, owner.name);
      }
      return chain;
    },
    async listReplicaSetRevisions(namespace, owner) {
      return ofKind("ReplicaSet")
        .filter((o) => meta(o).namespace === namespace || meta(o).namespace === undefined)
        .filter((o) => ownersOf(o).some((r) => r.kind === owner.kind && r.name === owner.name))
        .map(toRevision)
        .sort((a, b) => b.revision - a.revision);
    },
    async getNode(name) {
      const o = find("Node", undefined, name);
      return o ? toNode(o) : null;
    },
    async listNodes() {
      return ofKind("Node").map(toNode);
    },
    async getPvc(namespace, name) {
      const o = find("PersistentVolumeClaim", namespace, name);
      if (!o) return null;
      return {
        namespace,
        name,
        requested: optStr(get(o, "spec", "resources", "requests", "storage")),
        capacity: optStr(get(o, "status", "capacity", "storage")),
        storageClassName: optStr(get(o, "spec", "storageClassName")),
        phase: optStr(get(o, "status", "phase")),
      } satisfies PvcFacts;
    },
    async getStorageClass(name) {
      const o = find("StorageClass", undefined, name);
      if (!o) return null;
      const allow = o["allowVolumeExpansion"];
      return {
        name,
        allowVolumeExpansion: typeof allow === "boolean" ? allow : undefined,
        provisioner: optStr(o["provisioner"]),
      } satisfies StorageClassFacts;
    },
    async listEvents(involved) {
      return ofKind("Event")
        .filter((o) => {
          const io = get(o, "involvedObject");
          return (
            isObj(io) &&
            io["kind"] === involved.kind &&
            io["name"] === involved.name &&
            (involved.namespace === undefined ||
              io["namespace"] === undefined ||
              io["namespace"] === involved.namespace)
          );
        })
        .map(
          (o): EventFacts => ({
            type: str(o["type"]) || "Normal",
            reason: str(o["reason"]),
            message: str(o["message"]),
            count: num(o["count"]) ?? 1,
            lastTimestamp: optStr(o["lastTimestamp"]) ?? optStr(o["eventTime"]),
            involvedObject: involved,
          }),
        )
        .sort((a, b) => (b.lastTimestamp ?? "").localeCompare(a.lastTimestamp ?? ""));
    },
    async readLogTail(namespace, pod, container, opts) {
      const o = objects.find(
        (x) =>
          x["kind"] === LOG_TAIL_KIND &&
          meta(x).name === pod &&
          (meta(x).namespace ?? namespace) === namespace &&
          (x["container"] === undefined || x["container"] === container) &&
          Boolean(x["previous"]) === opts.previous,
      );
      if (!o || !Array.isArray(o["lines"])) return null;
      return o["lines"].map(String).slice(-opts.lines);
    },
    async listArgoApplications() {
      return ofKind("Application")
        .filter((o) => str(o["apiVersion"]).startsWith("argoproj.io/"))
        .map(toApplication);
    },
  };
}

function toPod(o: Obj): PodFacts {
  const specContainers = arr(get(o, "spec", "containers"));
  const statuses = arr(get(o, "status", "containerStatuses"));
  const containers: ContainerStatusFacts[] = statuses.map((s) => {
    const name = str(get(s, "name"));
    const spec = specContainers.find((c) => get(c, "name") === name);
    const waiting = get(s, "state", "waiting");
    return {
      name,
      image: str(get(s, "image")) || str(get(spec, "image")),
      ready: get(s, "ready") === true,
      restartCount: num(get(s, "restartCount")) ?? 0,
      ...(isObj(waiting)
        ? {
            waiting: {
              reason: str(waiting["reason"]),
              ...(waiting["message"] ? { message: str(waiting["message"]) } : {}),
            },
          }
        : {}),
      ...termination(get(s, "state", "terminated"), "terminated"),
      ...termination(get(s, "lastState", "terminated"), "lastTerminated"),
      ...(optStr(get(spec, "resources", "limits", "memory"))
        ? { memoryLimit: str(get(spec, "resources", "limits", "memory")) }
        : {}),
    };
  });
  // Containers without a status yet still appear, with their spec image.
  for (const c of specContainers) {
    const name = str(get(c, "name"));
    if (!containers.some((x) => x.name === name)) {
      containers.push({ name, image: str(get(c, "image")), ready: false, restartCount: 0 });
    }
  }
  return {
    namespace: meta(o).namespace ?? "default",
    name: meta(o).name,
    phase: str(get(o, "status", "phase")) || "Unknown",
    ...(optStr(get(o, "spec", "nodeName")) ? { nodeName: str(get(o, "spec", "nodeName")) } : {}),
    containers,
    owners: ownersOf(o),
  };
}

function termination(v: unknown, key: "terminated" | "lastTerminated"): Partial<ContainerStatusFacts> {
  if (!isObj(v)) return {};
  const t: TerminationFacts = {
    reason: str(v["reason"]) || "Unknown",
    exitCode: num(v["exitCode"]) ?? -1,
    ...(v["finishedAt"] ? { finishedAt: str(v["finishedAt"]) } : {}),
    ...(v["message"] ? { message: str(v["message"]) } : {}),
  };
  return { [key]: t };
}

function toRevision(o: Obj): ReplicaSetRevision {
  const ann = (get(o, "metadata", "annotations") ?? {}) as Obj;
  const rev = Number(ann["deployment.kubernetes.io/revision"] ?? ann["rollout.argoproj.io/revision"] ?? 0);
  const images: Record<string, string> = {};
  for (const c of arr(get(o, "spec", "template", "spec", "containers"))) {
    images[str(get(c, "name"))] = str(get(c, "image"));
  }
  return {
    name: meta(o).name,
    revision: Number.isFinite(rev) ? rev : 0,
    images,
    ...(optStr(get(o, "metadata", "creationTimestamp"))
      ? { createdAt: str(get(o, "metadata", "creationTimestamp")) }
      : {}),
    replicas: num(get(o, "status", "replicas")) ?? num(get(o, "spec", "replicas")) ?? 0,
    readyReplicas: num(get(o, "status", "readyReplicas")) ?? 0,
  };
}

function toNode(o: Obj): NodeFacts {
  return {
    name: meta(o).name,
    conditions: arr(get(o, "status", "conditions")).map((c) => ({
      type: str(get(c, "type")),
      status: (["True", "False"].includes(str(get(c, "status"))) ? str(get(c, "status")) : "Unknown") as
        | "True"
        | "False"
        | "Unknown",
      ...(get(c, "reason") ? { reason: str(get(c, "reason")) } : {}),
      ...(get(c, "message") ? { message: str(get(c, "message")) } : {}),
    })),
    taints: arr(get(o, "spec", "taints")).map((t) => ({
      key: str(get(t, "key")),
      ...(get(t, "value") !== undefined ? { value: str(get(t, "value")) } : {}),
      effect: str(get(t, "effect")),
    })),
    unschedulable: get(o, "spec", "unschedulable") === true,
    labels: Object.fromEntries(
      Object.entries((get(o, "metadata", "labels") ?? {}) as Obj).map(([k, v]) => [k, str(v)]),
    ),
  };
}

function toApplication(o: Obj): ArgoApplicationFacts {
  const src = get(o, "spec", "source");
  const history: ArgoHistoryEntry[] = arr(get(o, "status", "history")).map((h) => {
    const s = get(h, "source");
    const helmValues: Record<string, string> = {};
    for (const p of arr(get(s, "helm", "parameters"))) helmValues[str(get(p, "name"))] = str(get(p, "value"));
    flatten(get(s, "helm", "valuesObject"), "", helmValues);
    const kustomizeImages = strArr(get(s, "kustomize", "images"));
    return {
      id: num(get(h, "id")) ?? 0,
      revision: str(get(h, "revision")),
      ...(get(h, "deployedAt") ? { deployedAt: str(get(h, "deployedAt")) } : {}),
      ...(isObj(s)
        ? {
            source: {
              repoURL: optStr(s["repoURL"]),
              path: optStr(s["path"]),
              targetRevision: optStr(s["targetRevision"]),
              ...(Object.keys(helmValues).length > 0 ? { helmValues } : {}),
              ...(kustomizeImages.length > 0 ? { kustomizeImages } : {}),
            },
          }
        : {}),
    };
  });
  return {
    namespace: meta(o).namespace ?? "argocd",
    name: meta(o).name,
    ...(isObj(src)
      ? {
          source: {
            repoURL: optStr(src["repoURL"]),
            path: optStr(src["path"]),
            targetRevision: optStr(src["targetRevision"]),
          },
        }
      : {}),
    destinationNamespace: optStr(get(o, "spec", "destination", "namespace")),
    syncStatus: optStr(get(o, "status", "sync", "status")),
    syncRevision: optStr(get(o, "status", "sync", "revision")),
    healthStatus: optStr(get(o, "status", "health", "status")),
    history: history.sort((a, b) => b.id - a.id),
    images: strArr(get(o, "status", "summary", "images")),
  };
}

function flatten(v: unknown, prefix: string, out: Record<string, string>, depth = 0): void {
  if (depth > 20) return;
  if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out, depth + 1);
  } else if (v !== null && v !== undefined && !Array.isArray(v) && prefix) {
    out[prefix] = String(v);
  }
}

function ownersOf(o: Obj): OwnerRef[] {
  const refs = arr(get(o, "metadata", "ownerReferences")).map((r) => ({
    kind: str(get(r, "kind")),
    name: str(get(r, "name")),
    controller: get(r, "controller") === true,
  }));
  return refs
    .sort((a, b) => Number(b.controller) - Number(a.controller))
    .map(({ kind, name }) => ({
      kind,
      name,
      ...(meta(o).namespace ? { namespace: meta(o).namespace } : {}),
    }));
}

function controllerOf(o: Obj): { kind: string; name: string } | undefined {
  return ownersOf(o)[0];
}

function meta(o: Obj): { name: string; namespace?: string } {
  const m = (o["metadata"] ?? {}) as Obj;
  return {
    name: str(m["name"]),
    ...(typeof m["namespace"] === "string" ? { namespace: m["namespace"] } : {}),
  };
}

function get(o: unknown, ...path: string[]): unknown {
  let cur = o;
  for (const k of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function arr(v: unknown): Obj[] {
  return Array.isArray(v) ? (v.filter(isObj) as Obj[]) : [];
}
function strArr(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
}
function str(v: unknown): string {
  return v === undefined || v === null ? "" : String(v);
}
function optStr(v: unknown): string | undefined {
  return v === undefined || v === null || v === "" ? undefined : String(v);
}
function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}
