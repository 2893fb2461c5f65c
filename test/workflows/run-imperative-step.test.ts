import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClusterOperations } from "../../src/adapters/kubernetes/create-cluster-operations.js";
import { kubeConfigFor } from "../../src/adapters/kubernetes/load-kube-config.js";
import type { AuditRecordInput } from "../../src/core/audit/audit-record.js";
import type { PlannedImperativeStep } from "../../src/core/plan/remediation-plan.js";
import { manualClock } from "../../src/workflows/ports/clock.js";
import { silentLogger } from "../../src/workflows/ports/logger.js";
import type { Scheduler } from "../../src/workflows/ports/rollout-watch.js";
import { runImperativeStep, type StepGate } from "../../src/workflows/run-imperative-step.js";

const API = "https://k8s.test:6443";
const MERGE = "application/merge-patch+json";
const approved: StepGate = {
  satisfied: true,
  securityApproved: true,
  summary: "approved by @sec-alice at abc1234",
};

function setup(opts: { dryRun?: boolean; healthy?: boolean } = {}) {
  const audit: AuditRecordInput[] = [];
  const later: { ms: number; fn: () => Promise<void> }[] = [];
  const scheduler: Scheduler = { after: (ms, fn) => void later.push({ ms, fn }) };
  const deps = {
    ops: createClusterOperations(kubeConfigFor(API)),
    audit: async (r: AuditRecordInput) => void audit.push(r),
    coordinationHealthy: async () => opts.healthy ?? true,
    dryRun: opts.dryRun ?? false,
    scheduler,
    clock: manualClock("2026-11-28T00:00:00Z"),
    logger: silentLogger,
    actor: { kind: "bot" as const, login: "gitops-medic[bot]" },
  };
  return { deps, audit, later };
}
const step = (
  action: string,
  target: Record<string, string>,
  risk: "safe" | "destructive",
): PlannedImperativeStep => ({
  id: action,
  action,
  target,
  risk,
  description: `${action} (kubectl equivalent)`,
});
const pod = (name: string, ownerKind: string, extra: Record<string, unknown> = {}) => ({
  metadata: {
    name,
    namespace: "shop",
    ownerReferences: [{ apiVersion: "apps/v1", kind: ownerKind, name: "x", uid: "u" }],
    ...extra,
  },
  spec: { nodeName: "worker-3", containers: [{ name: "c", image: "i" }] },
});

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("runImperativeStep", () => {
  it("cordon patches spec.unschedulable with a merge patch and leaves an audit record", async () => {
    const { deps, audit } = setup();
    const scope = nock(API)
      .patch("/api/v1/nodes/worker-3", { spec: { unschedulable: true } })
      .matchHeader("content-type", MERGE)
      .reply(200, { metadata: { name: "worker-3" } });
    const res = await runImperativeStep(deps, {
      step: step("cordon", { node: "worker-3" }, "safe"),
      gate: approved,
      incidentKey: "NodeMemoryPressure/worker-3",
    });
    expect(res).toEqual({ status: "ok", lines: ["node worker-3 cordoned"] });
    expect(scope.isDone()).toBe(true);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "imperative.cordon",
      incidentKey: "NodeMemoryPressure/worker-3",
      outcome: { status: "ok", detail: "node worker-3 cordoned" },
      inputs: { node: "worker-3", risk: "safe", dryRun: false },
    });
  });

  it("drain evicts through the Eviction API, skips DaemonSet and mirror pods, never deletes; 429 ⇒ retried later", async () => {
    const { deps, audit, later } = setup();
    const scope = nock(API)
      .patch("/api/v1/nodes/worker-3", { spec: { unschedulable: true } })
      .reply(200, {})
      .get("/api/v1/pods")
      .query({ fieldSelector: "spec.nodeName=worker-3" })
      .reply(200, {
        items: [
          pod("checkout-1", "ReplicaSet"),
          pod("db-0", "StatefulSet"),
          pod("node-exporter-abc", "DaemonSet"),
          pod("kube-proxy-worker-3", "Node", { annotations: { "kubernetes.io/config.mirror": "abc" } }),
        ],
      })
      .post("/api/v1/namespaces/shop/pods/checkout-1/eviction", {
        apiVersion: "policy/v1",
        kind: "Eviction",
        metadata: { name: "checkout-1", namespace: "shop" },
        deleteOptions: { gracePeriodSeconds: 60 },
      })
      .reply(201, {})
      .post("/api/v1/namespaces/shop/pods/db-0/eviction")
      .reply(429, {
        kind: "Status",
        code: 429,
        reason: "TooManyRequests",
        message: "Cannot evict pod as it would violate the pod's disruption budget.",
      });
    const res = await runImperativeStep(deps, {
      step: step("drain", { node: "worker-3", gracePeriodSeconds: "60" }, "destructive"),
      gate: approved,
    });
    expect(res.status).toBe("pending");
    expect(res.status === "pending" && res.remaining).toEqual(["shop/db-0"]);
    expect(scope.isDone()).toBe(true);
    expect(later.map((l) => l.ms)).toEqual([30_000]);
    expect(audit[0]?.outcome).toMatchObject({ status: "ok" });
    // The retry: the budget now allows it.
    const retry = nock(API)
      .patch("/api/v1/nodes/worker-3")
      .reply(200, {})
      .get("/api/v1/pods")
      .query(true)
      .reply(200, { items: [pod("db-0", "StatefulSet")] })
      .post("/api/v1/namespaces/shop/pods/db-0/eviction")
      .reply(201, {});
    await later[0]!.fn();
    expect(retry.isDone()).toBe(true);
    expect(later).toHaveLength(1);
  });

  it.each([
    ["gate not satisfied", { ...approved, satisfied: false }, true, /approval gate is not satisfied/],
    ["no security approval", { ...approved, securityApproved: false }, true, /needs a security code owner/],
    ["coordination unhealthy", approved, false, /coordination .* unhealthy/],
  ])("drain refused: %s — no API call, an audit record", async (_n, gate, healthy, reason) => {
    const { deps, audit } = setup({ healthy });
    const res = await runImperativeStep(deps, {
      step: step("drain", { node: "worker-3" }, "destructive"),
      gate,
    });
    expect(res.status).toBe("refused");
    expect(res.status === "refused" && res.reason).toMatch(reason);
    expect(audit[0]?.outcome.status).toBe("refused");
  });

  it("a safe step runs with an unhealthy coordination store (only destructive ones are blocked)", async () => {
    const { deps } = setup({ healthy: false });
    nock(API)
      .patch("/apis/apps/v1/namespaces/shop/deployments/checkout", {
        spec: {
          template: {
            metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "2026-11-28T00:00:00.000Z" } },
          },
        },
      })
      .reply(200, {});
    const res = await runImperativeStep(deps, {
      step: step("rollout-restart", { kind: "Deployment", namespace: "shop", name: "checkout" }, "safe"),
      gate: { ...approved, securityApproved: false },
    });
    expect(res).toEqual({ status: "ok", lines: ["Deployment shop/checkout restarted"] });
  });

  it("dry run prints and calls nothing", async () => {
    const { deps, audit } = setup({ dryRun: true });
    const res = await runImperativeStep(deps, {
      step: step("drain", { node: "worker-3", gracePeriodSeconds: "120" }, "destructive"),
      gate: approved,
    });
    expect(res).toEqual({
      status: "dry-run",
      lines: ["dry run: would drain node worker-3 (evictions, grace 120 s)"],
    });
    expect(audit[0]?.outcome).toEqual({
      status: "skipped",
      detail: "dry run: drain node worker-3 (evictions, grace 120 s)",
    });
  });

  it.each([
    ["rollout-abort", {}, [["status", { status: { abort: true } }]]],
    ["rollout-retry", {}, [["status", { status: { abort: false } }]]],
    ["rollout-promote", { full: "true" }, [["status", { status: { promoteFull: true } }]]],
    [
      "rollout-promote",
      {},
      [
        ["spec", { spec: { paused: false } }],
        ["status", { status: { pauseConditions: null } }],
      ],
    ],
  ])("%s %j patches the Rollout like kubectl argo rollouts", async (action, extra, patches) => {
    const { deps } = setup();
    let scope = nock(API);
    for (const [where, body] of patches as [string, nock.DataMatcherMap][]) {
      scope = scope
        .patch(
          `/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/checkout${where === "status" ? "/status" : ""}`,
          body,
        )
        .matchHeader("content-type", MERGE)
        .reply(200, {});
    }
    const res = await runImperativeStep(deps, {
      step: step(action, { namespace: "shop", name: "checkout", ...extra }, "destructive"),
      gate: approved,
    });
    expect(res.status).toBe("ok");
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    [403, /403 Forbidden/],
    [429, /429 Too Many Requests/],
  ])("API %i ⇒ failed with a clear reason and an audit record", async (status, reason) => {
    const { deps, audit } = setup();
    nock(API).patch("/api/v1/nodes/worker-3").reply(status, { kind: "Status", code: status });
    const res = await runImperativeStep(deps, {
      step: step("cordon", { node: "worker-3" }, "safe"),
      gate: approved,
    });
    expect(res.status).toBe("failed");
    expect(res.status === "failed" && res.reason).toMatch(reason);
    expect(audit[0]?.outcome.status).toBe("failed");
  });
});
