import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMedicConfig } from "../../../src/core/config/medic-config.js";
import type { Incident } from "../../../src/core/incident/incident.js";
import type { RepoFile } from "../../../src/core/manifest/types.js";
import { hashPlan } from "../../../src/core/plan/hash-plan.js";
import { bindParameters } from "../../../src/core/runbook/bind-parameters.js";
import { buildRunbookRegistry } from "../../../src/core/runbook/build-runbook-registry.js";
import { matchRunbook } from "../../../src/core/runbook/match-runbook.js";
import { emptyPlanFacts, type PlanFacts, reasonsFromFacts } from "../../../src/core/runbook/plan-facts.js";
import { planRunbook } from "../../../src/core/runbook/plan-runbook.js";
import { diffLines } from "../../../src/core/runbook/runbook-test-case.js";
import { parseYamlDocument } from "../../../src/core/yaml/parse-yaml.js";

// Golden tests of the four blueprint runbooks against examples/gitops, through the pure core only:
// the facts a cluster would give are written out here, so each case shows exactly what the plan uses.

const root = new URL("../../../", import.meta.url).pathname;
const repoDir = join(root, "examples/gitops");
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
const files: RepoFile[] = walk(repoDir)
  .filter((p) => /\.(ya?ml|json|tfvars)$/.test(p))
  .map((p) => ({ path: relative(repoDir, p), text: readFileSync(p, "utf8") }));
const cfgDoc = parseYamlDocument(readFileSync(join(repoDir, ".github/medic.yml"), "utf8"), "medic.yml");
const cfgRes = loadMedicConfig(cfgDoc.ok ? cfgDoc.document.value : null);
const config = cfgRes.ok ? cfgRes.config : (undefined as never);
const registry = buildRunbookRegistry(
  readdirSync(join(root, "runbooks"))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => ({
      file: `runbooks/${f}`,
      text: readFileSync(join(root, "runbooks", f), "utf8"),
      origin: "bundled" as const,
    })),
);
const NOW = Date.parse("2026-11-27T15:05:00Z");

function incident(labels: Record<string, string>): Incident {
  return {
    key: `${labels["alertname"]}/test`,
    title: "t",
    severity: "warning",
    status: "firing",
    labels,
    startsAt: "2026-11-27T15:00:00Z",
    signals: [
      {
        source: "alertmanager",
        name: labels["alertname"] ?? "",
        status: "firing",
        labels,
        annotations: {},
        startsAt: "2026-11-27T15:00:00Z",
        fingerprint: "0123456789abcdef",
      },
    ],
  };
}

function plan(
  labels: Record<string, string>,
  facts: Partial<PlanFacts> = {},
  overlay: Record<string, string> = {},
) {
  const f: PlanFacts = { ...emptyPlanFacts(NOW), ...facts };
  const inc = incident(labels);
  const m = matchRunbook(registry.runbooks, inc, {
    reasons: reasonsFromFacts(f),
    clusterKnown: f.clusterKnown,
  });
  if (!m.ok) throw new Error(m.message);
  const derived: Record<string, string> = {};
  if (f.workload) {
    derived["workload.name"] = f.workload.name;
    if (f.workload.kind) derived["workload.kind"] = f.workload.kind;
  }
  const bound = bindParameters(m.entry.runbook, inc, {
    config: config.runbooks.parameters[m.entry.runbook.id] ?? {},
    facts: derived,
  });
  if (!bound.ok) throw new Error(bound.message);
  const withOverlay = files.map((x) =>
    overlay[x.path] !== undefined ? { path: x.path, text: overlay[x.path]! } : x,
  );
  return planRunbook({
    entry: m.entry,
    incident: inc,
    parameters: bound,
    files: withOverlay,
    facts: f,
    config,
    baseRevision: "WORKTREE",
  });
}

function changed(res: ReturnType<typeof plan>) {
  if (!res.ok) throw new Error(res.message);
  return Object.fromEntries(res.plan.changes.map((c) => [c.path, diffLines(c.diff)]));
}

describe("fixtures", () => {
  it("load", () => {
    expect(registry.errors).toEqual([]);
    expect(cfgRes.ok).toBe(true);
    expect(files.length).toBeGreaterThan(20);
  });
});

