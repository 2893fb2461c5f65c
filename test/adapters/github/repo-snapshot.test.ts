import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubGitData } from "../../../src/adapters/github/git-data.js";
import { BlobCache, createGitHubRepoSnapshot } from "../../../src/adapters/github/repo-snapshot.js";
import { TestOctokit } from "../../helpers/probot.js";

const API = "https://api.github.com";
const R = "/repos/acme/gitops";
const sha = (c: string) => c.repeat(40);
const b64 = (t: string) => Buffer.from(t).toString("base64");
const git = () =>
  createGitHubGitData(new TestOctokit({ auth: "t" } as never), { owner: "acme", repo: "gitops" });

// A recursive tree listing in GitHub's shape: trees, blobs, a symlink and a submodule.
const TREE = {
  sha: sha("7"),
  truncated: false,
  tree: [
    { path: "apps", mode: "040000", type: "tree", sha: sha("8") },
    { path: "apps/a.yaml", mode: "100644", type: "blob", sha: sha("1"), size: 5 },
    { path: "apps/b.yaml", mode: "100644", type: "blob", sha: sha("1"), size: 5 },
    { path: "apps/run.sh", mode: "100755", type: "blob", sha: sha("2"), size: 3 },
    { path: "apps/link.yaml", mode: "120000", type: "blob", sha: sha("3"), size: 11 },
    { path: "vendor", mode: "160000", type: "commit", sha: sha("4") },
    { path: "big.json", mode: "100644", type: "blob", sha: sha("5"), size: 5_000_000 },
  ],
};

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("createGitHubRepoSnapshot", () => {
  it("one ref read, one recursive tree listing, then blobs on demand, cached by SHA", async () => {
    const scope = nock(API)
      .get(`${R}/git/ref/heads/main`)
      .reply(200, { object: { sha: sha("9"), type: "commit" } })
      .get(`${R}/git/trees/${sha("9")}`)
      .query({ recursive: "1" })
      .reply(200, TREE)
      .get(`${R}/git/blobs/${sha("1")}`)
      .reply(200, { encoding: "base64", content: b64("a: 1\n") });
    const snap = createGitHubRepoSnapshot(git(), "main");
    expect(await snap.revision()).toBe(sha("9"));
    expect(await snap.base()).toEqual({ branch: "main", commitSha: sha("9"), treeSha: sha("7") });
    expect(await snap.listFiles()).toEqual(["apps/a.yaml", "apps/b.yaml", "apps/run.sh", "big.json"]);
    expect(await snap.listFiles("apps/")).toEqual(["apps/a.yaml", "apps/b.yaml", "apps/run.sh"]);
    // Same content, same blob: one request for both paths.
    expect(await snap.readFile("apps/a.yaml")).toBe("a: 1\n");
    expect(await snap.readFile("apps/b.yaml")).toBe("a: 1\n");
    expect(await snap.readFile("apps/missing.yaml")).toBeNull();
    expect(await snap.blobSha("apps/a.yaml")).toBe(sha("1"));
    expect(snap.reads()).toBe(3);
    expect(scope.isDone()).toBe(true);
  });

  it("symlinks and submodules read as absent; files over 1 MB are refused", async () => {
    nock(API)
      .get(`${R}/git/ref/heads/main`)
      .reply(200, { object: { sha: sha("9") } })
      .get(`${R}/git/trees/${sha("9")}`)
      .query(true)
      .reply(200, TREE);
    const snap = createGitHubRepoSnapshot(git(), "main");
    expect(await snap.readFile("apps/link.yaml")).toBeNull();
    expect(await snap.readFile("vendor")).toBeNull();
    await expect(snap.readFile("big.json")).rejects.toThrow(
      /big.json is 5000000 bytes, over the 1048576-byte limit/,
    );
  });

  it("a shared cache serves the next snapshot without a blob request", async () => {
    const cache = new BlobCache();
    const scope = nock(API)
      .get(`${R}/git/ref/heads/main`)
      .twice()
      .reply(200, { object: { sha: sha("9") } })
      .get(`${R}/git/trees/${sha("9")}`)
      .query(true)
      .twice()
      .reply(200, TREE)
      .get(`${R}/git/blobs/${sha("1")}`)
      .once()
      .reply(200, { encoding: "base64", content: b64("a: 1\n") });
    expect(await createGitHubRepoSnapshot(git(), "main", cache).readFile("apps/a.yaml")).toBe("a: 1\n");
    expect(await createGitHubRepoSnapshot(git(), "main", cache).readFile("apps/a.yaml")).toBe("a: 1\n");
    expect(scope.isDone()).toBe(true);
  });

  it("a truncated listing is refused rather than read as complete; a missing branch is an error", async () => {
    nock(API)
      .get(`${R}/git/ref/heads/main`)
      .reply(200, { object: { sha: sha("9") } })
      .get(`${R}/git/trees/${sha("9")}`)
      .query(true)
      .reply(200, { ...TREE, truncated: true })
      .get(`${R}/git/ref/heads/gone`)
      .reply(404, { message: "Not Found" });
    await expect(createGitHubRepoSnapshot(git(), "main").listFiles()).rejects.toThrow(
      /too large for one listing/,
    );
    await expect(createGitHubRepoSnapshot(git(), "gone").revision()).rejects.toThrow(
      /branch "gone" does not exist/,
    );
  });

  it("the blob cache is bounded", () => {
    const cache = new BlobCache(100);
    cache.set("a", "x".repeat(20));
    cache.set("b", "y".repeat(20));
    cache.set("c", "z".repeat(20));
    cache.get("a");
    for (let i = 0; i < 5; i++) cache.set(`k${i}`, "w".repeat(20));
    expect(cache.get("k4")).toBe("w".repeat(20));
    expect(cache.get("b")).toBeUndefined();
    // Larger than a quarter of the bound: never cached.
    cache.set("huge", "h".repeat(60));
    expect(cache.get("huge")).toBeUndefined();
  });
});
