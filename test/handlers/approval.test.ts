import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderAuditBlock } from "../../src/core/audit/audit-block.js";
import { registerApproval } from "../../src/handlers/approval.js";
import { registerCommands } from "../../src/handlers/commands.js";
import checkRerequested from "../fixtures/events/check_run.rerequested.medic-approval.json" with {
  type: "json",
};
import suiteRerequested from "../fixtures/events/check_suite.rerequested.rerun-all-checks.json" with {
  type: "json",
};
import holdOnPr from "../fixtures/events/issue_comment.created.hold-on-pr.json" with { type: "json" };
import prOpened from "../fixtures/events/pull_request.opened.destructive-remediation.json" with {
  type: "json",
};
import newPush from "../fixtures/events/pull_request.synchronize.new-push-after-approval.json" with {
  type: "json",
};
import requesterApproves from "../fixtures/events/pull_request_review.submitted.requester-approves.json" with {
  type: "json",
};
import ownerApproves from "../fixtures/events/pull_request_review.submitted.security-owner-approves.json" with {
  type: "json",
};
import {
  createFastTestProbot,
  deployment,
  destructivePr,
  expectCheckRun,
  type FakeState,
  fakeState,
  H1,
  H2,
  MERGE_BASE,
  serveFakeGitHub,
  testAppDeps,
} from "./approval-fake-github.js";

const MARKER =
  '<!-- medic:remediation {"incidentKey":"shop/web/KubePodCrashLooping","runbook":"scale-down-canary","requester":"rita","planHash":"sha256:0123abcd"} -->';

function setup(state: FakeState) {
  const probot = createFastTestProbot();
  const deps = testAppDeps();
  probot.load((app) => {
    const reevaluate = registerApproval(app, deps);
    registerCommands(app, deps, {}, reevaluate);
  });
  let n = 0;
  const receive = (name: string, payload: unknown) =>
    probot.receive({ id: `d-${++n}`, name, payload } as never);
  return { receive, deps };
}

const last = (s: FakeState) =>
  s.checkRuns.at(-1) as { head_sha: string; conclusion: string; output: { title: string; summary: string } };