describe("crashloop-rollback", () => {
  const crashing = {
    clusterKnown: true,
    workload: { kind: "Deployment", name: "checkout", namespace: "shop", via: "test" },
    pod: {
      namespace: "shop",
      name: "checkout-7d9f8b6c5-x2x9z",
      phase: "Running",
      owners: [{ kind: "ReplicaSet", name: "checkout-7d9f8b6c5" }],
      containers: [
        {
          name: "checkout",
          image: "registry.example.com/shop/checkout:1.4.2",
          ready: false,
          restartCount: 7,
          waiting: { reason: "CrashLoopBackOff" },
          lastTerminated: { reason: "OOMKilled", exitCode: 137 },
          memoryLimit: "512Mi",
        },
      ],
    },
    logTail: ["starting", "db password=hunter2 ok", "Authorization: Bearer abcdefghijklmnop"],
  } satisfies Partial<PlanFacts>;
  const labels = {
    alertname: "KubePodCrashLooping",
    namespace: "shop",
    pod: "checkout-7d9f8b6c5-x2x9z",
    container: "checkout",
  };
  const rs = (revision: number, tag: string) => ({
    name: `checkout-${revision}`,
    revision,
    images: { checkout: `registry.example.com/shop/checkout:${tag}` },
    replicas: 0,
    readyReplicas: 0,
  });

  it("prefers Argo CD history, reading the manifest at the deployed revision", () => {
    const older = files
      .find((f) => f.path === "apps/checkout/deployment.yaml")!
      .text.replace("checkout:1.4.2", "checkout:1.3.9");
    const res = plan(labels, {
      ...crashing,
      revisions: [rs(7, "1.4.2"), rs(6, "1.4.1")],
      argoApplications: [
        {
          namespace: "argocd",
          name: "checkout",
          source: { path: "apps/checkout" },
          destinationNamespace: "shop",
          history: [
            { id: 42, revision: "bbbb" },
            { id: 41, revision: "aaaa" },
          ],
          images: [],
        },
      ],
      history: {
        "apps/checkout/deployment.yaml": [
          { revision: "aaaa1111", date: "2026-11-01", subject: "(Argo CD history revision)", text: older },
        ],
      },
    });
    expect(changed(res)).toEqual({
      "apps/checkout/deployment.yaml": {
        removed: ["          image: registry.example.com/shop/checkout:1.4.2"],
        added: ["          image: registry.example.com/shop/checkout:1.3.9"],
      },
    });
    if (!res.ok) return;
    expect(res.plan.evidence.find((e) => e.label === "rollback to")?.detail).toContain(
      "status.history id 41",
    );
  });

  it("then the git history of the manifest", () => {
    const older = files
      .find((f) => f.path === "apps/checkout/deployment.yaml")!
      .text.replace("checkout:1.4.2", "checkout:1.4.0");
    const current = files.find((f) => f.path === "apps/checkout/deployment.yaml")!.text;
    const res = plan(labels, {
      ...crashing,
      revisions: [rs(7, "1.4.2"), rs(6, "1.4.1")],
      history: {
        "apps/checkout/deployment.yaml": [
          { revision: "c2", date: "2026-11-27", subject: "deploy 1.4.2", text: current },
          { revision: "c1", date: "2026-11-20", subject: "deploy 1.4.0", text: older },
        ],
      },
    });
    expect(changed(res)["apps/checkout/deployment.yaml"]?.added).toEqual([
      "          image: registry.example.com/shop/checkout:1.4.0",
    ]);
  });

  it("then the ReplicaSet revisions; the evidence carries the redacted crash and an OOM fix suggestion", () => {
    const res = plan(labels, { ...crashing, revisions: [rs(7, "1.4.2"), rs(6, "1.4.1"), rs(5, "1.4.0")] });
    expect(changed(res)["apps/checkout/deployment.yaml"]?.added).toEqual([
      "          image: registry.example.com/shop/checkout:1.4.1",
    ]);
    if (!res.ok) return;
    expect(res.plan.risk).toEqual({
      level: "safe",
      reasons: [
        "1 file change(s); no step or change is destructive (runbook crashloop-rollback is declared safe)",
      ],
    });
    const log = res.plan.evidence.find((e) => e.label.startsWith("log tail"))?.detail ?? "";
    expect(log).toBe("starting\ndb password=[REDACTED] ok\nAuthorization: [REDACTED]");
    expect(res.plan.evidence.find((e) => e.label === "last termination")?.detail).toBe(
      "reason OOMKilled, exit code 137",
    );
    expect(res.plan.suggestions[0]?.title).toBe("Raise the memory limit of container checkout");
    expect(res.plan.suggestions[0]?.body).toContain("for example to 768Mi");
  });

  it("never rolls back to a quarantined image", () => {
    const res = plan(labels, {
      ...crashing,
      revisions: [rs(7, "1.4.2"), rs(6, "1.4.1"), rs(5, "1.4.0")],
      quarantinedImages: ["registry.example.com/shop/checkout:1.4.1"],
    });
    expect(changed(res)["apps/checkout/deployment.yaml"]?.added).toEqual([
      "          image: registry.example.com/shop/checkout:1.4.0",
    ]);
  });

  it("a workload that is not in the repository is a not-found failure naming it", () => {
    const res = plan({ ...labels, deployment: "ghost" }, crashing);
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.kind).toBe("not-found");
      expect(res.message).toContain("ghost");
    }
  });
});

