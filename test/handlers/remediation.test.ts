import { readFileSync } from "node:fs";
import nock from "nock";
import type { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadClusterSnapshot } from "../../src/adapters/local/load-cluster-snapshot.js";
import { createMemoryAuditSink, type MemoryAuditSink } from "../../src/adapters/memory/audit-sink.js";
import type { AppDeps } from "../../src/app-deps.js";
import { parseAuditBlock } from "../../src/core/audit/audit-block.js";
import { defaultMedicConfig } from "../../src/core/config/medic-config.js";
import type { Incident } from "../../src/core/incident/incident.js";
import { renderIncidentState } from "../../src/core/incident/incident-state.js";
import { registerCommands } from "../../src/handlers/commands.js";
import { registerRemediation } from "../../src/handlers/remediation.js";
import { buildIncidentsFromAlert } from "../../src/workflows/build-incidents-from-alert.js";
import { manualClock } from "../../src/workflows/ports/clock.js";
import { silentLogger } from "../../src/workflows/ports/logger.js";
import { BOT, FakeGitHub, readTreeFromDisk } from "../fixtures/github/fake-github.js";
import { webhookExample } from "../helpers/events.js";
import { createTestProbot } from "../helpers/probot.js";

const root = new URL("../../", import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), "utf8");
const GITOPS = readTreeFromDisk(new URL("examples/gitops", root).pathname);
const NOW = "2026-11-27T10:00:00Z";

function crashloopIncident(): Incident {
  const built = buildIncidentsFromAlert(
    JSON.parse(read("examples/alerts/crashloop-checkout.json")),
    defaultMedicConfig().incidents,
    Date.parse(NOW),
  );
  if (!built.ok) throw new Error(built.message);
  return built.incidents[0]!;
}

function deps(): AppDeps {
  const locks = new Map<string, Promise<unknown>>();
  return {
    clock: manualClock(NOW),
    logger: silentLogger,
    lock: {
      withLock: <T>(key: string, fn: () => Promise<T>) => {
        const prev = locks.get(key) ?? Promise.resolve();
        const next = prev.then(fn, fn);
        locks.set(
          key,
          next.catch(() => {}),
        );
        return next;
      },
    },
    writeBudget: { acquire: async () => {}, pauseUntil: async () => {} },
    audit,
  } as unknown as AppDeps;
}

let audit: MemoryAuditSink;

/** `issues.opened` for the bot's incident issue #7 on acme/gitops, labelled as the incident flow labels it. */
function incidentIssueEvent(action: "opened" | "labeled" | "edited", over: { senderType?: string } = {}) {
  // biome-ignore lint/suspicious/noExplicitAny: a recorded payload edited field by field
  const payload = webhookExample<Record<string, any>>("issues", action);
  const incident = crashloopIncident();
  payload.repository.name = "gitops";
  payload.repository.full_name = "acme/gitops";
  payload.repository.owner.login = "acme";
  payload.repository.default_branch = "main";
  payload.installation = { id: 4242, node_id: "x" };
  payload.issue.number = 7;
  payload.issue.title = incident.title;
  payload.issue.html_url = "https://github.com/acme/gitops/issues/7";
  payload.issue.user = { ...payload.issue.user, login: BOT.login, type: "Bot" };
  payload.issue.body = `Incident\n\n${renderIncidentState(incident)}\n`;
  payload.issue.labels = [
    { id: 1, name: "incident", color: "d73a4a", default: false, description: null, node_id: "a", url: "u" },
    {
      id: 2,
      name: "runbook:crashloop-rollback",
      color: "ededed",
      default: false,
      description: null,
      node_id: "b",
      url: "u",
    },
  ];
  delete payload.issue.pull_request;
  if (action === "labeled") payload.label = payload.issue.labels[1];
  payload.sender = {
    ...payload.sender,
    login: over.senderType === "User" ? "alice" : BOT.login,
    type: over.senderType ?? "Bot",
  };
  return { incident, payload };
}

let gh: FakeGitHub;
let probot: Probot;
let actions: ReturnType<typeof registerRemediation>;

beforeEach(async () => {
  nock.disableNetConnect();
  gh = new FakeGitHub(GITOPS);
  gh.openIssue(7);
  gh.install();
  probot = createTestProbot();
  audit = createMemoryAuditSink();
  const cluster = loadClusterSnapshot(
    read("examples/cluster/crashloop-checkout.yaml"),
    "crashloop-checkout.yaml",
  );
  if (!cluster.ok) throw new Error(cluster.message);
  await probot.load((app) => {
    actions = registerRemediation(app, deps(), { cluster: cluster.cluster });
  });
});
afterEach(() => {
  gh.uninstall();
  nock.enableNetConnect();
});