describe("medic/approval through probot.receive", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("destructive PR blocked ⇒ security owner approves ⇒ success ⇒ new push ⇒ failing again", async () => {
    const state = fakeState({ body: `Remediation.\n\n${MARKER}\n` });
    destructivePr(state);
    const writes = nock("https://api.github.com");
    expectCheckRun(
      writes,
      {
        head_sha: H1,
        conclusion: "failure",
        title: "Destructive change: needs 1 security code owner approval at 1111111",
      },
      [
        "`replicas-to-zero` `apps/shop/web.yaml`: Deployment shop/web: spec.replicas goes from 10 to 0",
        "No approvals yet.",
      ],
    );
    expectCheckRun(
      writes,
      { head_sha: H1, conclusion: "success", title: "Destructive change: approved by security code owners" },
      ["| `apps/shop/web.yaml` | `@acme/security` (line 2) | @sam | approved |", "@sam (review): counted"],
    );
    expectCheckRun(
      writes,
      {
        head_sha: H2,
        conclusion: "failure",
        title: "Destructive change: needs 1 security code owner approval at 2222222",
      },
      ["@sam (review): not counted — approved 1111111, not the head 2222222"],
    );
    expectCheckRun(writes, {
      head_sha: H2,
      conclusion: "failure",
      title: "Destructive change: needs 1 security code owner approval at 2222222",
    });
    serveFakeGitHub(state);
    const { receive, deps } = setup(state);

    await receive("pull_request", prOpened);
    state.reviews.push({
      id: 1,
      user: { login: "sam", type: "User" },
      state: "APPROVED",
      commit_id: H1,
      submitted_at: "2026-11-27T12:05:00Z",
    });
    await receive("pull_request_review", ownerApproves);
    deps.clock.advance(61_000); // past the 60 s membership cache
    state.headSha = H2;
    state.commits.push({
      sha: H2,
      author: { login: "gitops-medic[bot]", type: "Bot" },
      committer: { login: "gitops-medic[bot]", type: "Bot" },
    });
    await receive("pull_request", newPush);
    // The checks UI "Re-run" (and a merge-time re-check) evaluates again from scratch.
    await receive("check_run", checkRerequested);
    expect(writes.isDone()).toBe(true);
    expect(state.checkRuns).toEqual([]);
    // Live membership was asked for sam only (the bot author and pushers are never candidates), and again
    // only once the 60 s cache had expired (the re-run right after the push used the cached answer).
    expect(state.calls.filter((c) => c.includes("/memberships/"))).toEqual([
      "GET /orgs/acme/teams/security/memberships/sam",
      "GET /orgs/acme/teams/security/memberships/sam",
    ]);
  });

  it("the requester's approval is ignored, even from a security team member", async () => {
    const state = fakeState({ body: `Remediation.\n\n${MARKER}\n` });
    destructivePr(state);
    state.reviews.push({
      id: 2,
      user: { login: "rita", type: "User" },
      state: "APPROVED",
      commit_id: H1,
      submitted_at: "2026-11-27T12:05:00Z",
    });
    serveFakeGitHub(state);
    const { receive } = setup(state);
    await receive("pull_request_review", requesterApproves);
    expect(last(state).conclusion).toBe("failure");
    expect(last(state).output.summary).toContain(
      "@rita (review): not counted — asked for this change \\(requester\\)",
    );
    // rita's team membership is never even asked: she is excluded first.
  });

  it("a security owner who pushed to the branch (repository activity) does not count", async () => {
    const state = fakeState({ body: `Remediation.\n\n${MARKER}\n`, pushes: ["gitops-medic[bot]", "sam"] });
    destructivePr(state);
    state.reviews.push({
      id: 1,
      user: { login: "sam", type: "User" },
      state: "APPROVED",
      commit_id: H1,
      submitted_at: "2026-11-27T12:05:00Z",
    });
    const writes = nock("https://api.github.com");
    expectCheckRun(
      writes,
      {
        head_sha: H1,
        conclusion: "failure",
        title: "Destructive change: needs 1 security code owner approval at 1111111",
      },
      ["@sam (review): not counted — pushed commits to the pull request"],
    );
    serveFakeGitHub(state);
    const { receive } = setup(state);
    await receive("pull_request_review", ownerApproves);
    expect(writes.isDone()).toBe(true);
  });

  it("a review of commit A delivered after the push of B does not count for B", async () => {
    const state = fakeState({ body: `Remediation.\n\n${MARKER}\n`, headSha: H2 });
    destructivePr(state);
    state.reviews.push({
      id: 1,
      user: { login: "sam", type: "User" },
      state: "APPROVED",
      commit_id: H1,
      submitted_at: "2026-11-27T12:05:00Z",
    });
    const writes = nock("https://api.github.com");
    expectCheckRun(
      writes,
      {
        head_sha: H2,
        conclusion: "failure",
        title: "Destructive change: needs 1 security code owner approval at 2222222",
      },
      ["@sam (review): not counted — approved 1111111, not the head 2222222"],
    );
    serveFakeGitHub(state);
    const { receive } = setup(state);
    await receive("pull_request_review", ownerApproves); // the payload still says head 1111111
    expect(writes.isDone()).toBe(true);
  });

  it("a safe PR gets a success that says normal review applies (CODEOWNERS not read)", async () => {
    const state = fakeState({ body: "a normal PR" });
    state.files = [{ filename: "apps/shop/web.yaml", status: "modified" }];
    state.contents[MERGE_BASE] = { "apps/shop/web.yaml": deployment(3) };
    state.contents[H1] = { "apps/shop/web.yaml": deployment(4) };
    serveFakeGitHub(state);
    const { receive } = setup(state);
    await receive("pull_request", prOpened);
    expect(last(state)).toMatchObject({
      conclusion: "success",
      output: { title: "Safe change: normal review applies" },
    });
    expect(state.calls.some((c) => c.includes("CODEOWNERS"))).toBe(false);
  });

  it("fails closed when CODEOWNERS is missing on the base branch", async () => {
    const state = fakeState({ codeowners: null });
    destructivePr(state);
    state.reviews.push({
      id: 1,
      user: { login: "sam", type: "User" },
      state: "APPROVED",
      commit_id: H1,
      submitted_at: "2026-11-27T12:05:00Z",
    });
    serveFakeGitHub(state);
    const { receive } = setup(state);
    await receive("pull_request_review", ownerApproves);
    expect(last(state)).toMatchObject({
      conclusion: "failure",
      output: { title: "Destructive change: blocked (ownership cannot be established)" },
    });
    expect(last(state).output.summary).toContain("no CODEOWNERS file on master");
  });

  it("fails closed on a broken .github/medic.yml, naming the field", async () => {
    const state = fakeState({ config: "approval:\n  requiredApprovals: 0\n" });
    destructivePr(state);
    serveFakeGitHub(state);
    const { receive, deps } = setup(state);
    await receive("pull_request", prOpened);
    expect(last(state)).toMatchObject({
      conclusion: "failure",
      output: { title: "Invalid .github/medic.yml: approval cannot be evaluated" },
    });
    expect(last(state).output.summary).toContain("`approval.requiredApprovals`");
    expect(deps.audit.records).toEqual([
      {
        v: 1,
        at: "2026-11-27T12:00:00.000Z",
        actor: { kind: "bot", login: "gitops-medic[bot]" },
        action: "approval.evaluated",
        reason: "Invalid .github/medic.yml: approval cannot be evaluated",
        deliveryId: "d-1",
        subject: { kind: "pull_request", repo: "Codertocat/Hello-World", number: 2 },
        shas: { head: H1 },
        inputs: { config: { file: ".github/medic.yml", field: "approval.requiredApprovals" } },
        outcome: { status: "refused", detail: expect.stringContaining("`approval.requiredApprovals`") },
      },
    ]);
    expect(last(state).output.summary.endsWith(renderAuditBlock(deps.audit.records[0]!))).toBe(true);
  });

  it("/hold blocks: the check fails on hold, and /hold cancel restores it", async () => {
    const state = fakeState({
      body: "a normal PR",
      roles: { hank: { permission: "read", role_name: "triage" } },
    });
    state.files = [{ filename: "README.md", status: "modified" }];
    state.contents[MERGE_BASE] = { "README.md": "a" };
    state.contents[H1] = { "README.md": "b" };
    const writes = nock("https://api.github.com")
      .post("/repos/Codertocat/Hello-World/issues/comments/77001/reactions", { content: "eyes" })
      .reply(201, {})
      .post("/repos/Codertocat/Hello-World/issues/comments/77001/reactions", { content: "+1" })
      .reply(201, {});
    expectCheckRun(writes, { head_sha: H1, conclusion: "failure", title: "On hold by @hank" }, [
      "/hold cancel lifts it",
    ]);
    // The re-evaluation on the push (delivery d-2) writes its audit block at the end of the summary.
    expectCheckRun(writes, { head_sha: H1, conclusion: "failure", title: "On hold by @hank" }, [
      '<!-- medic:audit {"action":"approval.evaluated","actor":{"kind":"bot","login":"gitops-medic[bot]"}',
      '"deliveryId":"d-2"',
    ]);
    expectCheckRun(writes, {
      head_sha: H1,
      conclusion: "success",
      title: "Safe change: normal review applies",
    });
    serveFakeGitHub(state);
    const { receive, deps } = setup(state);
    await receive("issue_comment", holdOnPr);
    expect(state.posted).toHaveLength(1);
    const held = deps.audit.records.find((r) => r.action === "command.handled")!;
    expect(state.posted[0]!.body).toBe(
      [
        "- ✅ `/hold`: on hold: merging and automation are blocked until `/hold cancel`",
        '<!-- medic:command {"kind":"hold","actor":"hank","commentId":77001} -->',
        "<!-- medic:reply 77001 -->",
        "",
        renderAuditBlock(held),
      ].join("\n"),
    );
    expect(held).toMatchObject({
      actor: { kind: "user", login: "hank" },
      reason: "/hold",
      deliveryId: "d-1",
      inputs: { role: "triage", commands: [{ line: 2, text: "/hold", status: "done" }] },
      outcome: { status: "ok" },
    });

    // The hold is read back from the bot's own comment on every later evaluation.
    await receive("pull_request", prOpened);
    // The check summary ends with the evaluation's audit block, as recorded for the ledger.
    const evaluated = deps.audit.records.filter((r) => r.action === "approval.evaluated");
    expect(evaluated.map((r) => [r.deliveryId, r.outcome.status, r.inputs["hold"]])).toEqual([
      ["d-1", "refused", { actor: "hank", at: expect.any(String) }],
      ["d-2", "refused", { actor: "hank", at: expect.any(String) }],
    ]);
    expect(evaluated[1]).toMatchObject({
      actor: { kind: "bot", login: "gitops-medic[bot]" },
      reason: "On hold by @hank",
      subject: { kind: "pull_request", repo: "Codertocat/Hello-World", number: 2 },
      shas: { head: H1, base: MERGE_BASE },
    });

    const cancel = structuredClone(holdOnPr);
    cancel.comment.id = 77002;
    cancel.comment.body = "/hold cancel";
    await receive("issue_comment", cancel);
    expect(writes.isDone()).toBe(true);
    expect(state.posted[1]!.body).toContain(
      '<!-- medic:command {"kind":"hold-cancel","actor":"hank","commentId":77002} -->',
    );
    expect(state.reactions).toEqual([
      { commentId: 77002, content: "eyes" },
      { commentId: 77002, content: "+1" },
    ]);
  });

  it("'Re-run all checks' (check_suite rerequested) re-evaluates the PRs of the suite", async () => {
    const state = fakeState({ body: `Remediation.\n\n${MARKER}\n` });
    destructivePr(state);
    const writes = nock("https://api.github.com");
    expectCheckRun(writes, {
      head_sha: H1,
      conclusion: "failure",
      title: "Destructive change: needs 1 security code owner approval at 1111111",
    });
    serveFakeGitHub(state);
    const { receive } = setup(state);
    await receive("check_suite", suiteRerequested);
    expect(writes.isDone()).toBe(true);
  });

  it("a redelivered /hold is not recorded twice", async () => {
    const state = fakeState({ roles: { hank: { permission: "read", role_name: "triage" } } });
    state.files = [];
    serveFakeGitHub(state);
    const { receive } = setup(state);
    await receive("issue_comment", holdOnPr);
    await receive("issue_comment", holdOnPr);
    expect(state.posted).toHaveLength(1);
    expect(state.reactions.filter((r) => r.content === "eyes")).toHaveLength(1);
  });
});
