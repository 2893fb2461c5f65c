import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderDashboardState } from "../../src/core/dashboard/dashboard-boxes.js";
import type { Incident } from "../../src/core/incident/incident.js";
import { renderIncidentState } from "../../src/core/incident/incident-state.js";
import { registerDashboard } from "../../src/handlers/dashboard.js";
import { registerRemediation } from "../../src/handlers/remediation.js";
import { testAppDeps } from "../helpers/app-deps.js";
import { webhookExample } from "../helpers/events.js";
import { createTestProbot } from "../helpers/probot.js";

const API = "https://api.github.com";
const REPO = "/repos/acme/gitops";
const BOT = "gitops-medic[bot]";
const NOW = "2026-01-01T00:00:00Z"; // testAppDeps' manual clock
const HEAD = "a".repeat(40);
const BASE = "b".repeat(40);

const incident: Incident = {
  key: "KubePodCrashLooping/shop/checkout",
  title: "checkout pods crash-looping in shop",
  severity: "critical",
  status: "firing",
  signals: [],
  labels: { alertname: "KubePodCrashLooping", namespace: "shop" },
  startsAt: "2025-12-31T23:00:00Z",
};

const incidentIssue = (state = "open") => ({
  number: 7,
  title: incident.title,
  html_url: "https://github.com/acme/gitops/issues/7",
  state,
  created_at: "2025-12-31T23:02:00Z",
  closed_at: state === "closed" ? "2025-12-31T23:50:00Z" : null,
  user: { login: BOT, type: "Bot" },
  labels: [{ name: "incident" }, { name: "severity:critical" }],
  body: `<!-- medic:incident ${incident.key} -->\n${renderIncidentState(incident)}\n`,
});

const remediationPr = {
  number: 12,
  title: "Roll back checkout",
  html_url: "https://github.com/acme/gitops/pull/12",
  state: "open",
  user: { login: BOT, type: "Bot" },
  labels: [{ name: "medic" }, { name: "risk:safe" }],
  body: "remediation",
  head: { sha: HEAD },
};

/** Repository event payload (a real `issues` example, moved to acme/gitops, installation 42). */
function issuesEvent(
  action: string,
  issue: Record<string, unknown>,
  sender = { login: "alice", type: "User" },
) {
  // biome-ignore lint/suspicious/noExplicitAny: a recorded payload edited field by field
  const p = webhookExample<Record<string, any>>("issues", action === "edited" ? "edited" : "opened");
  p.action = action;
  p.repository.name = "gitops";
  p.repository.full_name = "acme/gitops";
  p.repository.owner.login = "acme";
  p.repository.default_branch = "main";
  p.installation = { id: 42, node_id: "x" };
  p.issue = { ...p.issue, ...issue };
  p.sender = { ...p.sender, ...sender };
  return p;
}

let n = 0;
function setup() {
  const probot = createTestProbot();
  const deps = testAppDeps();
  const reevaluated: number[] = [];
  let handle!: ReturnType<typeof registerDashboard>;
  probot.load((app) => {
    handle = registerDashboard(app, deps, {
      delayMs: 60_000,
      reevaluate: async (_ctx, pr) => {
        reevaluated.push(pr);
      },
    });
  });
  return {
    deps,
    reevaluated,
    flush: () => handle.flush(),
    receive: (name: string, payload: unknown) => probot.receive({ id: `d-${++n}`, name, payload } as never),
  };
}

/** Installation token and the app's slug: persisted, every event may ask. */
function auth() {
  return nock(API)
    .persist()
    .post("/app/installations/42/access_tokens")
    .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" })
    .get("/app")
    .reply(200, { slug: "gitops-medic", id: 1 });
}

function noConfig(scope: nock.Scope) {
  scope
    .get(`${REPO}/contents/.github%2Fmedic.yml`)
    .reply(404, { message: "Not Found" })
    .get("/repos/acme/.github/contents/.github%2Fmedic.yml")
    .reply(404, { message: "Not Found" });
}

/** What the dashboard reads to render itself. */
function reads(
  scope: nock.Scope,
  over: { incidents?: unknown[]; prs?: unknown[]; prComments?: unknown[]; history?: unknown[] } = {},
) {
  const prs = over.prs ?? [];
  scope
    .get(`${REPO}/issues`)
    .query({ labels: "incident", state: "open", per_page: "100" })
    .reply(200, over.incidents ?? [])
    .get(`${REPO}/pulls`)
    .query({ state: "open", per_page: "100" })
    .reply(200, prs)
    .get(`${REPO}/issues`)
    .query({ labels: "revert", state: "all", since: "2025-12-25T00:00:00.000Z", per_page: "100" })
    .reply(200, [])
    .get(`${REPO}/contents/.github%2Fmedic%2Fquarantine.yml`)
    .query({ ref: "main" })
    .reply(404, { message: "Not Found" })
    .get(`${REPO}/issues`)
    .query({ labels: "incident", state: "all", since: "2025-12-02T00:00:00.000Z", per_page: "100" })
    .reply(200, over.history ?? over.incidents ?? []);
  for (const pr of prs as { number: number }[]) {
    scope
      .get(`${REPO}/issues/${pr.number}/comments`)
      .query({ per_page: "100" })
      .reply(200, over.prComments ?? []);
  }
}