const repoWrites = () => gh.writes().filter((w) => w.path.startsWith("/repos/"));

describe("registerRemediation", () => {
  it("incident issue opened ⇒ one remediation PR with its body, labels, reviewers and incident comment", async () => {
    const { payload, incident } = incidentIssueEvent("opened");
    await probot.receive({ id: "d-1", name: "issues", payload } as never);
    expect(repoWrites().map((w) => `${w.method} ${w.path}`)).toEqual([
      "POST /repos/acme/gitops/git/trees",
      "POST /repos/acme/gitops/git/commits",
      "POST /repos/acme/gitops/git/refs",
      "POST /repos/acme/gitops/pulls",
      "POST /repos/acme/gitops/issues/7/comments",
      "POST /repos/acme/gitops/pulls/100/requested_reviewers",
      "POST /repos/acme/gitops/issues/100/labels",
    ]);
    const pr = gh.openPulls()[0]!;
    expect(pr.title).toBe(`medic(crashloop-rollback): Deployment shop/checkout — ${incident.key}`);
    expect(pr.labels).toEqual(["medic", "risk:safe", "runbook:crashloop-rollback", "remediation"]);
    expect(pr.teams).toEqual(["checkout"]);
    expect(gh.fileAt(pr.head, "apps/checkout/deployment.yaml")).toContain(
      "registry.example.com/shop/checkout:1.4.1",
    );
    expect(gh.comments.get(7)![0]!.body).toContain(
      "Remediation pull request #100 is open: https://github.com/acme/gitops/pull/100",
    );
    // One record of the decision, ending both the PR body and the incident comment.
    expect(audit.records).toHaveLength(1);
    expect(audit.records[0]).toMatchObject({
      action: "remediation.opened",
      actor: { kind: "bot", login: BOT.login },
      at: new Date(NOW).toISOString(),
      incidentKey: incident.key,
      runbook: { id: "crashloop-rollback" },
      subject: { kind: "issue", repo: "acme/gitops", number: 7 },
      shas: { head: gh.refs.get(pr.head) },
      outcome: { status: "ok" },
    });
    expect(parseAuditBlock(pr.body)).toEqual({ ok: true, record: audit.records[0] });
    expect(parseAuditBlock(gh.comments.get(7)![0]!.body)).toEqual({ ok: true, record: audit.records[0] });
  });

  it("the same delivery again (redelivery) ⇒ no second PR, no write", async () => {
    const { payload } = incidentIssueEvent("opened");
    await probot.receive({ id: "d-1", name: "issues", payload } as never);
    const before = repoWrites().length;
    await probot.receive({ id: "d-1", name: "issues", payload } as never);
    await probot.receive({
      id: "d-2",
      name: "issues",
      payload: incidentIssueEvent("labeled").payload,
    } as never);
    expect(repoWrites().length).toBe(before);
    expect(gh.openPulls()).toHaveLength(1);
  });

  it("five deliveries at once ⇒ one PR, one incident comment", async () => {
    const { payload } = incidentIssueEvent("opened");
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => probot.receive({ id: `d-${i}`, name: "issues", payload } as never)),
    );
    expect(gh.openPulls()).toHaveLength(1);
    expect(gh.comments.get(7)).toHaveLength(1);
    expect([...gh.refs.keys()].filter((r) => r.startsWith("medic/"))).toHaveLength(1);
  });

  it("ignores issues without the incident label or a runbook label, and the bot's own edits", async () => {
    const a = incidentIssueEvent("opened").payload;
    a.issue.labels = a.issue.labels.slice(0, 1);
    await probot.receive({ id: "x-1", name: "issues", payload: a } as never);
    const b = incidentIssueEvent("opened").payload;
    b.issue.labels = b.issue.labels.slice(1);
    await probot.receive({ id: "x-2", name: "issues", payload: b } as never);
    await probot.receive({
      id: "x-3",
      name: "issues",
      payload: incidentIssueEvent("edited").payload,
    } as never);
    expect(gh.log).toEqual([]);
  });

  it("a person's edit only refreshes an open PR (update-only): no PR when none is open", async () => {
    await probot.receive({
      id: "e-1",
      name: "issues",
      payload: incidentIssueEvent("edited", { senderType: "User" }).payload,
    } as never);
    expect(repoWrites()).toEqual([]);
    expect(gh.openPulls()).toHaveLength(0);
  });

  it("/remediate by a person ⇒ the PR names them as requester and they are not asked to review", async () => {
    const { payload } = incidentIssueEvent("opened");
    gh.issues.set(7, payload.issue);
    const res = await actions.remediate(
      { owner: "acme", repo: "gitops", number: 7, place: "issue", actor: "alice" },
      { name: "remediate", args: { runbook: null }, line: 1, text: "/remediate" } as never,
    );
    expect(res).toEqual({
      ok: true,
      message: "Opened remediation pull request #100: https://github.com/acme/gitops/pull/100",
    });
    const pr = gh.openPulls()[0]!;
    expect(pr.body).toContain("| Requested by | @alice |");
    expect(pr.body).toContain('"requester":"alice"');
    // Asked again: the same PR.
    const again = await actions.remediate(
      { owner: "acme", repo: "gitops", number: 7, place: "issue", actor: "alice" },
      { name: "remediate", args: { runbook: null }, line: 1, text: "/remediate" } as never,
    );
    expect(again).toEqual({
      ok: true,
      message: "Remediation pull request #100 is already open: https://github.com/acme/gitops/pull/100",
    });
    expect(gh.openPulls()).toHaveLength(1);
  });

  it("/rollback opens the crashloop-rollback PR; /rollback to REVISION is refused without writing", async () => {
    const { payload } = incidentIssueEvent("opened");
    gh.issues.set(7, payload.issue);
    const ctx = { owner: "acme", repo: "gitops", number: 7, place: "issue" as const, actor: "alice" };
    const pinned = await actions.rollback(ctx, {
      name: "rollback",
      args: { to: "v1.4.2" },
      line: 1,
      text: "/rollback to v1.4.2",
    } as never);
    expect(pinned).toEqual({
      ok: false,
      message:
        "`/rollback to v1.4.2` is not supported yet: nothing was done. `/rollback` opens a PR back to the previous image from the manifest's history; to pin v1.4.2, open a PR that sets that image.",
    });
    expect(repoWrites()).toEqual([]);
    const res = await actions.rollback(ctx, {
      name: "rollback",
      args: { to: null },
      line: 1,
      text: "/rollback",
    } as never);
    expect(res).toEqual({
      ok: true,
      message: "Opened remediation pull request #100: https://github.com/acme/gitops/pull/100",
    });
    const pr = gh.openPulls()[0]!;
    expect(pr.body).toContain('"runbook":"crashloop-rollback"');
    expect(pr.body).toContain('"requester":"alice"');
  });

  it("/remediate on an issue that is not an incident is refused without writing", async () => {
    const { payload } = incidentIssueEvent("opened");
    payload.issue.labels = [];
    gh.issues.set(7, payload.issue);
    const res = await actions.remediate(
      { owner: "acme", repo: "gitops", number: 7, place: "issue", actor: "alice" },
      { name: "remediate", args: { runbook: null }, line: 1, text: "/remediate" } as never,
    );
    expect(res).toEqual({ ok: false, message: "#7 is not an incident issue (no `incident` label)." });
    expect(repoWrites()).toEqual([]);
  });

  it("/remediate naming a runbook that does not match says why and writes nothing", async () => {
    const { payload } = incidentIssueEvent("opened");
    gh.issues.set(7, payload.issue);
    const res = await actions.remediate(
      { owner: "acme", repo: "gitops", number: 7, place: "issue", actor: "alice" },
      { name: "remediate", args: { runbook: "pvc-full" }, line: 1, text: "/remediate pvc-full" } as never,
    );
    expect(res).toEqual({
      ok: false,
      message:
        "No remediation pull request: no runbook matches KubePodCrashLooping; no runbook handles alert KubePodCrashLooping",
    });
    expect(repoWrites()).toEqual([]);
  });
});

