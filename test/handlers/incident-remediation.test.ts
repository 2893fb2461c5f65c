import { readFileSync } from "node:fs";
import nock from "nock";
import type { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadClusterSnapshot } from "../../src/adapters/local/load-cluster-snapshot.js";
import { parseRemediationMarker } from "../../src/core/approval/remediation-marker.js";
import { parseAlertmanagerPayload } from "../../src/core/incident/alertmanager.js";
import { parseIncidentState } from "../../src/core/incident/incident-state.js";
import { registerIncidents } from "../../src/handlers/incidents.js";
import { registerRemediation } from "../../src/handlers/remediation.js";
import type { IncidentHooks } from "../../src/workflows/incident-hooks.js";
import { manualClock } from "../../src/workflows/ports/clock.js";
import { BOT, FakeGitHub, readTreeFromDisk } from "../fixtures/github/fake-github.js";
import { testAppDeps } from "../helpers/app-deps.js";
import { webhookExample } from "../helpers/events.js";
import { createTestProbot } from "../helpers/probot.js";

const root = new URL("../../", import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), "utf8");
const INC = "/repos/acme/incidents";
const NOW = "2026-11-27T10:00:00Z";

interface StoredIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: string[];
  comments: { id: number; body: string }[];
}

/**
 * The incident repository acme/incidents as GitHub serves it to the app (issues, comments, its
 * `.github/medic.yml` naming the GitOps repository). Registered before FakeGitHub (acme/gitops), so
 * nock asks it first; everything else falls through to the fake.
 */
class IncidentRepo {
  readonly issues: StoredIssue[] = [];
  readonly writes: string[] = [];
  medicYml = "remediation:\n  repository: acme/gitops\n";

  json(i: StoredIssue) {
    return {
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      html_url: `https://github.com/acme/incidents/issues/${i.number}`,
      created_at: NOW,
      updated_at: NOW,
      closed_at: null,
      labels: i.labels.map((name) => ({ name })),
      user: { login: BOT.login, type: "Bot" },
    };
  }

  install(): void {
    const handle = (method: string) =>
      function (this: unknown, uri: string, body: unknown): [number, unknown] {
        return self.route(method, uri, typeof body === "string" && body ? JSON.parse(body) : body);
      };
    const self = this;
    const scope = nock("https://api.github.com").persist();
    for (const m of ["GET", "POST", "PATCH"] as const) {
      scope.intercept((p: string) => p.startsWith(INC), m).reply(handle(m));
    }
  }

  private route(method: string, uri: string, b: Record<string, unknown>): [number, unknown] {
    const url = new URL(uri, "https://api.github.com");
    const p = decodeURIComponent(url.pathname).slice(INC.length);
    if (method !== "GET") this.writes.push(`${method} ${p}`);
    if (method === "GET" && p === "/installation") return [200, { id: 4242, app_id: 1 }];
    if (method === "GET" && p === "") return [200, { default_branch: "main", full_name: "acme/incidents" }];
    if (method === "GET" && p === "/contents/.github/medic.yml") return [200, this.medicYml];
    if (method === "GET" && p === "/issues") {
      const state = url.searchParams.get("state");
      return [200, this.issues.filter((i) => state === "all" || i.state === state).map((i) => this.json(i))];
    }
    if (method === "POST" && p === "/issues") {
      const i: StoredIssue = {
        number: this.issues.length + 1,
        title: b["title"] as string,
        body: b["body"] as string,
        state: "open",
        labels: b["labels"] as string[],
        comments: [],
      };
      this.issues.push(i);
      return [201, this.json(i)];
    }
    let m = /^\/issues\/(\d+)$/.exec(p);
    const issue = m ? this.issues[Number(m[1]) - 1] : undefined;
    if (m && !issue) return [404, { message: "Not Found" }];
    if (m && method === "GET") return [200, this.json(issue!)];
    if (m && method === "PATCH") {
      if (typeof b["body"] === "string") issue!.body = b["body"];
      if (Array.isArray(b["labels"])) issue!.labels = b["labels"] as string[];
      if (b["state"] === "open" || b["state"] === "closed") issue!.state = b["state"];
      return [200, this.json(issue!)];
    }
    m = /^\/issues\/(\d+)\/comments$/.exec(p);
    const on = m ? this.issues[Number(m[1]) - 1] : undefined;
    if (m && on && method === "GET") {
      return [200, on.comments.map((c) => ({ ...c, user: { login: BOT.login, type: "Bot" } }))];
    }
    if (m && on && method === "POST") {
      const c = { id: 900 + on.comments.length, body: b["body"] as string };
      on.comments.push(c);
      return [201, { ...c, user: { login: BOT.login } }];
    }
    return [404, { message: `incident repo fake: no route for ${method} ${p}` }];
  }
}

