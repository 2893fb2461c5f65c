import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubGitData } from "../../../src/adapters/github/git-data.js";
import { TestOctokit } from "../../helpers/probot.js";

const API = "https://api.github.com";
const R = "/repos/acme/gitops";
const sha = (c: string) => c.repeat(40);
const git = () =>
  createGitHubGitData(new TestOctokit({ auth: "ghs_test" } as never), { owner: "acme", repo: "gitops" });

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("createGitHubGitData", () => {
  it("addresses a branch with slashes as refs/heads/a/b/c, and a missing branch is null", async () => {
    const scope = nock(API)
      .get(`${R}/git/ref/heads/medic/crashloop-rollback/shop-checkout-1a2b3c4d`)
      .reply(200, {
        ref: "refs/heads/medic/crashloop-rollback/shop-checkout-1a2b3c4d",
        object: { sha: sha("a"), type: "commit" },
      })
      .get(`${R}/git/ref/heads/nope`)
      .reply(404, { message: "Not Found" });
    expect(await git().getBranchSha("medic/crashloop-rollback/shop-checkout-1a2b3c4d")).toBe(sha("a"));
    expect(await git().getBranchSha("nope")).toBeNull();
    expect(scope.isDone()).toBe(true);
  });

  it("writes every file inline in one tree (no blob requests); null deletes", async () => {
    const scope = nock(API)
      .post(`${R}/git/trees`, {
        base_tree: sha("b"),
        tree: [
          { path: "apps/a.yaml", mode: "100644", type: "blob", content: "a: 1\n" },
          { path: "apps/old.yaml", mode: "100644", type: "blob", sha: null },
        ],
      })
      .reply(201, { sha: sha("c"), url: "u", tree: [], truncated: false });
    const res = await git().createTree(sha("b"), [
      { path: "apps/a.yaml", content: "a: 1\n" },
      { path: "apps/old.yaml", content: null },
    ]);
    expect(res).toBe(sha("c"));
    expect(scope.isDone()).toBe(true);
  });

  it("creates commits without author or committer (GitHub signs them as the bot)", async () => {
    const scope = nock(API)
      .post(`${R}/git/commits`, { message: "m", tree: sha("c"), parents: [sha("a")] })
      .reply(201, { sha: sha("d") });
    expect(await git().createCommit({ message: "m", treeSha: sha("c"), parents: [sha("a")] })).toBe(sha("d"));
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    [422, "Reference already exists", { ok: false, reason: "exists", status: 422 }],
    [422, "Repository rule violations found", { ok: false, reason: "conflict", status: 422 }],
    [409, "Git Repository is empty.", { ok: false, reason: "conflict", status: 409 }],
  ])("create branch answering %i %s", async (status, message, expected) => {
    const scope = nock(API)
      .post(`${R}/git/refs`, { ref: "refs/heads/medic/x/y", sha: sha("d") })
      .reply(status, { message });
    expect(await git().createBranch("medic/x/y", sha("d"))).toMatchObject(expected);
    expect(scope.isDone()).toBe(true);
  });

  it("moves a branch with the force flag it is given; a non-fast-forward is a conflict, a 500 throws", async () => {
    const scope = nock(API)
      .patch(`${R}/git/refs/heads/medic/x/y`, { sha: sha("e"), force: true })
      .reply(200, { object: { sha: sha("e") } })
      .patch(`${R}/git/refs/heads/medic/x/y`, { sha: sha("e"), force: false })
      .reply(422, { message: "Update is not a fast forward" })
      .patch(`${R}/git/refs/heads/medic/x/y`, { sha: sha("e"), force: true })
      .reply(500, { message: "Server Error" });
    expect(await git().updateBranch("medic/x/y", sha("e"), true)).toEqual({ ok: true });
    expect(await git().updateBranch("medic/x/y", sha("e"), false)).toMatchObject({
      ok: false,
      reason: "conflict",
      status: 422,
    });
    await expect(git().updateBranch("medic/x/y", sha("e"), true)).rejects.toMatchObject({ status: 500 });
    expect(scope.isDone()).toBe(true);
  });

  it("reads a commit's tree, parents and people, and a base64 blob as UTF-8", async () => {
    const scope = nock(API)
      .get(`${R}/git/commits/${sha("d")}`)
      .reply(200, {
        sha: sha("d"),
        tree: { sha: sha("c") },
        parents: [{ sha: sha("a") }],
        author: {
          name: "gitops-medic[bot]",
          email: "1+gitops-medic[bot]@users.noreply.github.com",
          date: "2026-11-27T00:00:00Z",
        },
        committer: { name: "GitHub", email: "noreply@github.com", date: "2026-11-27T00:00:00Z" },
        message: "m",
      })
      .get(`${R}/git/blobs/${sha("f")}`)
      .reply(200, {
        sha: sha("f"),
        encoding: "base64",
        content: Buffer.from("image: é\n").toString("base64"),
      });
    expect(await git().getCommit(sha("d"))).toEqual({
      sha: sha("d"),
      treeSha: sha("c"),
      parents: [sha("a")],
      author: { name: "gitops-medic[bot]", email: "1+gitops-medic[bot]@users.noreply.github.com" },
      committer: { name: "GitHub", email: "noreply@github.com" },
      message: "m",
    });
    expect(await git().getBlobText(sha("f"))).toBe("image: é\n");
    expect(scope.isDone()).toBe(true);
  });

  it("every write goes through the write runner", async () => {
    const seen: string[] = [];
    const g = createGitHubGitData(
      new TestOctokit({ auth: "t" } as never),
      { owner: "acme", repo: "gitops" },
      (what, fn) => {
        seen.push(what);
        return fn();
      },
    );
    nock(API)
      .post(`${R}/git/commits`)
      .reply(201, { sha: sha("d") })
      .post(`${R}/git/refs`)
      .reply(201, {});
    await g.createCommit({ message: "m", treeSha: sha("c"), parents: [] });
    await g.createBranch("b", sha("d"));
    expect(seen).toEqual(["create commit", "create branch"]);
  });
});
