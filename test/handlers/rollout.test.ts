import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { parseRemediationMarker } from "../../src/core/approval/remediation-marker.js";
import { parseAuditBlock } from "../../src/core/audit/audit-block.js";
import { renderRemediationBody } from "../../src/core/remediation/render-remediation-body.js";
import { parseQuarantine } from "../../src/core/rollout/quarantine.js";
import { formatRevertMarker, parseRevertMarker } from "../../src/core/rollout/revert-marker.js";
import { emptyPlanFacts } from "../../src/core/runbook/plan-facts.js";
import { planImperativeStep } from "../../src/core/runbook/plan-imperative-step.js";
import { samplePlan } from "../core/remediation/plan-fixture.js";
import { BOT } from "../fixtures/github/fake-github.js";
import { createRolloutHarness, DEPLOYMENT, KEY, statusLines } from "./rollout-harness.js";

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const ABORTED = "RolloutAborted: Rollout aborted update to revision 3";

describe("rollout watch after a remediation merge", () => {
  it("merge ⇒ Progressing ⇒ Degraded past the grace period ⇒ revert PR with quarantine, linked to incident and PR", async () => {
    const h = await createRolloutHarness();
    const sha7 = h.mergeSha.slice(0, 7);
    await h.receiveMerge();
    expect(h.deployments).toHaveLength(1);
    expect(h.deployments[0]).toMatchObject({
      sha: h.mergeSha,
      task: "medic:watch-rollout",
      environment: "argocd/argocd/checkout",
      payload: {
        kind: "argo",
        pr: 7,
        incidentKey: KEY,
        applications: ["argocd/checkout"],
        imagesBefore: ["registry.example.com/shop/checkout:1.4.1"],
        isRevert: false,
      },
    });
    await h.sched.advance(0);
    h.setApp("Synced", h.mergeSha, "Progressing", "Progressing", "more replicas need to be updated");
    await h.sched.advance(10_000);
    h.setApp("Synced", h.mergeSha, "Degraded", "Degraded", ABORTED);
    await h.sched.advance(10_000);
    expect(h.fake.openPulls()).toHaveLength(0);
    await h.sched.advance(130_000);
    const lines = statusLines(h);
    expect(lines[0]).toBe(`in_progress: Watching Argo CD argocd/checkout for ${sha7}`);
    expect(lines[1]).toMatch(/^in_progress: Waiting for sync to /);
    expect(lines[2]).toMatch(/^in_progress: Progressing: argocd\/checkout: Synced /);
    expect(lines[3]).toMatch(/^in_progress: Degraded at /);
    expect(lines[4]).toMatch(/^failure: Degraded for 2m/);
    expect(lines).toHaveLength(5);
    for (const s of h.statuses.get(h.deployments[0]!.id)!)
      expect(s.description.length).toBeLessThanOrEqual(140);

    const [revert] = h.fake.openPulls();
    expect(revert).toBeDefined();
    expect(revert!.head).toBe(`medic/revert/${h.mergeSha.slice(0, 12)}`);
    expect(revert!.title).toBe('Revert "fix(checkout): roll back image to 1.4.2"');
    expect(revert!.labels).toEqual(["medic:revert"]);
    expect(revert!.body).toContain("#7");
    expect(revert!.body).toContain("#42");
    expect(parseRevertMarker(revert!.body)).toMatchObject({
      incidentKey: KEY,
      originalPr: 7,
      mergeSha: h.mergeSha,
      applications: ["argocd/checkout"],
      reason: "degraded",
    });
    // The files as before the merge, plus the quarantine of the image that only ran since the merge.
    expect(h.fake.fileAt(revert!.head, "apps/checkout/rollout.yaml")).toBe(DEPLOYMENT("1.4.1"));
    const q = parseQuarantine(h.fake.fileAt(revert!.head, ".github/medic/quarantine.yml") ?? null);
    expect(q.ok && q.quarantine.entries.map((e) => [e.image, e.revision, e.application])).toEqual([
      ["registry.example.com/shop/checkout:1.4.2", h.mergeSha, "argocd/checkout"],
    ]);
    // Timeline entries on the incident, in Argo's words.
    const comments = h.fake.comments.get(42)!.map((c) => c.body);
    expect(comments.some((c) => c.includes("RolloutAborted: Rollout aborted update to revision 3"))).toBe(
      true,
    );
    expect(comments.some((c) => c.includes(`Revert PR #&#8203;${revert!.number} opened`))).toBe(true);
    expect(h.sched.pending()).toBe(0);
    // Evidence: the verdict and the revert, about the merged PR, in the repository's ledger.
    expect(h.audit.records.map((r) => [r.action, r.outcome.status])).toEqual([
      ["rollout.degraded", "ok"],
      ["rollout.reverted", "ok"],
    ]);
    expect(h.audit.records[1]).toMatchObject({
      actor: { kind: "bot", login: BOT.login },
      incidentKey: KEY,
      subject: { kind: "pull_request", repo: "acme/gitops", number: 7 },
      shas: { merge: h.mergeSha },
      inputs: { reason: "degraded", applications: ["argocd/checkout"], branch: revert!.head },
      outcome: { detail: `revert PR opened on ${revert!.head}` },
    });
    // The same record ends the revert PR's body and the incident's "Revert PR opened" entry.
    const inBody = parseAuditBlock(revert!.body);
    expect(inBody.ok && inBody.record).toEqual(h.audit.records[1]);
    const entry = comments.find((c) => c.includes(`Revert PR #&#8203;${revert!.number} opened`))!;
    const inComment = parseAuditBlock(entry);
    expect(inComment.ok && inComment.record).toEqual(h.audit.records[1]);
  });
});