describe("crashloop-rollback where the image is not in a plain manifest", () => {
  const pod = (ns: string, name: string, container: string, image: string) => ({
    namespace: ns,
    name,
    phase: "Running",
    owners: [],
    containers: [
      {
        name: container,
        image,
        ready: false,
        restartCount: 3,
        waiting: { reason: "CrashLoopBackOff" },
        lastTerminated: { reason: "Error", exitCode: 2 },
      },
    ],
  });

  it("Kustomize overlay: sets images[].newTag in the overlay, never the base", () => {
    const res = plan(
      { alertname: "KubePodCrashLooping", namespace: "shop", pod: "catalog-6d5f8c7b9-p4lzt" },
      {
        clusterKnown: true,
        workload: { kind: "Deployment", name: "catalog", namespace: "shop", via: "test" },
        pod: pod("shop", "catalog-6d5f8c7b9-p4lzt", "catalog", "registry.example.com/shop/catalog:2.8.1"),
        revisions: [
          {
            name: "catalog-b",
            revision: 9,
            images: { catalog: "registry.example.com/shop/catalog:2.8.1" },
            replicas: 1,
            readyReplicas: 0,
          },
          {
            name: "catalog-a",
            revision: 8,
            images: { catalog: "registry.example.com/shop/catalog:2.7.5" },
            replicas: 4,
            readyReplicas: 4,
          },
        ],
      },
    );
    expect(changed(res)).toEqual({
      "apps/catalog/overlays/prod/kustomization.yaml": {
        removed: ['    newTag: "2.8.1"'],
        added: ['    newTag: "2.7.5"'],
      },
    });
    if (res.ok) expect(res.plan.suggestions[0]?.body).toContain("Exit code 2");
  });

  it("Argo Rollout with two containers: only the crashing container's image changes", () => {
    const res = plan(
      {
        alertname: "KubePodCrashLooping",
        namespace: "payments",
        pod: "payments-58b9d7c6f4-2kfjw",
        container: "payments",
      },
      {
        clusterKnown: true,
        workload: { kind: "Rollout", name: "payments", namespace: "payments", via: "test" },
        pod: pod(
          "payments",
          "payments-58b9d7c6f4-2kfjw",
          "payments",
          "registry.example.com/payments/payments-api:5.3.0",
        ),
        revisions: [
          {
            name: "payments-58b9d7c6f4",
            revision: 12,
            images: {
              payments: "registry.example.com/payments/payments-api:5.3.0",
              "audit-shipper": "registry.example.com/platform/audit-shipper:0.9.4",
            },
            replicas: 1,
            readyReplicas: 0,
          },
          {
            name: "payments-7c9f8d6b5",
            revision: 11,
            images: {
              payments: "registry.example.com/payments/payments-api:5.2.7",
              "audit-shipper": "registry.example.com/platform/audit-shipper:0.9.3",
            },
            replicas: 4,
            readyReplicas: 4,
          },
        ],
      },
    );
    expect(changed(res)).toEqual({
      "apps/payments/rollout.yaml": {
        removed: ["          image: registry.example.com/payments/payments-api:5.3.0"],
        added: ["          image: registry.example.com/payments/payments-api:5.2.7"],
      },
    });
    if (res.ok) expect(res.plan.target).toBe("Rollout payments/payments");
  });

  it("Helm values file (mapping in medic.yml): sets image.tag from the git history of the values file", () => {
    const current = files.find((f) => f.path === "apps/frontend/values-prod.yaml")!.text;
    const res = plan(
      {
        alertname: "KubePodCrashLooping",
        namespace: "web",
        pod: "frontend-7f6d9c8b5-vx8rn",
        deployment: "frontend",
      },
      {
        clusterKnown: true,
        pod: pod("web", "frontend-7f6d9c8b5-vx8rn", "frontend", "registry.example.com/web/frontend:3.12.0"),
        history: {
          "apps/frontend/values-prod.yaml": [
            { revision: "c3", date: "2026-11-27", subject: "frontend 3.12.0", text: current },
            {
              revision: "c2",
              date: "2026-11-20",
              subject: "frontend 3.11.4",
              text: current.replace('tag: "3.12.0"', 'tag: "3.11.4"'),
            },
          ],
        },
      },
    );
    expect(changed(res)).toEqual({
      "apps/frontend/values-prod.yaml": { removed: ['  tag: "3.12.0"'], added: ['  tag: "3.11.4"'] },
    });
    if (res.ok)
      expect(res.plan.evidence.find((e) => e.label === "rollback to")?.detail).toContain(
        'commit c2 (2026-11-20) "frontend 3.11.4"',
      );
  });
});