describe("auto-merge of safe remediations (remediation.autoMergeSafe)", () => {
  async function openPrWithConfig(autoMergeSafe: boolean) {
    gh.uninstall();
    const medic = GITOPS[".github/medic.yml"]!.replace(
      "maxOpenPullRequests: 5",
      `maxOpenPullRequests: 5\n  autoMergeSafe: ${autoMergeSafe}`,
    );
    gh = new FakeGitHub({ ...GITOPS, ".github/medic.yml": medic });
    gh.openIssue(7);
    gh.install();
    await probot.receive({
      id: "open",
      name: "issues",
      payload: incidentIssueEvent("opened").payload,
    } as never);
    const pr = gh.openPulls()[0]!;
    return { pr, head: gh.refs.get(pr.head)! };
  }

  function suiteCompleted(branch: string, sha: string, number: number) {
    // biome-ignore lint/suspicious/noExplicitAny: a recorded payload edited field by field
    const payload = webhookExample<Record<string, any>>("check_suite", "completed");
    Object.assign(payload.repository, { name: "gitops", full_name: "acme/gitops" });
    payload.repository.owner.login = "acme";
    payload.installation = { id: 4242, node_id: "x" };
    Object.assign(payload.check_suite, {
      head_branch: branch,
      head_sha: sha,
      conclusion: "success",
      pull_requests: [
        {
          number,
          id: 1,
          url: "u",
          head: { ref: branch, sha, repo: {} },
          base: { ref: "main", sha: "0", repo: {} },
        },
      ],
    });
    return payload;
  }

  const green = [
    { name: "medic/policy", status: "completed", conclusion: "success" },
    { name: "medic/approval", status: "completed", conclusion: "success" },
  ];

  it("every check green on the bot's head ⇒ merged with sha = that head", async () => {
    const { pr, head } = await openPrWithConfig(true);
    gh.checkRuns.set(head, green);
    await probot.receive({
      id: "cs-1",
      name: "check_suite",
      payload: suiteCompleted(pr.head, head, pr.number),
    } as never);
    const merge = gh.log.find((r) => r.method === "PUT")!;
    expect(merge.path).toBe(`/repos/acme/gitops/pulls/${pr.number}/merge`);
    expect(merge.body).toEqual({ sha: head, merge_method: "squash" });
    expect(gh.merged).toEqual([{ number: pr.number, sha: head }]);
  });

  it("a failing check, or a person's push after the checks ⇒ no merge", async () => {
    const { pr, head } = await openPrWithConfig(true);
    gh.checkRuns.set(head, [
      green[0]!,
      { name: "medic/approval", status: "completed", conclusion: "failure" },
    ]);
    await probot.receive({
      id: "cs-2",
      name: "check_suite",
      payload: suiteCompleted(pr.head, head, pr.number),
    } as never);
    const pushed = gh.pushAsHuman(pr.head, { "x.yaml": "a: 1\n" });
    gh.checkRuns.set(pushed, green);
    await probot.receive({
      id: "cs-3",
      name: "check_suite",
      payload: suiteCompleted(pr.head, pushed, pr.number),
    } as never);
    expect(gh.log.filter((r) => r.method === "PUT")).toEqual([]);
    expect(gh.merged).toEqual([]);
  });

  it("off by default: nothing merges", async () => {
    const { pr, head } = await openPrWithConfig(false);
    gh.checkRuns.set(head, green);
    await probot.receive({
      id: "cs-4",
      name: "check_suite",
      payload: suiteCompleted(pr.head, head, pr.number),
    } as never);
    expect(gh.log.filter((r) => r.method === "PUT" || r.path.includes("check-runs"))).toEqual([]);
  });

  it("suites of branches that are not remediation branches are ignored without a request", async () => {
    const payload = suiteCompleted("feature/x", "a".repeat(40), 1);
    await probot.receive({ id: "cs-5", name: "check_suite", payload } as never);
    expect(gh.log).toEqual([]);
  });
});