describe("rollout watch verdicts and guards", () => {
  it("merge ⇒ Healthy with the alert resolved ⇒ deployment success and the incident closed with its MTTR", async () => {
    const h = await createRolloutHarness();
    h.incident = { ...h.incident, status: "resolved", resolvedAt: "2026-11-28T00:02:00Z" };
    await h.receiveMerge();
    h.setApp("Synced", h.mergeSha, "Healthy", "Healthy");
    await h.sched.advance(0);
    expect(statusLines(h).at(-1)).toMatch(/^success: Healthy at /);
    expect(h.incidentPatches).toEqual([{ state: "closed", state_reason: "completed" }]);
    const closing = h.fake.comments
      .get(42)!
      .map((c) => c.body)
      .find((b) => b.includes("Healthy and resolved"));
    expect(closing).toContain("MTTR: 22m (alert start → resolved)");
    expect(h.fake.openPulls()).toHaveLength(0);
    expect(h.audit.records).toHaveLength(1);
    expect(h.audit.records[0]).toMatchObject({
      action: "rollout.healthy",
      incidentKey: KEY,
      subject: { kind: "pull_request", repo: "acme/gitops", number: 7 },
      shas: { merge: h.mergeSha },
      outcome: { status: "ok" },
    });
    expect(h.sched.pending()).toBe(0);
  });

  it("Healthy while the alert still fires ⇒ success, a timeline entry, the issue stays open", async () => {
    const h = await createRolloutHarness();
    await h.receiveMerge();
    h.setApp("Synced", h.mergeSha, "Healthy", "Healthy");
    await h.sched.advance(0);
    expect(statusLines(h).at(-1)).toMatch(/^success: /);
    expect(h.incidentPatches).toEqual([]);
    expect(
      h.fake.comments.get(42)!.some((c) => c.body.includes("the incident closes when its alert resolves")),
    ).toBe(true);
  });

  it("with the incident timeline: progress lines go there, not to comments; Degraded is still a comment", async () => {
    const h = await createRolloutHarness({ timeline: true });
    const sha7 = h.mergeSha.slice(0, 7);
    await h.receiveMerge();
    await h.sched.advance(0);
    h.setApp("Synced", h.mergeSha, "Degraded", "Degraded", ABORTED);
    await h.sched.advance(10_000);
    h.setApp("Synced", h.mergeSha, "Healthy", "Healthy");
    await h.sched.advance(10_000);
    expect(statusLines(h).at(-1)).toMatch(/^success: /);
    expect(h.timelineNotes[0]).toBe(
      `acme/gitops ${KEY} rollout: #7 (${sha7}): Watching Argo CD argocd/checkout for ${sha7}`,
    );
    expect(h.timelineNotes.at(-1)).toBe(
      `acme/gitops ${KEY} rollout: #7 (${sha7}): Healthy; the incident closes when its alert resolves.`,
    );
    expect(h.timelineNotes.some((n) => n.includes("Degraded"))).toBe(false);
    const comments = (h.fake.comments.get(42) ?? []).map((c) => c.body);
    expect(comments.filter((b) => b.includes("**Rollout of #7**"))).toHaveLength(1);
    expect(comments.find((b) => b.includes("**Rollout of #7**"))).toMatch(/: Degraded at /);
  });

  it("Degraded then Healthy inside the grace period ⇒ no revert", async () => {
    const h = await createRolloutHarness();
    await h.receiveMerge();
    h.setApp("Synced", h.mergeSha, "Degraded", "Degraded", ABORTED);
    await h.sched.advance(60_000);
    h.setApp("Synced", h.mergeSha, "Healthy", "Healthy");
    await h.sched.advance(300_000);
    expect(statusLines(h).at(-1)).toMatch(/^success: Healthy at /);
    expect(statusLines(h).some((l) => l.startsWith("failure"))).toBe(false);
    expect(h.fake.pulls).toHaveLength(0);
  });

  it("Degraded at an older revision (sync not done) is never reverted", async () => {
    const h = await createRolloutHarness();
    await h.receiveMerge();
    h.setApp("OutOfSync", h.parentSha, "Degraded", "Degraded", ABORTED);
    await h.sched.advance(600_000);
    expect(h.fake.pulls).toHaveLength(0);
    expect(statusLines(h).at(-1)).toMatch(/^in_progress: Waiting for sync to /);
  });

  it("a merged revert that degrades is never reverted: escalated instead", async () => {
    const h = await createRolloutHarness();
    const body = `Revert\n${formatRevertMarker({ incidentKey: KEY, originalPr: 5, mergeSha: "c".repeat(40), applications: ["argocd/checkout"], at: 1, reason: "degraded" })}\n`;
    await h.receiveMerge({ body, title: 'Revert "fix(checkout): bump"' });
    expect(h.deployments[0]?.payload).toMatchObject({ isRevert: true });
    h.setApp("Synced", h.mergeSha, "Degraded", "Degraded", ABORTED);
    await h.sched.advance(200_000);
    expect(h.fake.pulls).toHaveLength(0);
    expect(h.fake.issueLabels.get(42)).toEqual(["medic:escalated"]);
    const esc = h.fake.comments.get(42)!.find((c) => c.body.includes("Escalated"));
    expect(esc?.body).toContain("never reverts a revert");
  });

  it("at most one automatic revert per application per hour, then escalation", async () => {
    const h = await createRolloutHarness();
    // A revert of the same application opened 30 minutes ago.
    h.fake.pulls.push({
      number: 99,
      title: 'Revert "earlier"',
      body: formatRevertMarker({
        incidentKey: KEY,
        originalPr: 3,
        mergeSha: "d".repeat(40),
        applications: ["argocd/checkout"],
        at: 0,
        reason: "degraded",
      }),
      head: `medic/revert/${"d".repeat(12)}`,
      base: "main",
      user: BOT.login,
      draft: false,
      state: "closed",
      labels: ["medic:revert"],
      reviewers: [],
      teams: [],
    });
    h.pullCreatedAt.set(99, new Date(h.clock.now() - 30 * 60_000).toISOString());
    await h.receiveMerge();
    h.setApp("Synced", h.mergeSha, "Degraded", "Degraded", ABORTED);
    await h.sched.advance(200_000);
    expect(h.fake.pulls).toHaveLength(1);
    expect(h.fake.issueLabels.get(42)).toEqual(["medic:escalated"]);
    expect(h.fake.comments.get(42)!.find((c) => c.body.includes("Escalated"))?.body).toContain(
      "at most one automatic revert per application per hour",
    );
  });

  it("a redelivered merge event starts no second watch", async () => {
    const h = await createRolloutHarness();
    await h.receiveMerge();
    await h.receiveMerge();
    expect(h.deployments).toHaveLength(1);
    expect(statusLines(h).filter((l) => l.includes("Watching"))).toHaveLength(1);
  });
});

