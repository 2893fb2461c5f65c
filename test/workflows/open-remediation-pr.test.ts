import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BlobCache } from "../../src/adapters/github/repo-snapshot.js";
import { createMemoryAuditSink } from "../../src/adapters/memory/audit-sink.js";
import { parseRemediationMarker } from "../../src/core/approval/remediation-marker.js";
import { parseAuditBlock } from "../../src/core/audit/audit-block.js";
import { parseMarker } from "../../src/core/markdown/parse-marker.js";
import { openRemediationPr } from "../../src/workflows/open-remediation-pr.js";
import { FakeGitHub, type LoggedRequest } from "../fixtures/github/fake-github.js";
import { DEPLOYMENT, FILES, githubDeps, INCIDENT, rollbackPlanner } from "./remediation-harness.js";

const BRANCH_RE = /^medic\/crashloop-rollback\/shop-checkout-[0-9a-f]{8}$/;
const R = "/repos/acme/gitops";
let gh: FakeGitHub;

beforeEach(() => {
  nock.disableNetConnect();
  gh = new FakeGitHub(FILES);
  gh.openIssue(42);
  gh.install();
});
afterEach(() => {
  gh.uninstall();
  nock.enableNetConnect();
});

const run = (deps = githubDeps(), requester: string | null = null) =>
  openRemediationPr(deps, { incident: INCIDENT, requester });
const line = (r: LoggedRequest) => `${r.method} ${r.path}`;