describe("node-pressure", () => {
  const node = (name: string, pressure: boolean, ready = true) => ({
    name,
    conditions: [
      { type: "MemoryPressure", status: pressure ? ("True" as const) : ("False" as const) },
      { type: "Ready", status: ready ? ("True" as const) : ("False" as const) },
    ],
    taints: [],
    unschedulable: false,
    labels: {},
  });
  const labels = { alertname: "KubeNodePressure", node: "worker-2", condition: "MemoryPressure" };

  it("adds one worker in the tfvars, plans cordon and drain, and is destructive", () => {
    const res = plan(labels, {
      clusterKnown: true,
      node: node("worker-2", true),
      nodes: [node("worker-1", false), node("worker-2", true)],
    });
    expect(changed(res)).toEqual({
      "infra/openstack/terraform.auto.tfvars.json": {
        removed: ['  "worker_count": 3,'],
        added: ['  "worker_count": 4,'],
      },
    });
    if (!res.ok) return;
    expect(res.plan.steps.map((s) => [s.action, s.risk, s.target])).toEqual([
      ["cordon", "safe", { node: "worker-2" }],
      ["drain", "destructive", { node: "worker-2", gracePeriodSeconds: "120" }],
    ]);
    expect(res.plan.risk.level).toBe("destructive");
    expect(res.plan.approvals).toMatchObject({
      securityApproval: true,
      count: 1,
      beforeImperativeSteps: true,
    });
    expect(res.plan.undo).toContain("uncordon the node once healthy: kubectl uncordon worker-2");
  });

  it("flags a drain with no other Ready worker", () => {
    const res = plan(labels, {
      clusterKnown: true,
      node: node("worker-2", true),
      nodes: [node("worker-1", false, false), node("worker-2", true)],
    });
    expect(res.ok && res.plan.risk.reasons).toContain(
      "no other Ready schedulable worker: draining worker-2 would leave its pods pending",
    );
  });

  it("uses the HCL tfvars of another directory from config, within maxWorkers", () => {
    const saved = config.runbooks.parameters["node-pressure"];
    config.runbooks.parameters["node-pressure"] = { workersPath: "infra/openstack-legacy" };
    try {
      const res = plan(labels, { clusterKnown: true, node: node("worker-2", true) });
      expect(changed(res)).toEqual({
        "infra/openstack-legacy/workers.tfvars": {
          removed: ["worker_count = 3 # bumped from 2 after the Oct load test"],
          added: ["worker_count = 4 # bumped from 2 after the Oct load test"],
        },
      });
      const full = plan(
        labels,
        { clusterKnown: true },
        { "infra/openstack-legacy/workers.tfvars": "worker_count = 6\n" },
      );
      expect(full.ok).toBe(false);
      if (!full.ok) expect(full).toMatchObject({ kind: "limit", step: "steps.0" });
    } finally {
      if (saved) config.runbooks.parameters["node-pressure"] = saved;
      else delete config.runbooks.parameters["node-pressure"];
    }
  });
});