describe("faults", () => {
  it.each([
    [403, "403 Forbidden"],
    [429, "429 Too Many Requests"],
    ["down" as const, "ECONNREFUSED"],
  ])("Kubernetes API %s during the watch ⇒ Unknown, no revert, watching goes on", async (fault, words) => {
    const h = await createRolloutHarness();
    await h.receiveMerge();
    h.setApp("Synced", h.mergeSha, "Degraded", "Degraded", ABORTED);
    await h.sched.advance(10_000);
    h.k8sFault = fault;
    await h.sched.advance(300_000);
    expect(statusLines(h).at(-1)).toMatch(/^in_progress: Unknown: /);
    expect(statusLines(h).at(-1)).toContain(words);
    expect(h.fake.pulls).toHaveLength(0);
    // The API comes back Healthy: the same watch reports success.
    h.k8sFault = null;
    h.setApp("Synced", h.mergeSha, "Healthy", "Healthy");
    await h.sched.advance(10_000);
    expect(statusLines(h).at(-1)).toMatch(/^success: /);
    expect(h.fake.pulls).toHaveLength(0);
  });

  it("Argo CD CRDs absent ⇒ no watch, one clear log line", async () => {
    const h = await createRolloutHarness();
    h.crdAbsent = true;
    await h.receiveMerge();
    expect(h.deployments).toHaveLength(0);
    expect(h.logs.filter((l) => l.msg.includes("CRDs"))).toEqual([
      { level: "warn", msg: "Argo CD CRDs (applications.argoproj.io) absent: rollout watching disabled" },
    ]);
  });

  it("the watch gives up after rollout.timeout with an error status and no revert", async () => {
    const h = await createRolloutHarness();
    await h.receiveMerge();
    h.setApp("Synced", h.mergeSha, "Progressing", "Paused", "CanaryPauseStep");
    await h.sched.advance(31 * 60_000, 60_000);
    expect(statusLines(h).at(-1)).toMatch(/^error: No verdict after 30m/);
    expect(h.sched.pending()).toBe(0);
    expect(h.fake.pulls).toHaveLength(0);
  });
});

