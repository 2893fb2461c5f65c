import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadClusterSnapshot } from "../../../src/adapters/local/load-cluster-snapshot.js";

const examples = new URL("../../../examples/cluster/", import.meta.url);
const load = (name: string) => {
  const res = loadClusterSnapshot(readFileSync(new URL(name, examples), "utf8"), name);
  if (!res.ok) throw new Error(res.message);
  return res.cluster;
};

describe("loadClusterSnapshot", () => {
  it("serves a crash-looping pod, its owner chain, revisions newest first, log tail and Argo CD history", async () => {
    const c = load("crashloop-checkout.yaml");
    const pod = await c.getPod("shop", "checkout-7d9f8b6c5-x2x9z");
    expect(pod?.containers[0]).toMatchObject({
      name: "checkout",
      restartCount: 7,
      waiting: { reason: "CrashLoopBackOff" },
      lastTerminated: { reason: "Error", exitCode: 1, finishedAt: "2026-11-27T09:41:55Z" },
      memoryLimit: "512Mi",
    });
    expect(await c.getOwnerChain("Pod", "shop", "checkout-7d9f8b6c5-x2x9z")).toEqual([
      { kind: "ReplicaSet", name: "checkout-7d9f8b6c5", namespace: "shop" },
      { kind: "Deployment", name: "checkout", namespace: "shop" },
    ]);
    const revs = await c.listReplicaSetRevisions("shop", { kind: "Deployment", name: "checkout" });
    expect(revs.map((r) => [r.revision, r.images["checkout"]])).toEqual([
      [7, "registry.example.com/shop/checkout:1.4.2"],
      [6, "registry.example.com/shop/checkout:1.4.1"],
      [5, "registry.example.com/shop/checkout:1.4.0"],
    ]);
    expect(
      await c.readLogTail("shop", "checkout-7d9f8b6c5-x2x9z", "checkout", { lines: 2, previous: true }),
    ).toHaveLength(2);
    expect(
      await c.readLogTail("shop", "checkout-7d9f8b6c5-x2x9z", "checkout", { lines: 2, previous: false }),
    ).toBeNull();
    const [app] = await c.listArgoApplications();
    expect(app?.history.map((h) => h.id)).toEqual([42, 41]);
    expect(
      (await c.listEvents({ kind: "Pod", name: "checkout-7d9f8b6c5-x2x9z", namespace: "shop" }))[0]?.reason,
    ).toBe("BackOff");
  });

  it("reads Helm values of Argo CD history entries", async () => {
    const [app] = await load("crashloop-recommendations.yaml").listArgoApplications();
    expect(app?.history.map((h) => h.source?.helmValues?.["image.tag"])).toEqual([
      "0.21.4",
      "0.21.3",
      "0.20.9",
    ]);
  });

  it("serves nodes with conditions and taints, pods per node, PVCs and storage classes", async () => {
    const c = load("node-pressure-worker-2.yaml");
    const node = await c.getNode("worker-2");
    expect(node?.conditions.find((x) => x.type === "MemoryPressure")?.status).toBe("True");
    expect(node?.taints).toEqual([{ key: "node.kubernetes.io/memory-pressure", effect: "NoSchedule" }]);
    expect((await c.listPods(null, { nodeName: "worker-2" })).length).toBe(6);
    expect(await c.listNodes()).toHaveLength(3);
    const pvc = load("pvc-full-archive.yaml");
    expect(await pvc.getPvc("data", "orders-db-archive")).toMatchObject({
      capacity: "200Gi",
      storageClassName: "cinder-hdd",
    });
    expect(await pvc.getStorageClass("cinder-hdd")).toMatchObject({ allowVolumeExpansion: false });
    expect(await pvc.getStorageClass("nope")).toBeNull();
  });

  it("accepts a kubectl List in JSON", async () => {
    const list = JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [{ apiVersion: "v1", kind: "Node", metadata: { name: "n1" }, spec: { unschedulable: true } }],
    });
    const res = loadClusterSnapshot(list, "nodes.json");
    expect(res.ok && (await res.cluster.getNode("n1"))?.unschedulable).toBe(true);
  });

  it.each([
    ["not an object", "- a\n- b\n", "document 0: expected a Kubernetes object"],
    [
      "no metadata.name",
      "kind: Pod\nmetadata: {}\n",
      "expected a Kubernetes object with kind and metadata.name",
    ],
    [
      "alias bomb",
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
      "snap.yaml",
    ],
  ])("%s ⇒ an error naming the file", (_n, text, message) => {
    const res = loadClusterSnapshot(text, "snap.yaml");
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.message).toContain("snap.yaml");
      expect(res.message).toContain(message);
    }
  });
});