describe("openRemediationPr over the GitHub API", () => {
  it("opens one PR with one commit: exact requests, ≤7 writes, ≤3 reads + 1 per file (+1 limit check)", async () => {
    const res = await run(githubDeps(), "alice");
    expect(res).toMatchObject({ kind: "opened", number: 100 });
    const branch = (res as { branch: string }).branch;
    expect(branch).toMatch(BRANCH_RE);

    const base = gh.refs.get("main")!;
    const baseTree = gh.commits.get(base)!.tree;
    expect(gh.log.map(line)).toEqual([
      `GET ${R}/git/ref/heads/main`,
      `GET ${R}/git/trees/${base}`,
      expect.stringMatching(new RegExp(`^GET ${R}/git/blobs/[0-9a-f]{40}$`)), // the deployment
      `GET ${R}/pulls`,
      `GET ${R}/issues`,
      `POST ${R}/git/trees`,
      `POST ${R}/git/commits`,
      `POST ${R}/git/refs`,
      expect.stringMatching(new RegExp(`^GET ${R}/git/blobs/[0-9a-f]{40}$`)), // CODEOWNERS
      `POST ${R}/pulls`,
      `POST ${R}/issues/42/comments`,
      `POST ${R}/pulls/100/requested_reviewers`,
      `POST ${R}/issues/100/labels`,
    ]);
    const filesRead = 2;
    expect(gh.writes()).toHaveLength(7);
    expect(gh.reads().length).toBeLessThanOrEqual(3 + filesRead + 1);
    expect(gh.log[1]!.query).toEqual({ recursive: "1" });
    expect(gh.log[3]!.query).toEqual({ head: `acme:${branch}`, state: "open", per_page: "10" });
    expect(gh.log[4]!.query).toEqual({ state: "open", labels: "medic", per_page: "100" });

    const [tree, commit, ref, pull, comment, reviewers, labels] = gh.writes();
    expect(tree!.body).toEqual({
      base_tree: baseTree,
      tree: [
        {
          path: "apps/checkout/deployment.yaml",
          mode: "100644",
          type: "blob",
          content: DEPLOYMENT.replace("checkout:1.4.2", "checkout:1.4.1"),
        },
      ],
    });
    const head = gh.refs.get(branch)!;
    expect(commit!.body).toEqual({
      message: expect.stringMatching(
        /^medic\(crashloop-rollback\): Deployment shop\/checkout\n\nIncident: KubePodCrashLooping\/shop\/checkout \(#42\)\nRisk: safe\n- apps\/checkout\/deployment.yaml: image checkout 1.4.2 → 1.4.1\n\nMedic-Plan: [0-9a-f]{64}$/,
      ),
      tree: gh.commits.get(head)!.tree,
      parents: [base],
    });
    expect(ref!.body).toEqual({ ref: `refs/heads/${branch}`, sha: head });
    const prBody = (pull!.body as { body: string }).body;
    expect(pull!.body).toEqual({
      title: "medic(crashloop-rollback): Deployment shop/checkout — KubePodCrashLooping/shop/checkout",
      head: branch,
      base: "main",
      body: prBody,
      draft: false,
    });
    expect(parseRemediationMarker(prBody)).toMatchObject({
      ok: true,
      marker: { incidentKey: INCIDENT.key, runbook: "crashloop-rollback", requester: "alice" },
    });
    expect(parseMarker(prBody, "remediation-head")).toBe(head);
    expect(prBody).toContain("| Requested by | @alice |");
    expect((comment!.body as { body: string }).body).toContain(
      "Remediation pull request #100 is open: https://github.com/acme/gitops/pull/100",
    );
    // alice asked for the change: she is never requested as its reviewer.
    expect(reviewers!.body).toEqual({ reviewers: [], team_reviewers: ["checkout"] });
    expect(labels!.body).toEqual({ labels: ["medic", "risk:safe", "runbook:crashloop-rollback"] });
    expect(gh.fileAt(branch, "apps/checkout/deployment.yaml")).toContain("checkout:1.4.1");
  });

  it("the write count does not grow with the number of files", async () => {
    const many = async (repo: Parameters<ReturnType<typeof rollbackPlanner>>[0]) => {
      const res = await rollbackPlanner()(repo);
      if (!res.ok) return res;
      const extra = Array.from({ length: 30 }, (_, i) => ({
        ...res.plan.changes[0]!,
        path: `apps/x${i}/d.yaml`,
        before: null,
      }));
      return { ok: true as const, plan: { ...res.plan, changes: [...res.plan.changes, ...extra] } };
    };
    await run(githubDeps({ plan: many }));
    expect(gh.writes()).toHaveLength(7);
    expect((gh.writes()[0]!.body as { tree: unknown[] }).tree).toHaveLength(31);
  });

  it("a redelivery changes nothing and reads no more than 3 + files", async () => {
    const cache = new BlobCache();
    await run(githubDeps({}, cache));
    gh.log.length = 0;
    const again = await run(githubDeps({}, cache));
    expect(again).toMatchObject({ kind: "unchanged", number: 100 });
    expect(gh.writes()).toEqual([]);
    expect(gh.log.map(line)).toEqual([
      `GET ${R}/git/ref/heads/main`,
      `GET ${R}/git/trees/${gh.refs.get("main")}`,
      `GET ${R}/pulls`,
    ]);
    expect(gh.openPulls()).toHaveLength(1);
  });

  it("five deliveries at once through a lock ⇒ one PR (the handler serialises per incident)", async () => {
    let chain = Promise.resolve<unknown>(null);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => {
        chain = chain.then(() => run());
        return chain;
      }),
    );
    expect(results.map((r) => (r as { kind: string }).kind)).toEqual([
      "opened",
      "unchanged",
      "unchanged",
      "unchanged",
      "unchanged",
    ]);
    expect(gh.openPulls()).toHaveLength(1);
    expect(gh.comments.get(42)).toHaveLength(1);
  });

  it("a changed plan updates the bot's own branch (forced) and the same PR", async () => {
    const first = (await run()) as { branch: string };
    gh.log.length = 0;
    const res = await run(githubDeps({ plan: rollbackPlanner("1.3.9") }));
    expect(res).toMatchObject({ kind: "updated", number: 100 });
    const writes = gh.writes();
    expect(writes.map(line)).toEqual([
      `POST ${R}/git/trees`,
      `POST ${R}/git/commits`,
      `PATCH ${R}/git/refs/heads/${first.branch}`,
      `PATCH ${R}/pulls/100`,
    ]);
    expect(writes[2]!.body).toEqual({ sha: gh.refs.get(first.branch), force: true });
    expect(gh.fileAt(first.branch, "apps/checkout/deployment.yaml")).toContain("checkout:1.3.9");
    // One commit on top of main, not a second commit on the branch.
    expect(gh.commits.get(gh.refs.get(first.branch)!)!.parents).toEqual([gh.refs.get("main")]);
    expect(gh.openPulls()).toHaveLength(1);
    expect(gh.comments.get(42)).toHaveLength(1);
  });

  it("an automatic update keeps the requester recorded by /remediate (the gate refuses their approval)", async () => {
    await run(githubDeps(), "alice");
    await run(githubDeps({ plan: rollbackPlanner("1.3.9") }), null);
    const marker = parseRemediationMarker(gh.openPulls()[0]!.body);
    expect(marker).toMatchObject({ ok: true, marker: { requester: "alice" } });
    expect(gh.openPulls()[0]!.body).toContain("| Requested by | @alice |");
  });

  it("once a person pushes, the bot stops, says so once on the PR, and never writes the branch again", async () => {
    const { branch } = (await run()) as { branch: string };
    const human = gh.pushAsHuman(branch, { "apps/checkout/deployment.yaml": "# mine\n" });
    gh.log.length = 0;
    const res = await run(githubDeps({ plan: rollbackPlanner("1.3.9") }));
    expect(res).toMatchObject({ kind: "stopped", reason: "human-pushed", number: 100 });
    expect(gh.refs.get(branch)).toBe(human);
    expect(gh.writes().map(line)).toEqual([`POST ${R}/issues/100/comments`, `POST ${R}/issues/100/labels`]);
    expect((gh.writes()[0]!.body as { body: string }).body).toContain("this pull request is now yours");
    expect(gh.writes()[1]!.body).toEqual({ labels: ["medic:hands-off"] });
    // Later triggers: no write at all, no further comment.
    gh.log.length = 0;
    expect(await run(githubDeps({ plan: rollbackPlanner("1.3.8") }))).toMatchObject({ reason: "hands-off" });
    expect(gh.writes()).toEqual([]);
    expect(gh.refs.get(branch)).toBe(human);
  });

  const STEPS: [string, (r: LoggedRequest) => boolean][] = [
    ["tree", (r) => r.path.endsWith("/git/trees")],
    ["commit", (r) => r.path.endsWith("/git/commits")],
    ["ref", (r) => r.path.endsWith("/git/refs")],
    ["PR", (r) => r.method === "POST" && r.path.endsWith("/pulls")],
    ["incident comment", (r) => r.path.endsWith("/issues/42/comments")],
    ["reviewers", (r) => r.path.endsWith("/requested_reviewers")],
    ["labels", (r) => r.path.endsWith("/labels")],
  ];
  it.each(STEPS)(
    "killed right after the %s write, then run again ⇒ one branch, one PR, nothing missing",
    async (_step, match) => {
      gh.failAfter = match;
      await expect(run()).rejects.toThrow();
      const res = await run();
      expect(["opened", "resumed", "unchanged"]).toContain((res as { kind: string }).kind);
      expect([...gh.refs.keys()].filter((b) => b.startsWith("medic/"))).toHaveLength(1);
      expect(gh.openPulls()).toHaveLength(1);
      const pr = gh.openPulls()[0]!;
      expect(pr.labels).toEqual(["medic", "risk:safe", "runbook:crashloop-rollback"]);
      expect(pr.teams).toEqual(["checkout"]);
      expect(pr.reviewers).toEqual(["alice"]);
      expect(gh.comments.get(42)!.filter((c) => c.body.includes("is open"))).toHaveLength(1);
      expect(parseMarker(pr.body, "remediation-head")).toBe(gh.refs.get(pr.head));
      // And a third run is a no-op.
      gh.log.length = 0;
      expect(await run()).toMatchObject({ kind: "unchanged" });
      expect(gh.writes()).toEqual([]);
    },
  );

  it("killed after moving the branch of an existing PR, then run again ⇒ same PR, body matches the branch", async () => {
    const { branch } = (await run()) as { branch: string };
    gh.failAfter = (r) => r.method === "PATCH" && r.path.includes("/git/refs/");
    await expect(run(githubDeps({ plan: rollbackPlanner("1.3.9") }))).rejects.toThrow();
    const res = await run(githubDeps({ plan: rollbackPlanner("1.3.9") }));
    expect(res).toMatchObject({ kind: "updated", number: 100 });
    const pr = gh.openPulls()[0]!;
    expect(parseMarker(pr.body, "remediation-head")).toBe(gh.refs.get(branch));
    expect(gh.openPulls()).toHaveLength(1);
  });

  it("a 422 on the branch write re-reads and regenerates once", async () => {
    gh.rejectWith = {
      match: (r) => r.path.endsWith("/git/refs"),
      status: 422,
      message: "Repository rule violations found",
    };
    const res = await run();
    expect(res).toMatchObject({ kind: "opened" });
    expect(gh.log.filter((r) => r.path.endsWith("/git/ref/heads/main"))).toHaveLength(2);
    expect(gh.log.filter((r) => r.method === "POST" && r.path.endsWith("/git/refs"))).toHaveLength(2);
    expect(gh.openPulls()).toHaveLength(1);
  });

  it("a second conflict comments on the incident and stops; nothing is forced", async () => {
    const { branch } = (await run()) as { branch: string };
    const reject = {
      match: (r: LoggedRequest) => r.method === "PATCH" && r.path.includes("/git/refs/"),
      status: 409,
      message: "Reference cannot be updated",
    };
    const deps = githubDeps({ plan: rollbackPlanner("1.3.9") });
    const before = gh.refs.get(branch);
    gh.rejectWith = reject;
    const origPlan = deps.plan;
    deps.plan = async (repo) => {
      const res = await origPlan(repo);
      gh.rejectWith = reject; // every attempt meets the conflict
      return res;
    };
    const res = await run(deps);
    expect(res).toMatchObject({ kind: "stopped", reason: "conflict" });
    expect(gh.refs.get(branch)).toBe(before);
    const notes = gh.comments.get(42)!.map((c) => c.body);
    expect(notes.filter((b) => b.includes("could not be written"))).toHaveLength(1);
    // Asked again: the conflict note is not repeated.
    await run(deps);
    expect(gh.comments.get(42)!.filter((c) => c.body.includes("could not be written"))).toHaveLength(1);
  });

  it("a branch a person created (no PR) is left alone and the incident is told", async () => {
    const { buildRemediationBranch } = await import("../../src/core/remediation/build-remediation-branch.js");
    const branch = buildRemediationBranch("crashloop-rollback", INCIDENT.key);
    gh.refs.set(branch, gh.refs.get("main")!);
    const human = gh.pushAsHuman(branch, { "x.yaml": "a: 1\n" });
    const res = await run();
    expect(res).toMatchObject({ kind: "stopped", reason: "branch-taken" });
    expect(gh.refs.get(branch)).toBe(human);
    expect(gh.openPulls()).toHaveLength(0);
    expect(gh.comments.get(42)!.at(-1)!.body).toContain("was not written by gitops-medic");
  });

  it("refuses past the open-PR limit and says why on the incident", async () => {
    const res = await run(githubDeps({}, new BlobCache(), { maxOpenPullRequests: 1 }));
    expect(res).toMatchObject({ kind: "opened" });
    const other = { ...INCIDENT, key: "KubePodCrashLooping/shop/other", number: 43 };
    gh.openIssue(43);
    const planner = rollbackPlanner();
    const res2 = await openRemediationPr(
      githubDeps(
        {
          plan: async (repo) => {
            const p = await planner(repo);
            return p.ok ? { ok: true, plan: { ...p.plan, incidentKey: other.key } } : p;
          },
        },
        new BlobCache(),
        { maxOpenPullRequests: 1 },
      ),
      { incident: other, requester: null },
    );
    expect(res2).toMatchObject({ kind: "stopped", reason: "limit" });
    expect(gh.openPulls()).toHaveLength(1);
    expect(gh.comments.get(43)!.at(-1)!.body).toContain("the limit is 1 (remediation.maxOpenPullRequests)");
  });

  it("a PR on the branch opened by someone else is not touched", async () => {
    const { branch } = (await run()) as { branch: string };
    gh.pulls[0]!.user = "mallory";
    gh.log.length = 0;
    const res = await run(githubDeps({ plan: rollbackPlanner("1.3.9") }));
    expect(res).toMatchObject({ kind: "stopped", reason: "foreign-pr" });
    expect(gh.writes().map(line)).toEqual([`POST ${R}/issues/42/comments`]);
    expect(gh.fileAt(branch, "apps/checkout/deployment.yaml")).toContain("1.4.1");
  });

  it("draft and extra labels come from the config", async () => {
    await run(githubDeps({}, new BlobCache(), { draft: true, labels: ["team:shop"] }));
    expect(gh.openPulls()[0]).toMatchObject({
      draft: true,
      labels: ["medic", "risk:safe", "runbook:crashloop-rollback", "team:shop"],
    });
  });

  it("a plan that would write outside the repository or into the guardrails is refused without a write", async () => {
    const planner = rollbackPlanner();
    const res = await run(
      githubDeps({
        plan: async (repo) => {
          const p = await planner(repo);
          if (!p.ok) return p;
          return {
            ok: true,
            plan: { ...p.plan, changes: [{ ...p.plan.changes[0]!, path: ".github/CODEOWNERS" }] },
          };
        },
      }),
    );
    expect(res).toEqual({
      kind: "stopped",
      reason: "unsafe-path",
      message: ".github/CODEOWNERS: protected path (guardrails and git metadata)",
    });
    expect(gh.writes()).toEqual([]);
  });

  it("no plan ⇒ no write", async () => {
    const res = await run(githubDeps({ plan: async () => ({ ok: false, reason: "no runbook matched" }) }));
    expect(res).toEqual({ kind: "no-plan", message: "no runbook matched" });
    expect(gh.writes()).toEqual([]);
  });

  it("update-only (incident edited) refreshes an open PR but never opens one", async () => {
    const deps = githubDeps();
    expect(
      await openRemediationPr(deps, { incident: INCIDENT, requester: null, mode: "update-only" }),
    ).toMatchObject({
      kind: "stopped",
      reason: "no-open-pr",
    });
    expect(gh.writes()).toEqual([]);
    await run();
    const res = await openRemediationPr(githubDeps({ plan: rollbackPlanner("1.3.9") }), {
      incident: INCIDENT,
      requester: null,
      mode: "update-only",
    });
    expect(res).toMatchObject({ kind: "updated", number: 100 });
  });
});