describe("Terraform remediation", () => {
  it("failed apply check on the merge commit ⇒ revert PR and escalation", async () => {
    const h = await createRolloutHarness({
      files: { "infra/workers.auto.tfvars": "worker_count = 3\n" },
      mergeFiles: { "infra/workers.auto.tfvars": "worker_count = 5\n" },
    });
    await h.receiveMerge({ files: ["infra/workers.auto.tfvars"], title: "fix(infra): add workers" });
    expect(h.deployments[0]).toMatchObject({ environment: "terraform", payload: { kind: "terraform" } });
    await h.sched.advance(0);
    expect(statusLines(h).at(-1)).toBe(
      `in_progress: Waiting for atlantis/apply on ${h.mergeSha.slice(0, 7)}`,
    );
    h.fake.checkRuns.set(h.mergeSha, [
      { name: "atlantis/apply", status: "completed", conclusion: "failure" },
    ]);
    await h.sched.advance(10_000);
    expect(statusLines(h).at(-1)).toBe(
      "failure: Terraform apply failed: check run atlantis/apply: completed (failure)",
    );
    const [revert] = h.fake.openPulls();
    expect(h.fake.fileAt(revert!.head, "infra/workers.auto.tfvars")).toBe("worker_count = 3\n");
    expect(parseRevertMarker(revert!.body)).toMatchObject({ reason: "apply-failed", applications: [] });
    expect(h.fake.issueLabels.get(42)).toEqual(["medic:escalated"]);
  });

  it("successful apply ⇒ success", async () => {
    const h = await createRolloutHarness({
      files: { "infra/main.tf": 'resource "null_resource" "a" {}\n' },
      mergeFiles: { "infra/main.tf": 'resource "null_resource" "b" {}\n' },
    });
    h.fake.checkRuns.set(h.mergeSha, [
      { name: "atlantis/apply", status: "completed", conclusion: "success" },
    ]);
    await h.receiveMerge({ files: ["infra/main.tf"] });
    await h.sched.advance(0);
    expect(statusLines(h).at(-1)).toBe(
      "success: Terraform apply succeeded: check run atlantis/apply: completed (success)",
    );
    expect(h.fake.pulls).toHaveLength(0);
  });
});