describe("/remediate through the slash-command flow", () => {
  it("a writer's /remediate comment on the incident ⇒ one PR naming them, and a reply with the link", async () => {
    const withCommands = createTestProbot();
    const cluster = loadClusterSnapshot(
      read("examples/cluster/crashloop-checkout.yaml"),
      "crashloop-checkout.yaml",
    );
    if (!cluster.ok) throw new Error(cluster.message);
    const d = deps();
    await withCommands.load((app) => {
      const { remediate } = registerRemediation(app, d, { cluster: cluster.cluster });
      registerCommands(app, d, { remediate }, async () => {});
    });
    const { payload: opened } = incidentIssueEvent("opened");
    gh.issues.set(7, opened.issue);
    gh.permissions.set("alice", "write");
    // biome-ignore lint/suspicious/noExplicitAny: a recorded payload edited field by field
    const payload = webhookExample<Record<string, any>>("issue_comment", "created");
    Object.assign(payload.repository, { name: "gitops", full_name: "acme/gitops", default_branch: "main" });
    payload.repository.owner.login = "acme";
    payload.installation = { id: 4242, node_id: "x" };
    payload.issue = opened.issue;
    payload.comment = {
      ...payload.comment,
      id: 991,
      body: "/remediate",
      user: { ...payload.comment.user, login: "alice", type: "User" },
    };
    payload.sender = { ...payload.sender, login: "alice", type: "User" };
    await withCommands.receive({ id: "c-1", name: "issue_comment", payload } as never);

    expect(gh.openPulls()).toHaveLength(1);
    const pr = gh.openPulls()[0]!;
    expect(pr.body).toContain('"requester":"alice"');
    const bodies = gh.comments.get(7)!.map((c) => c.body);
    expect(bodies.some((b) => b.includes(`Remediation pull request #${pr.number} is open`))).toBe(true);
    // The command flow escapes action messages (mentions and #refs neutralised).
    expect(
      bodies.some((b) => b.includes(`\`/remediate\`: Opened remediation pull request #&#8203;${pr.number}`)),
    ).toBe(true);
  });
});
