import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createKubernetesCluster } from "../../../src/adapters/kubernetes/create-kubernetes-cluster.js";
import { kubeConfigFor } from "../../../src/adapters/kubernetes/load-kube-config.js";
import { silentLogger } from "../../../src/workflows/ports/logger.js";
import { ClusterFault } from "../../../src/workflows/ports/rollout-watch.js";

const API = "https://k8s.test:6443";
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/kubernetes/${name}`, import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;
const cluster = () => createKubernetesCluster(kubeConfigFor(API, "s3cr3t-token"), { logger: silentLogger });

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("createKubernetesCluster", () => {
  it("reads a CrashLoopBackOff pod: waiting reason, last termination, restarts, memory limit, owners", async () => {
    const scope = nock(API)
      .get("/api/v1/namespaces/shop/pods/checkout-7d9f8b6c5-x2x9q")
      .matchHeader("authorization", "Bearer s3cr3t-token")
      .reply(200, fixture("pod.crashloop.json"));
    const pod = await cluster().getPod("shop", "checkout-7d9f8b6c5-x2x9q");
    expect(pod).toEqual({
      namespace: "shop",
      name: "checkout-7d9f8b6c5-x2x9q",
      phase: "Running",
      nodeName: "worker-3",
      containers: [
        {
          name: "checkout",
          image: "registry.example.com/shop/checkout:1.4.2",
          ready: false,
          restartCount: 7,
          waiting: {
            reason: "CrashLoopBackOff",
            message:
              "back-off 5m0s restarting failed container=checkout pod=checkout-7d9f8b6c5-x2x9q_shop(1a2b)",
          },
          lastTerminated: { reason: "OOMKilled", exitCode: 137, finishedAt: "2026-01-01T00:01:30.000Z" },
          memoryLimit: "256Mi",
        },
      ],
      owners: [{ kind: "ReplicaSet", name: "checkout-7d9f8b6c5", namespace: "shop" }],
    });
    expect(scope.isDone()).toBe(true);
  });

  it("follows the owner chain Pod ⇒ ReplicaSet ⇒ Deployment and lists revisions newest first", async () => {
    const rs = (name: string, rev: string, image: string) => ({
      metadata: {
        name,
        namespace: "shop",
        annotations: { "deployment.kubernetes.io/revision": rev },
        ownerReferences: [
          { apiVersion: "apps/v1", kind: "Deployment", name: "checkout", uid: "d-uid", controller: true },
        ],
        creationTimestamp: "2026-01-01T00:00:00Z",
      },
      spec: { selector: {}, template: { spec: { containers: [{ name: "checkout", image }] } } },
      status: { replicas: 3, readyReplicas: rev === "3" ? 0 : 3 },
    });
    const scope = nock(API)
      .get("/api/v1/namespaces/shop/pods/checkout-7d9f8b6c5-x2x9q")
      .reply(200, fixture("pod.crashloop.json"))
      .get("/apis/apps/v1/namespaces/shop/replicasets/checkout-7d9f8b6c5")
      .reply(200, rs("checkout-7d9f8b6c5", "3", "registry.example.com/shop/checkout:1.4.2"))
      .get("/apis/apps/v1/namespaces/shop/deployments/checkout")
      .reply(200, { metadata: { name: "checkout", namespace: "shop" }, spec: { selector: {}, template: {} } })
      .get("/apis/apps/v1/namespaces/shop/replicasets")
      .reply(200, {
        items: [
          rs("checkout-5c8d7f9b4", "2", "registry.example.com/shop/checkout:1.4.1"),
          rs("checkout-7d9f8b6c5", "3", "registry.example.com/shop/checkout:1.4.2"),
          {
            ...rs("other-1", "9", "x"),
            metadata: { ...rs("other-1", "9", "x").metadata, ownerReferences: [] },
          },
        ],
      });
    const c = cluster();
    expect(await c.getOwnerChain("Pod", "shop", "checkout-7d9f8b6c5-x2x9q")).toEqual([
      { kind: "ReplicaSet", name: "checkout-7d9f8b6c5", namespace: "shop" },
      { kind: "Deployment", name: "checkout", namespace: "shop" },
    ]);
    const revs = await c.listReplicaSetRevisions("shop", { kind: "Deployment", name: "checkout" });
    expect(revs.map((r) => [r.revision, r.images["checkout"], r.readyReplicas])).toEqual([
      [3, "registry.example.com/shop/checkout:1.4.2", 0],
      [2, "registry.example.com/shop/checkout:1.4.1", 3],
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("reads node conditions and taints (MemoryPressure)", async () => {
    const scope = nock(API).get("/api/v1/nodes/worker-3").reply(200, fixture("node.memory-pressure.json"));
    const node = await cluster().getNode("worker-3");
    expect(node?.conditions.find((c) => c.type === "MemoryPressure")).toEqual({
      type: "MemoryPressure",
      status: "True",
      reason: "KubeletHasInsufficientMemory",
      message: "kubelet has insufficient memory available",
    });
    expect(node?.taints).toEqual([{ key: "node.kubernetes.io/memory-pressure", effect: "NoSchedule" }]);
    expect(node?.unschedulable).toBe(false);
    expect(scope.isDone()).toBe(true);
  });

  it("reads a PVC and whether its StorageClass allows expansion; absent field stays undefined", async () => {
    const scope = nock(API)
      .get("/api/v1/namespaces/db/persistentvolumeclaims/data-postgres-0")
      .reply(200, {
        metadata: { name: "data-postgres-0", namespace: "db" },
        spec: {
          storageClassName: "fast-ssd",
          resources: { requests: { storage: "10Gi" } },
          accessModes: ["ReadWriteOnce"],
        },
        status: { phase: "Bound", capacity: { storage: "10Gi" } },
      })
      .get("/apis/storage.k8s.io/v1/storageclasses/fast-ssd")
      .reply(200, {
        metadata: { name: "fast-ssd" },
        provisioner: "cinder.csi.openstack.org",
        allowVolumeExpansion: true,
      })
      .get("/apis/storage.k8s.io/v1/storageclasses/slow")
      .reply(200, { metadata: { name: "slow" }, provisioner: "kubernetes.io/no-provisioner" })
      .get("/apis/storage.k8s.io/v1/storageclasses/missing")
      .reply(404, { kind: "Status", code: 404, reason: "NotFound" });
    const c = cluster();
    expect(await c.getPvc("db", "data-postgres-0")).toEqual({
      namespace: "db",
      name: "data-postgres-0",
      requested: "10Gi",
      capacity: "10Gi",
      storageClassName: "fast-ssd",
      phase: "Bound",
    });
    expect(await c.getStorageClass("fast-ssd")).toEqual({
      name: "fast-ssd",
      allowVolumeExpansion: true,
      provisioner: "cinder.csi.openstack.org",
    });
    expect((await c.getStorageClass("slow"))?.allowVolumeExpansion).toBeUndefined();
    expect(await c.getStorageClass("missing")).toBeNull();
    expect(scope.isDone()).toBe(true);
  });

  it("lists events of one object newest first, with a field selector", async () => {
    const scope = nock(API)
      .get("/api/v1/events")
      .query({ fieldSelector: "involvedObject.kind=Node,involvedObject.name=worker-3", limit: "50" })
      .reply(200, {
        items: [
          {
            metadata: { name: "a" },
            involvedObject: { kind: "Node", name: "worker-3" },
            type: "Warning",
            reason: "EvictionThresholdMet",
            message: "Attempting to reclaim memory",
            count: 3,
            lastTimestamp: "2026-01-01T00:01:00Z",
          },
          {
            metadata: { name: "b" },
            involvedObject: { kind: "Node", name: "worker-3" },
            type: "Warning",
            reason: "Evicted",
            message: "The node was low on resource: memory.",
            count: 1,
            lastTimestamp: "2026-01-01T00:02:00Z",
          },
        ],
      });
    const events = await cluster().listEvents({ kind: "Node", name: "worker-3" });
    expect(events.map((e) => e.reason)).toEqual(["Evicted", "EvictionThresholdMet"]);
    expect(scope.isDone()).toBe(true);
  });

  it("bounds the log tail (tailLines, limitBytes) and redacts secrets", async () => {
    const scope = nock(API)
      .get("/api/v1/namespaces/shop/pods/checkout-x/log")
      .query({ container: "checkout", previous: "true", tailLines: "200", limitBytes: "65536" })
      .reply(
        200,
        "starting\nDB_PASSWORD=hunter2 connecting\nAuthorization: Bearer ghp_abcdefghijklmnopqrstuvwxyz0123456789\npanic: out of memory\n",
        { "content-type": "text/plain" },
      );
    const lines = await cluster().readLogTail("shop", "checkout-x", "checkout", {
      lines: 5000,
      previous: true,
    });
    expect(lines).toHaveLength(4);
    expect(lines?.join("\n")).not.toContain("hunter2");
    expect(lines?.join("\n")).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789");
    expect(lines?.[3]).toBe("panic: out of memory");
    expect(scope.isDone()).toBe(true);
  });

  it("maps Argo CD Applications to facts with history", async () => {
    const scope = nock(API)
      .get("/apis/argoproj.io/v1alpha1/applications")
      .query({ limit: "500" })
      .reply(200, {
        metadata: { resourceVersion: "1" },
        items: [fixture("application.checkout.degraded.json")],
      });
    const [app] = await cluster().listArgoApplications();
    expect(app).toMatchObject({
      namespace: "argocd",
      name: "checkout",
      source: {
        repoURL: "https://github.com/acme/gitops.git",
        path: "apps/checkout",
        targetRevision: "main",
      },
      destinationNamespace: "shop",
      syncStatus: "Synced",
      healthStatus: "Degraded",
      images: ["registry.example.com/shop/checkout:1.4.2"],
    });
    expect(app?.history.map((h) => h.id)).toEqual([4, 5]);
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    [403, "forbidden"],
    [401, "forbidden"],
    [429, "throttled"],
    [503, "unreachable"],
  ])("HTTP %i ⇒ ClusterFault %s, with no token in the message", async (status, kind) => {
    nock(API).get("/api/v1/nodes/worker-3").reply(status, { kind: "Status", code: status });
    const err = await cluster()
      .getNode("worker-3")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterFault);
    expect((err as ClusterFault).kind).toBe(kind);
    expect((err as Error).message).not.toContain("s3cr3t-token");
  });

  it("API down ⇒ ClusterFault unreachable", async () => {
    nock(API).get("/api/v1/nodes/worker-3").replyWithError("connect ECONNREFUSED 10.0.0.1:6443");
    const err = await cluster()
      .getNode("worker-3")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterFault);
    expect((err as ClusterFault).kind).toBe("unreachable");
  });
});