describe("restart", () => {
  it("a restarted bot resumes the watch from its GitHub deployment, Degraded clock included", async () => {
    const h = await createRolloutHarness();
    await h.receiveMerge();
    h.setApp("Synced", h.mergeSha, "Degraded", "Degraded", ABORTED);
    await h.sched.advance(60_000);
    expect(statusLines(h).at(-1)).toMatch(/^in_progress: Degraded at /);
    await h.restart();
    await h.sched.advance(0);
    expect(h.deployments).toHaveLength(1);
    // 60 s more: 120 s since the first Degraded status, measured from GitHub's record of it.
    await h.sched.advance(70_000);
    expect(statusLines(h).at(-1)).toMatch(/^failure: Degraded for 2m/);
    expect(h.fake.openPulls()).toHaveLength(1);
  });
});

describe("/abort, /retry, /promote", () => {
  const ctx = (actor: string) => ({
    owner: "acme",
    repo: "gitops",
    number: 42,
    place: "issue" as const,
    actor,
  });
  const invocation = <N extends string, A>(name: N, args: A) => ({ name, args, line: 1, text: `/${name}` });

  async function withRollout() {
    const h = await createRolloutHarness({
      files: {
        "apps/checkout/rollout.yaml": DEPLOYMENT("1.4.1"),
        ".github/medic.yml": "approval:\n  securityTeams: [acme/security]\n",
      },
      members: ["acme/security/sec-alice"],
    });
    h.incident = {
      ...h.incident,
      labels: { alertname: "KubePodCrashLooping", namespace: "shop", rollout: "checkout" },
    };
    return h;
  }

  it("/abort by a security team member patches status.abort on the incident's Rollout", async () => {
    const h = await withRollout();
    const k8s = nock("https://k8s.test:6443")
      .patch("/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/checkout/status", {
        status: { abort: true },
      })
      .reply(200, {});
    const res = await h.actions.abort(ctx("sec-alice"), invocation("abort", {}) as never);
    expect(res).toEqual({ ok: true, message: "Rollout shop/checkout: abort requested" });
    expect(k8s.isDone()).toBe(true);
  });

  it("/abort by someone outside the security teams is refused (destructive), nothing patched", async () => {
    const h = await withRollout();
    const res = await h.actions.abort(ctx("bob"), invocation("abort", {}) as never);
    expect(res).toEqual({
      ok: false,
      message: "rollout-abort is destructive and needs a security code owner's approval",
    });
  });

  it("/retry (safe) by any writer clears status.abort", async () => {
    const h = await withRollout();
    const k8s = nock("https://k8s.test:6443")
      .patch("/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/checkout/status", {
        status: { abort: false },
      })
      .reply(200, {});
    const res = await h.actions.retry(ctx("bob"), invocation("retry", {}) as never);
    expect(res.ok).toBe(true);
    expect(k8s.isDone()).toBe(true);
  });

  it("an incident without a rollout label is told so", async () => {
    const h = await withRollout();
    h.incident = { ...h.incident, labels: { alertname: "KubePodCrashLooping", namespace: "shop" } };
    const res = await h.actions.promote(ctx("sec-alice"), invocation("promote", { full: true }) as never);
    expect(res).toEqual({
      ok: false,
      message: `incident ${KEY} names no Argo Rollout (labels \`rollout\` and \`namespace\`)`,
    });
  });
});

