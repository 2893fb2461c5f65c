import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubChangeRequests } from "../../../src/adapters/github/change-requests.js";
import { createGitHubGitData } from "../../../src/adapters/github/git-data.js";
import { TestOctokit } from "../../helpers/probot.js";

const API = "https://api.github.com";
const R = "/repos/acme/gitops";
const sha = (c: string) => c.repeat(40);
const BRANCH = "medic/crashloop-rollback/shop-checkout-1a2b3c4d";

function cr() {
  const octokit = new TestOctokit({ auth: "t" } as never);
  const repo = { owner: "acme", repo: "gitops" };
  return createGitHubChangeRequests(octokit, repo, createGitHubGitData(octokit, repo));
}

/** A pull request in the shape `GET /repos/{o}/{r}/pulls` returns (fields the bot reads). */
function pull(over: { number?: number; repo?: string; ref?: string } = {}) {
  return {
    number: over.number ?? 12,
    html_url: `https://github.com/acme/gitops/pull/${over.number ?? 12}`,
    state: "open",
    draft: false,
    user: { login: "gitops-medic[bot]", type: "Bot" },
    body: "<!-- medic:remediation {} -->",
    head: { ref: over.ref ?? BRANCH, sha: sha("a"), repo: { full_name: over.repo ?? "acme/gitops" } },
    base: { ref: "main", sha: sha("b"), repo: { full_name: "acme/gitops" } },
    labels: [{ name: "medic" }, { name: "risk:safe" }],
    requested_reviewers: [{ login: "alice" }],
    requested_teams: [{ slug: "checkout" }],
  };
}

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("createGitHubChangeRequests", () => {
  it("finds the open PR by listing the head branch (never search); a fork's PR is never ours", async () => {
    const scope = nock(API)
      .get(`${R}/pulls`)
      .query({ head: `acme:${BRANCH}`, state: "open", per_page: "10" })
      .reply(200, [pull({ number: 3, repo: "mallory/gitops" }), pull()]);
    expect(await cr().findOpenPullRequest(BRANCH)).toEqual({
      number: 12,
      url: "https://github.com/acme/gitops/pull/12",
      author: "gitops-medic[bot]",
      body: "<!-- medic:remediation {} -->",
      headRef: BRANCH,
      headSha: sha("a"),
      baseRef: "main",
      labels: ["medic", "risk:safe"],
      requestedUsers: ["alice"],
      requestedTeams: ["checkout"],
      draft: false,
    });
    expect(scope.isDone()).toBe(true);
  });

  it("counts the bot's open PRs carrying the label (issues listing, one page)", async () => {
    const scope = nock(API)
      .get(`${R}/issues`)
      .query({ state: "open", labels: "medic", per_page: "100" })
      .reply(200, [
        { number: 1, user: { login: "gitops-medic[bot]" }, pull_request: {} },
        { number: 2, user: { login: "gitops-medic[bot]" } },
        { number: 3, user: { login: "alice" }, pull_request: {} },
        { number: 4, user: { login: "Gitops-Medic[bot]" }, pull_request: {} },
      ]);
    expect(await cr().countOpenPullRequests({ label: "medic", author: "gitops-medic[bot]" })).toBe(2);
    expect(scope.isDone()).toBe(true);
  });

  it("commitChanges: one tree, one commit on the base, then the branch; an existing branch is reported", async () => {
    const scope = nock(API)
      .post(`${R}/git/trees`, {
        base_tree: sha("t"),
        tree: [{ path: "a.yaml", mode: "100644", type: "blob", content: "a\n" }],
      })
      .reply(201, { sha: sha("1") })
      .post(`${R}/git/commits`, { message: "m", tree: sha("1"), parents: [sha("b")] })
      .reply(201, { sha: sha("2") })
      .post(`${R}/git/refs`, { ref: `refs/heads/${BRANCH}`, sha: sha("2") })
      .reply(422, { message: "Reference already exists" });
    const res = await cr().commitChanges({
      branch: BRANCH,
      base: { branch: "main", commitSha: sha("b"), treeSha: sha("t") },
      files: [{ path: "a.yaml", content: "a\n" }],
      message: "m",
      branchState: { kind: "absent" },
    });
    expect(res).toEqual({
      ok: false,
      reason: "branch-exists",
      commitSha: sha("2"),
      treeSha: sha("1"),
      message: expect.stringContaining("Reference already exists"),
    });
    expect(scope.isDone()).toBe(true);
  });

  it("commitChanges refuses to write the base branch", async () => {
    await expect(
      cr().commitChanges({
        branch: "main",
        base: { branch: "main", commitSha: sha("b"), treeSha: sha("t") },
        files: [],
        message: "m",
        branchState: { kind: "absent" },
      }),
    ).rejects.toThrow(/refusing to write the base branch/);
  });

  it("a PR that already exists (a POST that succeeded but answered 5xx earlier) is found and updated", async () => {
    const scope = nock(API)
      .post(`${R}/pulls`, { title: "t", head: BRANCH, base: "main", body: "b", draft: true })
      .reply(422, {
        message: "Validation Failed",
        errors: [{ message: `A pull request already exists for acme:${BRANCH}.` }],
      })
      .get(`${R}/pulls`)
      .query(true)
      .reply(200, [pull()])
      .patch(`${R}/pulls/12`, { title: "t", body: "b" })
      .reply(200, pull());
    const res = await cr().openOrUpdatePullRequest({
      existing: null,
      branch: BRANCH,
      base: "main",
      title: "t",
      body: "b",
      draft: true,
    });
    expect(res).toEqual({
      ok: true,
      number: 12,
      url: "https://github.com/acme/gitops/pull/12",
      created: false,
    });
    expect(scope.isDone()).toBe(true);
  });

  it("another 422 on PR creation is a value, not a throw", async () => {
    nock(API)
      .post(`${R}/pulls`)
      .reply(422, { message: "Validation Failed: body is too long (maximum is 65536 characters)" });
    const res = await cr().openOrUpdatePullRequest({
      existing: null,
      branch: BRANCH,
      base: "main",
      title: "t",
      body: "b",
      draft: false,
    });
    expect(res).toMatchObject({ ok: false, reason: "invalid", status: 422 });
  });

  it("reviewers: users and teams in one request; a 422 (no access) is tolerated; nothing to ask ⇒ no request", async () => {
    const scope = nock(API)
      .post(`${R}/pulls/12/requested_reviewers`, { reviewers: ["alice"], team_reviewers: ["checkout"] })
      .reply(422, { message: "Reviews may only be requested from collaborators." });
    await cr().requestReviewers(12, { users: ["alice"], teams: ["checkout"] });
    await cr().requestReviewers(12, { users: [], teams: [] });
    expect(scope.isDone()).toBe(true);
  });

  it("hasComment reads every page and trusts only the given author", async () => {
    const scope = nock(API)
      .get(`${R}/issues/7/comments`)
      .query({ per_page: "100" })
      .reply(200, [{ user: { login: "mallory" }, body: "<!-- medic:x y -->" }], {
        link: `<${API}${R}/issues/7/comments?per_page=100&page=2>; rel="next"`,
      })
      .get(`${R}/issues/7/comments`)
      .query({ per_page: "100", page: "2" })
      .reply(200, [{ user: { login: "gitops-medic[bot]" }, body: "hi <!-- medic:x y -->" }]);
    expect(await cr().hasComment(7, "<!-- medic:x y -->", "gitops-medic[bot]")).toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it("labels: add posts only what is given; removing a label that is gone is fine", async () => {
    const scope = nock(API)
      .post(`${R}/issues/12/labels`, { labels: ["medic", "risk:safe"] })
      .reply(200, [])
      .delete(`${R}/issues/12/labels/risk%3Adestructive`)
      .reply(404, { message: "Label does not exist" });
    await cr().addLabels(12, ["medic", "risk:safe"]);
    await cr().addLabels(12, []);
    await cr().removeLabel(12, "risk:destructive");
    expect(scope.isDone()).toBe(true);
  });
});