function findDashboard(scope: nock.Scope, found: unknown[]) {
  scope
    .get(`${REPO}/issues`)
    .query({ labels: "medic:dashboard", state: "all", per_page: "100" })
    .reply(200, found);
}

/** The dashboard issue as GitHub returns it in the label listing. */
const dashboardIssue = (body: string) => ({
  number: 90,
  title: "gitops-medic dashboard",
  html_url: "https://github.com/acme/gitops/issues/90",
  state: "open",
  user: { login: BOT, type: "Bot" },
  labels: [{ name: "medic:dashboard" }],
  body,
});

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("dashboard issue", () => {
  it("is created once for a burst of events, then edited in place", async () => {
    const t = setup();
    auth();
    const scope = nock(API);
    noConfig(scope);
    findDashboard(scope, []);
    reads(scope, { incidents: [incidentIssue()] });
    findDashboard(scope, []); // create looks for the marker once more (another replica, a lost 5xx)
    let created = "";
    scope
      .post(`${REPO}/issues`, (b) => {
        created = b.body;
        return (
          b.title === "gitops-medic dashboard" && b.labels.length === 1 && b.labels[0] === "medic:dashboard"
        );
      })
      .reply(201, { number: 90, html_url: "https://github.com/acme/gitops/issues/90", body: "" });

    // Three incident events in a row: one coalesced update.
    await t.receive("issues", issuesEvent("opened", incidentIssue()));
    await t.receive("issues", issuesEvent("labeled", incidentIssue()));
    await t.receive("issues", issuesEvent("reopened", incidentIssue()));
    await t.flush();
    expect(scope.isDone()).toBe(true);
    expect(created).toContain("<!-- medic:dashboard acme/gitops -->");
    expect(created).toContain(
      "| [#7](https://github.com/acme/gitops/issues/7) checkout pods crash-looping in shop | critical | 1h |",
    );
    expect(created).toContain("- [ ] **Pause all automation**");
    expect(created).toContain('<!-- medic:dashboard-state {"paused":false} -->');

    // The incident closes: the same issue is edited, never re-created.
    const scope2 = nock(API);
    noConfig(scope2);
    findDashboard(scope2, [dashboardIssue(created)]);
    reads(scope2, { incidents: [], history: [incidentIssue("closed")] });
    let edited = "";
    scope2
      .patch(`${REPO}/issues/90`, (b) => {
        edited = b.body;
        return b.state === undefined;
      })
      .reply(200, {});
    await t.receive("issues", issuesEvent("closed", incidentIssue("closed")));
    await t.flush();
    expect(scope2.isDone()).toBe(true);
    expect(edited).toContain("## Open incidents (0)\n\nNone.");
  });
});