describe("imperative steps declared by a merged remediation", () => {
  // The body the remediation PR writer renders for a node-pressure plan (cordon, then drain worker-3):
  // the marker it carries is what the merged-PR path reads.
  const template = readFileSync(new URL("../../templates/remediation-pr.md", import.meta.url), "utf8");
  const planned = (["cordon", "drain"] as const).map((kind) => {
    const res = planImperativeStep(
      { id: kind, imperative: kind, with: { node: "{{node}}" } },
      { node: "worker-3" },
      emptyPlanFacts(0),
    );
    if (!res.ok) throw new Error(res.reason);
    return res.step;
  });
  const stepsBody = renderRemediationBody(template, {
    plan: samplePlan({
      incidentKey: KEY,
      runbook: {
        id: "node-pressure",
        version: "1.0.0",
        file: "runbooks/node-pressure.yaml",
        origin: "bundled",
      },
      steps: planned,
    }),
    planHash: "sha256:abcdef0123456789",
    incident: {
      number: 42,
      url: "https://github.com/acme/gitops/issues/42",
      title: "worker-3 under pressure",
    },
    requester: null,
    headSha: null,
  });

  it("the node-pressure PR's marker declares cordon and drain of the node", () => {
    const marker = parseRemediationMarker(stepsBody);
    expect(marker.ok && marker.marker.steps).toEqual([
      { kind: "cordon", target: "node/worker-3" },
      { kind: "drain", target: "node/worker-3" },
    ]);
  });

  it("run once after the merge when medic/approval passed on the merged head: cordon, then drain by eviction", async () => {
    const h = await createRolloutHarness();
    h.fake.checkRuns.set(h.headSha, [{ name: "medic/approval", status: "completed", conclusion: "success" }]);
    const k8s = nock("https://k8s.test:6443")
      .patch("/api/v1/nodes/worker-3", { spec: { unschedulable: true } })
      .twice()
      .reply(200, {})
      .get("/api/v1/pods")
      .query({ fieldSelector: "spec.nodeName=worker-3" })
      .reply(200, {
        items: [
          {
            metadata: {
              name: "checkout-1",
              namespace: "shop",
              ownerReferences: [{ kind: "ReplicaSet", name: "x", uid: "u", apiVersion: "apps/v1" }],
            },
          },
        ],
      })
      .post("/api/v1/namespaces/shop/pods/checkout-1/eviction")
      .reply(201, {});
    await h.receiveMerge({ body: stepsBody });
    expect(k8s.isDone()).toBe(true);
    const report = h.fake.comments
      .get(7)!
      .map((c) => c.body)
      .find((b) => b.includes("Imperative steps after the merge"));
    expect(report).toContain("node worker-3 cordoned");
    expect(report).toContain("1 pod\\(s\\) evicted");
    // Each step's record goes to the app's audit sink, about the merged PR.
    expect(
      h.audit.records
        .filter((r) => r.action.startsWith("imperative."))
        .map((r) => [r.action, r.outcome.status, r.subject?.number]),
    ).toEqual([
      ["imperative.cordon", "ok", 7],
      ["imperative.drain", "ok", 7],
    ]);
    // A redelivery runs nothing again (the report's marker is there).
    await h.receiveMerge({ body: stepsBody });
    expect(h.fake.comments.get(7)!.filter((c) => c.body.includes("Imperative steps"))).toHaveLength(1);
  });

  it("without a passing medic/approval on the merged head nothing runs, and the PR says why", async () => {
    const h = await createRolloutHarness();
    await h.receiveMerge({ body: stepsBody });
    const report = h.fake.comments
      .get(7)!
      .map((c) => c.body)
      .find((b) => b.includes("Imperative steps after the merge"));
    expect(report).toContain("approval gate is not satisfied");
    expect(report).not.toContain("cordoned");
  });
});