describe("openRemediationPr audit records", () => {
  const audited = (over: Parameters<typeof githubDeps>[0] = {}) => {
    const sink = createMemoryAuditSink();
    const deps = githubDeps({
      audit: {
        sink,
        clock: { now: () => Date.parse("2026-11-27T12:00:00Z") },
        repo: "acme/gitops",
        deliveryId: "d-5",
      },
      ...over,
    });
    return { sink, deps };
  };

  it("an opened PR: one record, the same block ending the PR body and the incident comment", async () => {
    const { sink, deps } = audited();
    const res = await run(deps, "alice");
    const branch = (res as { branch: string }).branch;
    const [, , , pull, comment] = gh.writes();
    const record = {
      v: 1,
      at: "2026-11-27T12:00:00.000Z",
      actor: { kind: "bot", login: "gitops-medic[bot]" },
      action: "remediation.opened",
      reason: "runbook crashloop-rollback planned 1 change(s) for Deployment shop/checkout",
      deliveryId: "d-5",
      incidentKey: "KubePodCrashLooping/shop/checkout",
      runbook: { id: "crashloop-rollback", version: "3b18e512dba79e4c8300dd08aeb37f8e728b8dad" },
      subject: { kind: "issue", repo: "acme/gitops", number: 42 },
      shas: { base: gh.refs.get("main")!, head: gh.refs.get(branch)! },
      inputs: {
        requester: "alice",
        mode: "create-or-update",
        target: "Deployment shop/checkout",
        risk: "safe",
        approvals: expect.any(Array),
        changes: ["apps/checkout/deployment.yaml"],
        imperativeSteps: 0,
        planHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$|^[0-9a-f]{64}$/),
        branch,
      },
      outcome: { status: "ok", detail: `PR opened on ${branch}` },
    };
    expect(sink.records).toEqual([record]);
    const prBody = (pull!.body as { body: string }).body;
    const commentBody = (comment!.body as { body: string }).body;
    expect(parseAuditBlock(prBody)).toEqual({ ok: true, record: sink.records[0] });
    expect(parseAuditBlock(commentBody)).toEqual({ ok: true, record: sink.records[0] });
    // The remediation marker the approval gate reads is still found (the block cannot forge another).
    expect(parseRemediationMarker(prBody)).toMatchObject({ ok: true, marker: { requester: "alice" } });
  });

  it("a person's push: stopped and recorded, block on the PR comment; later runs are recorded as skipped", async () => {
    const { branch } = (await run()) as { branch: string };
    gh.pushAsHuman(branch, { "apps/checkout/deployment.yaml": "# mine\n" });
    gh.log.length = 0;
    const { sink, deps } = audited({ plan: rollbackPlanner("1.3.9") });
    await run(deps);
    expect(sink.records).toEqual([
      expect.objectContaining({
        action: "remediation.stopped",
        outcome: { status: "refused", detail: "human-pushed" },
        inputs: expect.objectContaining({ pullRequest: 100, branch }),
      }),
    ]);
    expect(parseAuditBlock((gh.writes()[0]!.body as { body: string }).body)).toEqual({
      ok: true,
      record: sink.records[0],
    });
    gh.log.length = 0;
    await run(deps);
    expect(sink.records[1]).toMatchObject({
      action: "remediation.stopped",
      outcome: { status: "skipped", detail: "hands-off" },
    });
    expect(gh.writes()).toEqual([]);
  });

  it("no plan: a not-planned record, nothing written", async () => {
    const { sink, deps } = audited({ plan: async () => ({ ok: false, reason: "no runbook matched" }) });
    await run(deps);
    expect(sink.records).toEqual([
      {
        v: 1,
        at: "2026-11-27T12:00:00.000Z",
        actor: { kind: "bot", login: "gitops-medic[bot]" },
        action: "remediation.not-planned",
        reason: "no runbook matched",
        deliveryId: "d-5",
        incidentKey: "KubePodCrashLooping/shop/checkout",
        subject: { kind: "issue", repo: "acme/gitops", number: 42 },
        shas: {},
        inputs: { requester: null, mode: "create-or-update" },
        outcome: { status: "skipped" },
      },
    ]);
    expect(gh.writes()).toEqual([]);
  });
});