/** The `issues` webhook GitHub sends for the bot's own write: `opened`, or `labeled` for one label. */
function issueEvent(repo: IncidentRepo, action: "opened" | "labeled", label?: string) {
  // biome-ignore lint/suspicious/noExplicitAny: a recorded payload edited field by field
  const payload = webhookExample<Record<string, any>>("issues", action);
  const issue = repo.json(repo.issues[0]!);
  payload.repository.name = "incidents";
  payload.repository.full_name = "acme/incidents";
  payload.repository.owner.login = "acme";
  payload.repository.default_branch = "main";
  payload.installation = { id: 4242, node_id: "x" };
  payload.issue = { ...payload.issue, ...issue, labels: issue.labels.map((l, id) => ({ id, ...l })) };
  delete payload.issue.pull_request;
  if (action === "labeled") payload.label = { id: 9, name: label };
  payload.sender = { ...payload.sender, login: BOT.login, type: "Bot" };
  return payload;
}

let gh: FakeGitHub;
let incidents: IncidentRepo;
let probot: Probot;
let runtime: ReturnType<typeof registerIncidents>;
let deps: ReturnType<typeof testAppDeps>;

beforeEach(async () => {
  nock.disableNetConnect();
  incidents = new IncidentRepo();
  incidents.install();
  gh = new FakeGitHub(readTreeFromDisk(new URL("examples/gitops", root).pathname));
  gh.install();
  const cluster = loadClusterSnapshot(
    read("examples/cluster/crashloop-checkout.yaml"),
    "crashloop-checkout.yaml",
  );
  if (!cluster.ok) throw new Error(cluster.message);
  deps = testAppDeps({
    rawEnv: { INCIDENT_REPO: "acme/incidents", ALERTMANAGER_TOKEN: "t".repeat(32) },
    clock: manualClock(NOW),
  });
  probot = createTestProbot();
  await probot.load((app) => {
    // Wired as src/index.ts wires them.
    const hooks: IncidentHooks = {};
    runtime = registerIncidents(app, deps, hooks, { later: () => {} });
    const { matchRunbook } = registerRemediation(app, deps, {
      cluster: cluster.cluster,
      appendTimeline: (key, note, repo) => runtime.appendTimeline(key, note, repo),
    });
    hooks.matchRunbook = matchRunbook;
  });
});
afterEach(() => {
  gh.uninstall();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("Alertmanager ⇒ incident issue ⇒ remediation PR in the GitOps repository", () => {
  it("labels the issue with its runbook, opens exactly one PR in acme/gitops, comments and records the link", async () => {
    const parsed = parseAlertmanagerPayload(JSON.parse(read("examples/alerts/crashloop-checkout.json")));
    if (!parsed.ok) throw new Error("fixture");
    expect(runtime.enqueue(parsed.payload)).toBe(true);
    await runtime.drain();

    // 1. The incident issue opens in acme/incidents with the runbook the planner will use.
    expect(incidents.issues).toHaveLength(1);
    const issue = incidents.issues[0]!;
    expect(issue.labels).toContain("runbook:crashloop-rollback");
    expect(issue.body).toContain("| **Runbook** | `runbook:crashloop-rollback` |");

    // 2. GitHub delivers `opened` and one `labeled` per label for that create; only `opened` triggers.
    await probot.receive({ id: "d-1", name: "issues", payload: issueEvent(incidents, "opened") } as never);
    const afterOpened = gh.log.length;
    for (const label of issue.labels) {
      await probot.receive({
        id: `d-l-${label}`,
        name: "issues",
        payload: issueEvent(incidents, "labeled", label),
      } as never);
    }
    // Not even a read: the bot's `labeled` copies never reach the remediation flow.
    expect(gh.log.length).toBe(afterOpened);
    expect(gh.pulls).toHaveLength(1);
    const pr = gh.pulls[0]!;
    expect(pr.base).toBe("main");
    expect(pr.body).toContain("[acme/incidents#1 ");
    const marker = parseRemediationMarker(pr.body);
    expect(marker.ok && marker.marker.incident).toBe("acme/incidents#1");
    // The GitOps repository gets no comment: the notice is on the incident, in the incident repository.
    expect(gh.writes().filter((w) => /\/issues\/1\/comments$/.test(w.path))).toEqual([]);
    expect(issue.comments).toHaveLength(1);
    const prUrl = `https://github.com/acme/gitops/pull/${pr.number}`;
    expect(issue.comments[0]!.body).toContain(prUrl);

    // The audit record names the incident where it lives.
    const audited = deps.auditSink.records.find(
      (r) => r.subject?.kind === "issue" && r.action.startsWith("remediation."),
    );
    expect(audited?.subject).toEqual({ kind: "issue", repo: "acme/incidents", number: 1 });
    // The incident's own lifecycle is in the same ledger.
    expect(deps.auditSink.records.find((r) => r.action === "incident.opened")?.subject).toEqual({
      kind: "issue",
      repo: "acme/incidents",
      number: 1,
      url: "https://github.com/acme/incidents/issues/1",
    });

    // 3. The timeline entry with the PR link, in the body and in the state block.
    const state = parseIncidentState(issue.body);
    const line = state?.timeline?.find((e) => e.event === "remediation");
    expect(line).toMatchObject({ detail: `remediation PR #${pr.number} (crashloop-rollback)`, url: prUrl });
    // The detail is escaped like every other timeline line (no issue autolink, no Markdown).
    expect(issue.body).toContain(
      `| remediation | remediation PR #&#8203;${pr.number} \\(crashloop-rollback\\) ([link](${prUrl})) |`,
    );

    // 4. A redelivery of `opened` changes nothing in either repository.
    const before = { gitops: gh.writes().length, incidents: incidents.writes.length };
    await probot.receive({ id: "d-1", name: "issues", payload: issueEvent(incidents, "opened") } as never);
    expect(gh.pulls).toHaveLength(1);
    expect({ gitops: gh.writes().length, incidents: incidents.writes.length }).toEqual(before);

    // 5. The merge (pull_request.closed in acme/gitops) becomes a line in acme/incidents#1 — once.
    // biome-ignore lint/suspicious/noExplicitAny: a recorded payload edited field by field
    const closed = webhookExample<Record<string, any>>("pull_request", "closed");
    closed.repository.name = "gitops";
    closed.repository.full_name = "acme/gitops";
    closed.repository.owner.login = "acme";
    closed.installation = { id: 4242, node_id: "x" };
    Object.assign(closed.pull_request, {
      number: pr.number,
      merged: true,
      merged_at: "2026-11-27T10:20:00Z",
      html_url: prUrl,
      body: pr.body,
      user: { ...closed.pull_request.user, login: BOT.login, type: "Bot" },
      head: { ...closed.pull_request.head, ref: pr.head },
    });
    await probot.receive({ id: "d-m", name: "pull_request", payload: closed } as never);
    await probot.receive({ id: "d-m", name: "pull_request", payload: closed } as never);
    const merged = parseIncidentState(issue.body)?.timeline?.filter((e) => e.event === "remediation");
    expect(merged?.map((e) => [e.at, e.detail, e.url])).toEqual([
      ["2026-11-27T10:00:00.000Z", `remediation PR #${pr.number} (crashloop-rollback)`, prUrl],
      ["2026-11-27T10:20:00.000Z", `remediation PR #${pr.number} merged (crashloop-rollback)`, prUrl],
    ]);
  });
  it("a GitOps repository the app is not installed on: no label, the reason in the body, no PR", async () => {
    incidents.medicYml = "remediation:\n  repository: acme/elsewhere\n";
    const parsed = parseAlertmanagerPayload(JSON.parse(read("examples/alerts/crashloop-checkout.json")));
    if (!parsed.ok) throw new Error("fixture");
    runtime.enqueue(parsed.payload);
    await runtime.drain();
    const issue = incidents.issues[0]!;
    expect(issue.labels.some((l) => l.startsWith("runbook:"))).toBe(false);
    expect(issue.body).toContain(
      "| **Runbook** | none matched: gitops-medic is not installed on acme/elsewhere \\(remediation.repository in acme/incidents's .github/medic.yml\\) |",
    );
    // A person adds the label anyway: still no PR, nothing written to any repository but the incident's.
    issue.labels.push("runbook:crashloop-rollback");
    const payload = issueEvent(incidents, "labeled", "runbook:crashloop-rollback");
    payload.sender = { ...payload.sender, login: "alice", type: "User" };
    await probot.receive({ id: "d-2", name: "issues", payload } as never);
    expect(gh.pulls).toEqual([]);
    expect(gh.writes().filter((w) => w.path.startsWith("/repos/"))).toEqual([]);
  });
});