describe("/diagnose", () => {
  const ctx = { owner: "acme", repo: "gitops", number: 42, place: "issue" as const, actor: "alice" };
  const invocation = { name: "diagnose", args: {}, line: 1, text: "/diagnose" } as never;

  it("posts the crash-looping pod's state, revisions, events and redacted log tail", async () => {
    const h = await createRolloutHarness();
    h.incident = {
      ...h.incident,
      labels: { alertname: "KubePodCrashLooping", namespace: "shop", pod: "checkout-7d9f8b6c5-x2x9q" },
    };
    const pod = JSON.parse(
      readFileSync(new URL("../fixtures/kubernetes/pod.crashloop.json", import.meta.url), "utf8"),
    );
    // Everything the facts gathering may ask: the pod, its owners, events, log; other reads answer 404.
    nock("https://k8s.test:6443")
      .persist()
      .get("/api/v1/namespaces/shop/pods/checkout-7d9f8b6c5-x2x9q")
      .reply(200, pod)
      .get("/api/v1/namespaces/shop/pods/checkout-7d9f8b6c5-x2x9q/log")
      .query(true)
      .reply(200, "boot\npassword=hunter2\nFATAL out of memory\n", { "content-type": "text/plain" })
      .get(/\/api\/v1\/namespaces\/shop\/events/)
      .query(true)
      .reply(200, {
        items: [
          {
            metadata: { name: "e" },
            involvedObject: { kind: "Pod", name: "checkout-7d9f8b6c5-x2x9q" },
            type: "Warning",
            reason: "BackOff",
            message: "Back-off restarting failed container",
            count: 12,
          },
        ],
      })
      .get(/.*/)
      .query(true)
      .reply(404, { kind: "Status", code: 404 });
    const res = await h.actions.diagnose(ctx, invocation);
    expect(res.ok).toBe(true);
    const body = h.fake.comments
      .get(42)!
      .map((c) => c.body)
      .find((b) => b.includes("Diagnosis"))!;
    expect(body).toContain("CrashLoopBackOff");
    expect(body).toContain("OOMKilled (exit 137)");
    expect(body).toContain("BackOff ×12");
    expect(body).toContain("FATAL out of memory");
    expect(body).not.toContain("hunter2");
    // Evidence: the comment ends with the incident.diagnosed block, and the same record goes to the ledger.
    const block = parseAuditBlock(body);
    expect(block.ok && block.record).toMatchObject({
      action: "incident.diagnosed",
      actor: { kind: "user", login: "alice" },
      incidentKey: h.incident.key,
      subject: { kind: "issue", repo: "acme/gitops", number: 42 },
      inputs: { clusterKnown: true },
      outcome: { status: "ok", detail: "cluster facts posted" },
    });
    expect(h.audit.records.filter((r) => r.action === "incident.diagnosed")).toEqual([
      block.ok && block.record,
    ]);
  });

  it("API down ⇒ the comment says the cluster facts are unavailable", async () => {
    const h = await createRolloutHarness();
    h.incident = {
      ...h.incident,
      labels: { alertname: "KubePodCrashLooping", namespace: "shop", pod: "checkout-x" },
    };
    h.k8sFault = 403;
    nock("https://k8s.test:6443").persist().get(/.*/).query(true).reply(403, { kind: "Status", code: 403 });
    const res = await h.actions.diagnose(ctx, invocation);
    expect(res).toEqual({
      ok: true,
      message: "diagnosis posted (cluster facts unavailable: see the comment)",
    });
    const body = h.fake.comments
      .get(42)!
      .map((c) => c.body)
      .find((b) => b.includes("Diagnosis"))!;
    expect(body).toContain("cluster facts unavailable");
    expect(body).toContain("403 Forbidden");
    const block = parseAuditBlock(body);
    expect(block.ok && block.record.outcome).toEqual({
      status: "ok",
      detail: "posted without cluster facts (unavailable)",
    });
  });
});