describe("dashboard checkboxes", () => {
  const body = (over: { approve?: boolean; pause?: boolean } = {}) =>
    [
      "<!-- medic:dashboard acme/gitops -->",
      "## Pull requests waiting (1)",
      "- [#12](https://github.com/acme/gitops/pull/12) Roll back checkout (remediation) — waiting for review and checks",
      `  - [${over.approve ? "x" : " "}] approve <!-- medic:box approve:12 -->`,
      "  - [ ] hold <!-- medic:box hold:12 -->",
      "  - [ ] retry <!-- medic:box retry:12 -->",
      `- [${over.pause ? "x" : " "}] **Pause all automation** <!-- medic:box pause -->`,
      renderDashboardState({ paused: false }),
    ].join("\n");

  const edit = (login: string, after: string, type = "User") => {
    const p = issuesEvent("edited", dashboardIssue(after), { login, type });
    p.issue.number = 90;
    p.changes = { body: { from: body() } };
    return p;
  };

  it("an approve ticked by a user with write access runs /approve on the PR, with its record", async () => {
    const t = setup();
    auth();
    const scope = nock(API);
    noConfig(scope);
    scope
      .get(`${REPO}/collaborators/alice/permission`)
      .times(2)
      .reply(200, { permission: "write", role_name: "write" })
      .get(`${REPO}/issues/12/comments`)
      .query({ per_page: "100" })
      .reply(200, [])
      .get(`${REPO}/pulls/12`)
      .reply(200, { ...remediationPr, head: { sha: HEAD, ref: "medic/x" }, base: { ref: "main", sha: BASE } })
      .get(`${REPO}/compare/${BASE}...${HEAD}`)
      .query({ per_page: "1" })
      .reply(200, { merge_base_commit: { sha: BASE } });
    let reply = "";
    scope
      .post(`${REPO}/issues/12/comments`, (b) => {
        reply = b.body;
        return true;
      })
      .reply(201, { id: 1 });
    // Then the dashboard is rendered again (the approve box comes back unticked, approval shown).
    reads(scope, { prs: [remediationPr] });
    let edited = "";
    scope
      .patch(`${REPO}/issues/90`, (b) => {
        edited = b.body;
        return true;
      })
      .reply(200, {});

    await t.receive("issues", edit("alice", body({ approve: true })));
    expect(scope.isDone()).toBe(true);
    expect(reply).toContain(`<!-- medic:command {"kind":"approve","actor":"alice","sha":"${HEAD}"`);
    expect(t.reevaluated).toEqual([12]);
    expect(edited).toContain("  - [ ] approve <!-- medic:box approve:12 -->");
    expect(t.deps.auditSink.records.map((r) => r.action)).toEqual(["command.handled"]);
    expect(JSON.stringify(t.deps.auditSink.records[0])).toContain("alice");
  });

  it("an approve ticked by a user with read access is unticked with one reply, and nothing runs", async () => {
    const t = setup();
    auth();
    const scope = nock(API);
    noConfig(scope);
    scope
      .get(`${REPO}/collaborators/mallory/permission`)
      .reply(200, { permission: "read", role_name: "read" });
    reads(scope, { prs: [remediationPr] });
    let edited = "";
    let reply = "";
    scope
      .patch(`${REPO}/issues/90`, (b) => {
        edited = b.body;
        return true;
      })
      .reply(200, {})
      .post(`${REPO}/issues/90/comments`, (b) => {
        reply = b.body;
        return true;
      })
      .reply(201, { id: 2 });

    await t.receive("issues", edit("mallory", body({ approve: true })));
    expect(scope.isDone()).toBe(true);
    expect(edited).toContain("  - [ ] approve <!-- medic:box approve:12 -->");
    expect(reply).toBe(
      "@mallory these boxes were not taken up and were unticked:\n\n- `approve:12`: `/approve` needs the write role or higher on this repository; @mallory has read",
    );
    expect(t.reevaluated).toEqual([]);
  });

  it("the pause box ticked by a maintainer switches the kill switch on: state block and the cached switch", async () => {
    const t = setup();
    auth();
    const scope = nock(API);
    noConfig(scope);
    scope
      .get(`${REPO}/collaborators/olivia/permission`)
      .reply(200, { permission: "maintain", role_name: "maintain" });
    reads(scope, { prs: [remediationPr] });
    let edited = "";
    scope
      .patch(`${REPO}/issues/90`, (b) => {
        edited = b.body;
        return true;
      })
      .reply(200, {});
    await t.receive("issues", edit("olivia", body({ pause: true })));
    expect(scope.isDone()).toBe(true);
    expect(edited).toContain("- [x] **Pause all automation**");
    expect(edited).toContain("Paused by @olivia at 2026-01-01T00:00:00.000Z.");
    expect(edited).toContain(
      '<!-- medic:dashboard-state {"paused":true,"pausedBy":"olivia","pausedAt":"2026-01-01T00:00:00.000Z"} -->',
    );
  });

  it.each([
    ["a bot", "renovate[bot]", "Bot"],
    ["the app itself", BOT, "Bot"],
  ])("an edit by %s is ignored (no request at all)", async (_n, login, type) => {
    const t = setup();
    auth();
    await t.receive("issues", edit(login, body({ approve: true }), type));
    expect(nock.pendingMocks().filter((m) => !m.includes("access_tokens") && !m.endsWith("/app"))).toEqual(
      [],
    );
  });
});

describe("the kill switch", () => {
  it("a paused dashboard stops the remediation PR from being opened (no write at all)", async () => {
    const probot = createTestProbot();
    const deps = testAppDeps();
    probot.load((app) => {
      registerRemediation(app, deps, { bundledRunbooks: [] });
    });
    auth();
    const scope = nock(API);
    noConfig(scope);
    findDashboard(scope, [
      dashboardIssue(
        `<!-- medic:dashboard acme/gitops -->\n${renderDashboardState({ paused: true, pausedBy: "olivia", pausedAt: NOW })}\n`,
      ),
    ]);
    const p = issuesEvent("opened", {
      ...incidentIssue(),
      labels: [{ name: "incident" }, { name: "runbook:crashloop-rollback" }],
    });
    await probot.receive({ id: "r-1", name: "issues", payload: p } as never);
    expect(scope.isDone()).toBe(true);
    // Nothing else was asked for: no ref read, no tree, no PR.
    expect(nock.pendingMocks().filter((m) => !m.includes("access_tokens") && !m.endsWith("/app"))).toEqual(
      [],
    );
  });
});