describe("pvc-full", () => {
  const labels = {
    alertname: "KubePersistentVolumeFillingUp",
    namespace: "data",
    persistentvolumeclaim: "pgdata-orders-db",
  };
  it("expands by half and adds a vacuumdb Job that reuses the database's image and password secret", () => {
    const res = plan(labels, {
      clusterKnown: true,
      pvc: {
        namespace: "data",
        name: "pgdata-orders-db",
        requested: "50Gi",
        capacity: "50Gi",
        storageClassName: "cinder-ssd",
      },
      storageClass: { name: "cinder-ssd", allowVolumeExpansion: true },
    });
    const c = changed(res);
    expect(c["apps/orders-db/pvc.yaml"]).toEqual({
      removed: ["      storage: 50Gi # grown from 20Gi in INC-2104"],
      added: ["      storage: 75Gi # grown from 20Gi in INC-2104"],
    });
    const job = res.ok ? res.plan.changes.find((x) => x.before === null) : undefined;
    expect(job?.path).toBe("apps/orders-db/job-vacuumdb-orders-db-20261127t1505.yaml");
    const doc = parseYamlDocument(job?.after ?? "", "job.yaml");
    const value = doc.ok ? (doc.document.value as Record<string, any>) : {};
    const container = value["spec"]["template"]["spec"]["containers"][0];
    expect(container.command).toEqual(["vacuumdb", "--all", "--analyze", "--jobs=2", "--echo"]);
    expect(container.image).toBe("docker.io/library/postgres:16.4");
    expect(
      container.env.find((e: { name: string }) => e.name === "PGPASSWORD").valueFrom.secretKeyRef.name,
    ).toBe("orders-db-credentials");
  });

  it("a capacity the provisioner rounded up is the base of the expansion", () => {
    const res = plan(labels, {
      clusterKnown: true,
      pvc: {
        namespace: "data",
        name: "pgdata-orders-db",
        requested: "50Gi",
        capacity: "60Gi",
        storageClassName: "cinder-ssd",
      },
    });
    expect(changed(res)["apps/orders-db/pvc.yaml"]?.added).toEqual([
      "      storage: 90Gi # grown from 20Gi in INC-2104",
    ]);
  });

  it("refuses when the cluster says the class cannot expand, even if the repository says it can", () => {
    const res = plan(labels, {
      clusterKnown: true,
      pvc: { namespace: "data", name: "pgdata-orders-db", capacity: "50Gi", storageClassName: "cinder-ssd" },
      storageClass: { name: "cinder-ssd", allowVolumeExpansion: false },
    });
    expect(res).toMatchObject({ ok: false, kind: "refused", step: "steps.0" });
  });
});

describe("ingress-5xx", () => {
  it("scales replicas when no HPA manages the backend (payments Rollout)", () => {
    const res = plan({ alertname: "IngressHigh5xxRate", namespace: "payments", ingress: "payments" });
    const c = changed(res);
    expect(c["apps/payments/rollout.yaml"]).toEqual({ removed: ["  replicas: 4"], added: ["  replicas: 6"] });
    expect(Object.keys(c).sort()).toEqual(["apps/payments/ingress.yaml", "apps/payments/rollout.yaml"]);
    if (res.ok) {
      expect(res.plan.suggestions.map((s) => s.title)).toEqual([
        "WAF rule for Ingress payments/payments (suggestion, not applied)",
      ]);
      expect(res.plan.evidence.find((e) => e.label === "scale-hpa")?.detail).toMatch(
        /^skipped: no HorizontalPodAutoscaler/,
      );
    }
  });

  it("never loosens a stricter existing rate limit", () => {
    const ing = files
      .find((f) => f.path === "apps/checkout/ingress.yaml")!
      .text.replace(
        '    nginx.ingress.kubernetes.io/proxy-body-size: "2m"',
        '    nginx.ingress.kubernetes.io/proxy-body-size: "2m"\n    nginx.ingress.kubernetes.io/limit-rps: "5"',
      );
    const res = plan(
      { alertname: "IngressHigh5xxRate", namespace: "shop", ingress: "checkout" },
      {},
      { "apps/checkout/ingress.yaml": ing },
    );
    expect(changed(res)["apps/checkout/ingress.yaml"]?.added).toEqual([
      '    nginx.ingress.kubernetes.io/limit-connections: "20"',
      '    nginx.ingress.kubernetes.io/limit-burst-multiplier: "5"',
    ]);
  });
});

