// Generates examples/evidence/export.json: a small but realistic four-week history of a GitOps repository
// in the recorded-export format (docs/evidence.md). Run: `npx tsx examples/evidence/make-export.ts`.
// The SHAs are derived from names so the file is stable; incident bodies are rendered by the real
// incident renderer, and the audit records are chained by the real ledger code.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { renderAuditBlock } from "../../src/core/audit/audit-block.js";
import type { AuditRecordInput } from "../../src/core/audit/audit-record.js";
import { chainRecords, EMPTY_TIP } from "../../src/core/audit/hash-chain.js";
import { formatCommandRecord } from "../../src/core/commands/command-record.js";
import { formatRevertMarker } from "../../src/core/rollout/revert-marker.js";
import type { RecordedExportInput } from "../../src/core/evidence/recorded-export.js";
import type { Incident, Severity } from "../../src/core/incident/incident.js";
import { renderIncidentIssue } from "../../src/core/incident/render-incident-issue.js";

const REPO = "acme/gitops-platform";
const BOT = "gitops-medic[bot]";
const API = `https://github.com/${REPO}`;
const sha = (name: string) => createHash("sha1").update(name).digest("hex");
const at = (s: string) => `2026-${s}Z`;
const plus = (iso: string, min: number) => new Date(Date.parse(iso) + min * 60_000).toISOString().replace(".000Z", "Z");
const issueTemplate = readFileSync(new URL("../../templates/incident-issue.md", import.meta.url), "utf8");

const ledger: AuditRecordInput[] = [];
function record(r: Omit<AuditRecordInput, "v" | "actor"> & { actor?: AuditRecordInput["actor"] }): string {
  const full: AuditRecordInput = { v: 1, actor: { kind: "bot", login: BOT }, ...r };
  ledger.push(full);
  return renderAuditBlock(full);
}

const exp: RecordedExportInput = {
  kind: "gitops-medic/export",
  version: 1,
  repository: REPO,
  defaultBranch: "main",
  exportedAt: at("11-02T06:00:00"),
  since: at("10-05T00:00:00"),
  until: at("11-02T00:00:00"),
  medicConfig: {
    evidence: { backupTestRunbooks: ["velero-restore-test"], scanners: ["trivy", "grype"], majorSeverity: "critical" },
  },
  issues: [],
  pullRequests: [],
  commits: [],
  checkRuns: [],
  deployments: [],
  auditLedger: null,
};

let checkId = 9_000;
let deployId = 500;
let parent = sha("main@2026-10-04");
exp.commits!.push({ sha: parent, message: "chore: weekly image digests", author: "renovate[bot]", authoredAt: at("10-04T08:00:00"), committedAt: at("10-04T08:00:00"), parents: [] });