describe("run limits", () => {
  const labels = { alertname: "IngressHigh5xxRate", namespace: "shop", ingress: "checkout" };
  it.each([
    [[{ runbookId: "ingress-5xx", target: "Deployment shop/checkout", at: NOW - 10 * 60_000 }], "cooldown"],
    [
      [1, 2, 3].map((h) => ({
        runbookId: "ingress-5xx",
        target: "Deployment shop/checkout",
        at: NOW - h * 3_600_000,
      })),
      "maxRunsPerTargetPerDay",
    ],
  ])("previous runs %j ⇒ %s", (previousRuns, kind) => {
    const res = plan(labels, { previousRuns });
    expect(res).toMatchObject({ ok: false, kind });
    if (!res.ok) expect(res.message).toMatch(new RegExp(`^limits\\.${kind}: `));
  });

  it("runs on another target or long ago do not count; the plan hash is stable", () => {
    const a = plan(labels, {
      previousRuns: [{ runbookId: "ingress-5xx", target: "Deployment shop/other", at: NOW }],
    });
    const b = plan(labels, {
      previousRuns: [
        { runbookId: "ingress-5xx", target: "Deployment shop/checkout", at: NOW - 2 * 86_400_000 },
      ],
    });
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(hashPlan(a.plan)).toBe(hashPlan(b.plan));
  });
});

describe("scaling a chart-deployed workload (Helm values with autoscaling.enabled)", () => {
  const custom = buildRunbookRegistry([
    {
      file: "runbooks/hpa-maxed.yaml",
      origin: "bundled",
      text: `id: hpa-maxed
title: Raise the floor of a maxed-out autoscaler
version: 1.0.0
match: { alertnames: [KubeHpaMaxedOut] }
parameters:
  - { name: namespace, type: dns1123-label, from: ["label:namespace"] }
  - { name: workload, type: dns1123-subdomain, from: ["label:horizontalpodautoscaler"] }
steps:
  - { id: hpa, action: scale-hpa, optional: true, with: { namespace: "{{namespace}}", workload: "{{workload}}", to: 14 } }
  - { id: replicas, action: set-replicas, optional: true, with: { namespace: "{{namespace}}", workload: "{{workload}}", to: 14, unlessHpa: true } }
limits: { maxReplicas: 20 }
risk: safe
`,
    },
  ]);
  it("raises autoscaling.minReplicas (and maxReplicas past it) in the values file, never replicaCount", () => {
    const entry = custom.runbooks[0]!;
    const inc = incident({
      alertname: "KubeHpaMaxedOut",
      namespace: "web",
      horizontalpodautoscaler: "frontend",
    });
    const bound = bindParameters(entry.runbook, inc, { config: {}, facts: {} });
    if (!bound.ok) throw new Error(bound.message);
    const res = planRunbook({
      entry,
      incident: inc,
      parameters: bound,
      files,
      facts: emptyPlanFacts(NOW),
      config,
      baseRevision: "W",
    });
    expect(changed(res)).toEqual({
      "apps/frontend/values-prod.yaml": {
        removed: ["  minReplicas: 3", "  maxReplicas: 12"],
        added: ["  minReplicas: 14", "  maxReplicas: 14"],
      },
    });
    if (res.ok) {
      expect(res.plan.evidence.find((e) => e.label === "replicas")?.detail).toContain(
        "skipped: apps/frontend/values-prod.yaml: autoscaling.enabled is true",
      );
    }
  });
});