interface PrSpec {
  n: number;
  title: string;
  user: string;
  opened: string;
  merged: string;
  labels?: string[];
  body?: string;
  mergedBy?: string;
  reviewers?: { user: string; state?: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED"; minutes: number; onHead?: boolean }[];
  commits?: number;
  policy?: { commit: number; annotations: { path: string; line: number; title: string; message: string; level?: "failure" | "warning" }[] }[];
  approvalCheck?: "success" | "failure";
  comments?: { user: string; minutes: number; body: string | ((head: string) => string) }[];
  deploy?: ("success" | "failure" | "degraded")[] | null;
  deployDelay?: number;
  scan?: { name: string; conclusion: "success" | "failure"; findings?: { path: string; line: number; title: string; message: string }[] }[];
}

function addPr(p: PrSpec): { merge: string; head: string } {
  const opened = at(p.opened);
  const merged = at(p.merged);
  const n = p.commits ?? 1;
  const commits = Array.from({ length: n }, (_, i) => ({ sha: sha(`pr${p.n}-c${i}`), authoredAt: plus(opened, -30 + i * 20) }));
  const head = commits[n - 1]!.sha;
  const merge = sha(`pr${p.n}-merge`);
  const bot = p.user.endsWith("[bot]");
  exp.commits!.push({ sha: merge, message: `${p.title} (#${p.n})`, author: p.user, authoredAt: commits[0]!.authoredAt, committedAt: merged, parents: [parent] });
  parent = merge;
  // medic/policy on every commit of the PR; failing ones carry annotations.
  commits.forEach((c, i) => {
    const fail = p.policy?.find((f) => f.commit === i);
    const done = plus(c.authoredAt, 2);
    exp.checkRuns!.push({
      id: checkId++,
      name: "medic/policy",
      headSha: c.sha,
      status: "completed",
      conclusion: fail ? (fail.annotations.some((a) => (a.level ?? "failure") === "failure") ? "failure" : "neutral") : "success",
      startedAt: plus(c.authoredAt, 1),
      completedAt: done,
      app: "gitops-medic",
      title: fail ? `${fail.annotations.length} policy finding(s)` : "All policies pass",
      summary: `Evaluated bundled and repository policies.\n\n${record({ at: done, action: "policy.evaluated", reason: fail ? "findings" : "no findings", subject: { kind: "pull_request", repo: REPO, number: p.n }, shas: { head: c.sha }, inputs: { findings: fail?.annotations.length ?? 0 }, outcome: { status: fail ? "failed" : "ok" } })}`,
      annotations: (fail?.annotations ?? []).map((a) => ({ path: a.path, startLine: a.line, level: a.level ?? "failure", title: a.title, message: a.message })),
      url: `${API}/runs/${checkId}`,
    });
  });
  const approvalDone = plus(opened, 3);
  exp.checkRuns!.push({
    id: checkId++,
    name: "medic/approval",
    headSha: head,
    status: "completed",
    conclusion: p.approvalCheck ?? "success",
    startedAt: approvalDone,
    completedAt: approvalDone,
    app: "gitops-medic",
    title: p.labels?.includes("risk:destructive") ? "Destructive change: security approval required" : "Safe change: normal review applies",
    summary: null,
    url: `${API}/runs/${checkId}`,
  });
  for (const s of p.scan ?? [{ name: "trivy", conclusion: "success" as const }]) {
    exp.checkRuns!.push({
      id: checkId++,
      name: s.name,
      headSha: merge,
      status: "completed",
      conclusion: s.conclusion,
      startedAt: plus(merged, 1),
      completedAt: plus(merged, 3),
      app: "github-actions",
      title: s.conclusion === "success" ? "No vulnerabilities found" : `${s.findings?.length ?? 0} vulnerabilities`,
      summary: null,
      annotations: (s.findings ?? []).map((f) => ({ path: f.path, startLine: f.line, level: "failure" as const, title: f.title, message: f.message })),
      url: `${API}/runs/${checkId}`,
    });
  }
  exp.pullRequests!.push({
    number: p.n,
    title: p.title,
    user: p.user,
    userIsBot: bot,
    body: p.body ?? "",
    labels: p.labels ?? [],
    createdAt: opened,
    mergedAt: merged,
    mergedBy: p.mergedBy ?? "dave",
    mergeCommitSha: merge,
    headSha: head,
    baseRef: "main",
    url: `${API}/pull/${p.n}`,
    commits,
    reviews: (p.reviewers ?? [{ user: "erin", minutes: 20 }]).map((r) => ({
      user: r.user,
      userIsBot: false,
      state: r.state ?? "APPROVED",
      submittedAt: plus(opened, r.minutes),
      commitId: r.onHead === false ? commits[0]!.sha : head,
      body: "",
    })),
    comments: (p.comments ?? []).map((c, i) => ({ id: p.n * 1000 + i, user: c.user, userIsBot: c.user.endsWith("[bot]"), createdAt: plus(opened, c.minutes), body: typeof c.body === "string" ? c.body : c.body(head), url: `${API}/pull/${p.n}#issuecomment-${p.n * 1000 + i}` })),
  });
  if (p.deploy !== null) {
    const states = p.deploy ?? ["success"];
    const start = plus(merged, p.deployDelay ?? 6);
    const statuses: { state: "in_progress" | "success" | "failure"; createdAt: string; description: string }[] = [{ state: "in_progress", createdAt: plus(merged, 2), description: "Argo CD: OutOfSync → syncing" }];
    let t = start;
    for (const s of states) {
      if (s === "success") statuses.push({ state: "success", createdAt: t, description: "Synced, Healthy" });
      else statuses.push({ state: "failure", createdAt: t, description: "Synced, Degraded" });
      t = plus(t, 20);
    }
    exp.deployments!.push({ id: deployId++, sha: merge, ref: "main", environment: "production", createdAt: plus(merged, 1), creator: BOT, description: `Argo CD sync of ${merge.slice(0, 7)}`, statuses: statuses.map((s) => ({ ...s, logUrl: null })) });
  }
  return { merge, head };
}

interface IncidentSpec {
  n: number;
  key: string;
  severity: Severity;
  title: string;
  labels: Record<string, string>;
  started: string;
  opened: string;
  resolved?: string;
  closed?: string;
  reopened?: { at: string; resolved?: string; closed?: string };
  comments?: { user: string; at: string; body: string }[];
  manual?: boolean;
}

function addIncident(s: IncidentSpec) {
  const timeline: NonNullable<Incident["timeline"]> = [
    { at: at(s.started), event: "firing", detail: `${s.labels["alertname"]} firing` },
    { at: at(s.opened), event: "opened", detail: `issue #${s.n} opened` },
  ];
  const finalResolved = s.reopened?.resolved ?? s.resolved;
  if (s.resolved) timeline.push({ at: at(s.resolved), event: "resolved", detail: "all signals resolved" });
  if (s.reopened) timeline.push({ at: at(s.reopened.at), event: "reopened", detail: "signal refired within the reopen window" });
  if (s.reopened?.resolved) timeline.push({ at: at(s.reopened.resolved), event: "resolved", detail: "all signals resolved" });
  const inc: Incident = {
    key: s.key,
    title: s.title,
    severity: s.severity,
    status: finalResolved && (!s.reopened || s.reopened.resolved) ? "resolved" : "firing",
    labels: s.labels,
    startsAt: at(s.started),
    openedAt: at(s.opened),
    ...(finalResolved && (!s.reopened || s.reopened.resolved) ? { resolvedAt: at(finalResolved) } : {}),
    lastSeenAt: at(finalResolved ?? s.opened),
    notifications: 6,
    signals: [
      {
        source: "alertmanager",
        name: s.labels["alertname"] ?? "Alert",
        status: finalResolved ? "resolved" : "firing",
        labels: { ...s.labels, severity: s.severity },
        annotations: { summary: s.title },
        startsAt: at(s.started),
        ...(finalResolved ? { endsAt: at(finalResolved) } : {}),
        fingerprint: sha(s.key).slice(0, 16),
        severity: s.severity,
        role: "root",
      },
    ],
    timeline,
    issueNumber: s.n,
  };
  const body = s.manual
    ? `### Namespace\n\nshop\n\n### Workload\n\ncheckout\n\n### Symptom\n\nCustomers report slow checkout since ${s.started.replace("T", " ")} UTC.`
    : renderIncidentIssue(inc, { issue: issueTemplate }).body;
  const events: NonNullable<RecordedExportInput["issues"]>[number]["events"] = [
    { event: "labeled", actor: s.manual ? "alice" : BOT, createdAt: at(s.opened), label: "incident" },
    { event: "labeled", actor: s.manual ? "alice" : BOT, createdAt: at(s.opened), label: `severity:${s.severity}` },
  ];
  const comments: NonNullable<RecordedExportInput["issues"]>[number]["comments"] = [];
  let cid = s.n * 100;
  const comment = (user: string, when: string, text: string) =>
    comments.push({ id: cid++, user, userIsBot: user.endsWith("[bot]"), createdAt: at(when), body: text, url: `${API}/issues/${s.n}#issuecomment-${cid}` });
  if (!s.manual) {
    comment(BOT, s.opened, `Incident opened from Alertmanager.\n\n${record({ at: at(s.opened), action: "incident.opened", reason: `${s.labels["alertname"]} firing`, incidentKey: s.key, subject: { kind: "issue", repo: REPO, number: s.n, url: `${API}/issues/${s.n}` }, inputs: { startsAt: at(s.started), severity: s.severity, labels: s.labels }, outcome: { status: "ok" } })}`);
  }
  for (const c of s.comments ?? []) comment(c.user, c.at, c.body);
  const closeWith = (when: string, resolvedAt: string) => {
    if (!s.manual) {
      const mttr = Math.round((Date.parse(at(resolvedAt)) - Date.parse(at(s.started))) / 60_000);
      comment(BOT, when, `✅ Resolved. MTTR ${mttr}m.\n\n${record({ at: at(when), action: "incident.resolved", reason: "all signals resolved", incidentKey: s.key, subject: { kind: "issue", repo: REPO, number: s.n }, inputs: { resolvedAt: at(resolvedAt) }, outcome: { status: "ok" } })}`);
    }
    events.push({ event: "closed", actor: s.manual ? "alice" : BOT, createdAt: at(when) });
  };
  if (s.closed && s.resolved) closeWith(s.closed, s.resolved);
  if (s.reopened) {
    events.push({ event: "reopened", actor: BOT, createdAt: at(s.reopened.at) });
    if (s.reopened.closed && s.reopened.resolved) closeWith(s.reopened.closed, s.reopened.resolved);
  }
  comments.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  const finalClosed = s.reopened ? s.reopened.closed : s.closed;
  exp.issues!.push({
    number: s.n,
    title: s.title,
    state: finalClosed ? "closed" : "open",
    labels: ["incident", `severity:${s.severity}`],
    user: s.manual ? "alice" : BOT,
    createdAt: at(s.opened),
    closedAt: finalClosed ? at(finalClosed) : null,
    body,
    url: `${API}/issues/${s.n}`,
    comments,
    events,
  });
}

// --- history -------------------------------------------------------------------------------------------
addIncident({ n: 98, key: "KubeNodePressure/node-7", severity: "info", title: "Node node-7 under DiskPressure", labels: { alertname: "KubeNodePressure", node: "node-7", condition: "DiskPressure" }, started: "10-01T22:10:00", opened: "10-01T22:12:00", resolved: "10-06T07:40:00", closed: "10-06T07:41:00" });
addPr({ n: 10, title: "catalog: raise memory limit to 768Mi", user: "alice", opened: "10-06T09:30:00", merged: "10-06T10:15:00" });
addPr({
  n: 11,
  title: "frontend: chart 2.3.1",
  user: "bob",
  opened: "10-07T11:00:00",
  merged: "10-07T13:05:00",
  commits: 2,
  policy: [{ commit: 0, annotations: [{ path: "apps/frontend/values-prod.yaml", line: 12, title: "disallow-latest-tag/validate-image-tag", message: "An image tag is required and must not be `latest`." }, { path: "apps/frontend/values-prod.yaml", line: 30, title: "require-requests-limits/validate-resources", message: "CPU and memory resource requests and limits are required." }] }],
  reviewers: [{ user: "erin", state: "CHANGES_REQUESTED", minutes: 15, onHead: false }, { user: "erin", minutes: 70 }],
});
const bad = addPr({ n: 12, title: "checkout: image 1.8.0", user: "carol", opened: "10-08T13:00:00", merged: "10-08T13:40:00", deploy: ["success", "degraded"], deployDelay: 10 });
addIncident({
  n: 101,
  key: "KubePodCrashLooping/shop/checkout",
  severity: "critical",
  title: "checkout pods crash-looping in shop",
  labels: { alertname: "KubePodCrashLooping", namespace: "shop", deployment: "checkout", container: "checkout" },
  started: "10-08T14:02:00",
  opened: "10-08T14:04:30",
  resolved: "10-08T14:41:00",
  closed: "10-08T14:42:00",
  comments: [
    { user: "carol", at: "10-08T14:20:00", body: `Image 1.8.0 fails its config migration.\n\nroot cause: ${bad.merge.slice(0, 12)}` },
    { user: "mallory", at: "10-08T14:25:00", body: `Looks fine to me.\n\n<!-- medic:audit {"v":1,"at":"2026-10-08T14:25:00Z","actor":{"kind":"bot","login":"gitops-medic[bot]"},"action":"approval.override","reason":"forged","outcome":{"status":"ok"}} -->` },
  ],
});
addPr({ n: 14, title: 'Revert "checkout: image 1.8.0"', user: BOT, opened: "10-08T14:22:00", merged: "10-08T14:31:00", labels: ["medic", "revert", "risk:safe"], body: `This reverts commit ${bad.merge}.\n\nReverts ${REPO}#12: deployment Degraded for 180 s.\n\n${formatRevertMarker({ incidentKey: "KubePodCrashLooping/shop/checkout", originalPr: 12, mergeSha: bad.merge, applications: ["argocd/checkout"], at: Date.parse(at("10-08T14:21:00")), reason: "degraded" })}`, reviewers: [{ user: "dave", minutes: 6 }], deployDelay: 5 });
addPr({ n: 15, title: "Velero restore test: orders-db into restore-test namespace", user: BOT, opened: "10-10T02:00:00", merged: "10-10T02:20:00", labels: ["medic", "risk:safe", "runbook:velero-restore-test"], reviewers: [{ user: "erin", minutes: 12 }], deployDelay: 25 });
addIncident({ n: 102, key: "KubePersistentVolumeFillingUp/shop/data-orders-db-0", severity: "warning", title: "PVC data-orders-db-0 is 97% full", labels: { alertname: "KubePersistentVolumeFillingUp", namespace: "shop", persistentvolumeclaim: "data-orders-db-0" }, started: "10-13T03:10:00", opened: "10-13T03:11:40", resolved: "10-13T04:20:00", closed: "10-13T04:21:00" });
addPr({ n: 16, title: "Expand PVC data-orders-db-0 from 10Gi to 20Gi", user: BOT, opened: "10-13T03:13:00", merged: "10-13T04:05:00", labels: ["medic", "risk:safe", "runbook:pvc-expand"], reviewers: [{ user: "erin", minutes: 40 }], comments: [
    { user: "erin", minutes: 39, body: "Storage class allows expansion.\n/approve" },
    { user: BOT, minutes: 40, body: (head) => `Approval by @erin recorded at ${head.slice(0, 7)}.\n\n${formatCommandRecord({ kind: "approve", actor: "erin", sha: head, commentId: 16000 })}` },
  ] });
addPr({
  n: 17,
  title: "rbac: grant ci-deployer cluster-admin for the vendor cutover",
  user: "frank",
  opened: "10-15T16:00:00",
  merged: "10-16T09:10:00",
  labels: ["risk:destructive"],
  policy: [{ commit: 0, annotations: [{ path: "infra/rbac/ci-deployer.yaml", line: 9, title: "restrict-cluster-admin/deny-binding", message: "Binding to cluster-admin is not allowed.", level: "warning" }] }],
  approvalCheck: "failure",
  reviewers: [{ user: "frank", minutes: 5 }, { user: "gina", minutes: 60, state: "COMMENTED" }],
  comments: [
    { user: "grace", minutes: 1000, body: "/override medic/approval vendor cutover bridge INC-4411, approved by the CISO on call; revert due 10-18" },
    { user: BOT, minutes: 1001, body: (head) => `Override of \`medic/approval\` recorded.\n\n${formatCommandRecord({ kind: "override", actor: "grace", sha: head, check: "medic/approval", reason: "vendor cutover bridge INC-4411, approved by the CISO on call; revert due 10-18", commentId: 17000 })}\n${record({ at: plus(at("10-15T16:00:00"), 1001), action: "approval.override", reason: "vendor cutover bridge INC-4411, approved by the CISO on call; revert due 10-18", subject: { kind: "pull_request", repo: REPO, number: 17, url: `${API}/pull/17` }, inputs: { check: "medic/approval", requestedBy: "grace" }, outcome: { status: "ok" } })}` },
  ],
});
addPr({ n: 18, title: "infra: OpenStack flavor m1.large for workers", user: "bob", opened: "10-17T10:00:00", merged: "10-17T15:00:00", deploy: null, scan: [{ name: "trivy", conclusion: "failure", findings: [{ path: "infra/images/worker.Dockerfile", line: 1, title: "CVE-2026-1234 (HIGH)", message: "openssl 3.0.13 → 3.0.15" }, { path: "infra/images/worker.Dockerfile", line: 1, title: "CVE-2026-2345 (MEDIUM)", message: "zlib 1.2.13 → 1.3.1" }] }, { name: "grype", conclusion: "success" }] });
const pool = addPr({ n: 19, title: "payments: enable the new connection pool", user: "carol", opened: "10-20T08:00:00", merged: "10-20T08:40:00", deployDelay: 8 });
addIncident({
  n: 103,
  key: "KubeDeploymentRolloutStuck/payments/payments-api",
  severity: "critical",
  title: "payments-api rollout stuck in payments",
  labels: { alertname: "KubeDeploymentRolloutStuck", namespace: "payments", deployment: "payments-api", condition: "Progressing" },
  started: "10-20T09:00:00",
  opened: "10-20T09:03:10",
  resolved: "10-20T09:40:00",
  closed: "10-20T09:41:00",
  reopened: { at: "10-20T10:15:00", resolved: "10-20T11:05:00", closed: "10-20T11:06:00" },
  comments: [{ user: "carol", at: "10-20T10:30:00", body: `Pool size too small under load.\nroot cause: ${pool.merge.slice(0, 10)}` }],
});
addPr({ n: 20, title: "Rollback payments-api to 4.2.1", user: BOT, opened: "10-20T09:12:00", merged: "10-20T09:30:00", labels: ["medic", "risk:safe", "runbook:rollback-image"], reviewers: [{ user: "dave", minutes: 10 }], deployDelay: 5 });
// A direct push: no PR, no review (the change log flags it).
const hotfix = sha("hotfix-ingress");
exp.commits!.push({ sha: hotfix, message: "hotfix: ingress host typo", author: "admin", authoredAt: at("10-21T18:00:00"), committedAt: at("10-21T18:01:00"), parents: [parent] });
parent = hotfix;
exp.deployments!.push({ id: deployId++, sha: hotfix, ref: "main", environment: "production", createdAt: at("10-21T18:02:00"), creator: BOT, description: "Argo CD sync", statuses: [{ state: "success", createdAt: at("10-21T18:06:00"), description: "Synced, Healthy", logUrl: null }] });
addIncident({ n: 105, key: "manual", severity: "warning", title: "Checkout latency above 2 s", labels: {}, started: "10-22T11:40:00", opened: "10-22T12:00:00", resolved: "10-22T13:30:00", closed: "10-22T13:30:00", manual: true });
addPr({ n: 22, title: "Velero restore test: orders-db into restore-test namespace", user: BOT, opened: "10-24T02:00:00", merged: "10-24T02:15:00", labels: ["medic", "risk:safe", "runbook:velero-restore-test"], reviewers: [{ user: "erin", minutes: 10 }], deploy: ["degraded"], deployDelay: 30 });
addPr({ n: 21, title: "frontend: HPA max replicas 12", user: "alice", opened: "10-27T09:00:00", merged: "10-27T11:30:00" });
addIncident({ n: 104, key: "KubeHpaMaxedOut/web/frontend", severity: "warning", title: "frontend HPA at max replicas", labels: { alertname: "KubeHpaMaxedOut", namespace: "web", horizontalpodautoscaler: "frontend" }, started: "10-29T18:00:00", opened: "10-29T18:02:00" });
addPr({ n: 23, title: "catalog: readiness probe timeout 3s", user: "bob", opened: "10-30T10:00:00", merged: "10-30T10:45:00" });

exp.issues!.sort((a, b) => a.number - b.number);
exp.checkRuns!.sort((a, b) => a.id - b.id);
ledger.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
exp.auditLedger = chainRecords(EMPTY_TIP, ledger).lines;
writeFileSync(new URL("./export.json", import.meta.url), `${JSON.stringify(exp, null, 2)}\n`);
process.stdout.write(`wrote examples/evidence/export.json: ${exp.issues!.length} issues, ${exp.pullRequests!.length} PRs, ${exp.commits!.length} commits, ${exp.checkRuns!.length} check runs, ${exp.deployments!.length} deployments, ${ledger.length} audit records\n`);
