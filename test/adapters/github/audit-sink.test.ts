import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubAuditSink } from "../../../src/adapters/github/audit-sink.js";
import type { GitHubOctokit } from "../../../src/adapters/github/git-data.js";
import { verifyChain } from "../../../src/core/audit/hash-chain.js";
import type { AuditEntry } from "../../../src/workflows/ports/audit-sink.js";
import { manualClock } from "../../../src/workflows/ports/clock.js";
import { silentLogger } from "../../../src/workflows/ports/logger.js";
import { TestOctokit } from "../../helpers/probot.js";

const API = "https://api.github.com";
const R = "/repos/acme/gitops";
const TREE1 = "a".repeat(40);
const COMMIT1 = "b".repeat(40);
const BLOB1 = "c".repeat(40);
const TREE2 = "d".repeat(40);
const COMMIT2 = "e".repeat(40);

const entry = (i: number, repo = "acme/gitops"): AuditEntry => ({
  v: 1,
  at: `2026-11-03T10:00:0${i % 10}Z`,
  actor: { kind: "user", login: "sam" },
  action: "command.handled",
  reason: `comment ${i}`,
  subject: { kind: "pull_request", repo, number: i + 1 },
  outcome: { status: "ok" },
});

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

function sink(opts: { maxBatch?: number } = {}) {
  const acquired: string[] = [];
  const lookups: string[] = [];
  const s = createGitHubAuditSink({
    installationFor: async (repo) => {
      lookups.push(repo);
      return { id: 7, octokit: new TestOctokit({ auth: { token: "t" } }) as unknown as GitHubOctokit };
    },
    writeBudget: {
      acquire: async (scope: string) => void acquired.push(scope),
      pauseUntil: async () => {},
    } as never,
    clock: manualClock("2026-11-03T10:00:00Z"),
    logger: silentLogger,
    flushEveryMs: 0,
    ...opts,
  });
  return { s, acquired, lookups };
}

describe("createGitHubAuditSink", () => {
  it("batches N records into one ledger commit, and flushes what is left on shutdown", async () => {
    const { s, acquired, lookups } = sink();
    let firstText = "";
    let secondText = "";
    const scope = nock(API)
      // Flush 1: no ledger branch yet ⇒ one orphan commit holding 5 lines, the branch created.
      .get(`${R}/git/ref/heads/medic-audit`)
      .reply(404, { message: "Not Found" })
      .post(
        `${R}/git/trees`,
        (b: { tree: { path: string; mode: string; type: string; content: string }[] }) => {
          firstText = b.tree[0]!.content;
          return b.tree.length === 1 && b.tree[0]!.path === "audit.jsonl";
        },
      )
      .reply(201, { sha: TREE1, tree: [] })
      .post(`${R}/git/commits`, { message: "audit: 5 record(s), 1–5", tree: TREE1, parents: [] })
      .reply(201, { sha: COMMIT1 })
      .post(`${R}/git/refs`, { ref: "refs/heads/medic-audit", sha: COMMIT1 })
      .reply(201, { ref: "refs/heads/medic-audit", object: { sha: COMMIT1 } })
      // Flush 2 (shutdown): read the ledger back, append 2 lines on top of it, fast-forward the branch.
      .get(`${R}/git/ref/heads/medic-audit`)
      .reply(200, { object: { sha: COMMIT1, type: "commit" } })
      .get(`${R}/git/commits/${COMMIT1}`)
      .reply(200, { sha: COMMIT1, tree: { sha: TREE1 } })
      .get(`${R}/git/trees/${TREE1}`)
      .reply(200, () => ({ sha: TREE1, tree: [{ path: "audit.jsonl", type: "blob", sha: BLOB1 }] }))
      .get(`${R}/git/blobs/${BLOB1}`)
      .reply(200, () => ({ encoding: "base64", content: Buffer.from(firstText).toString("base64") }))
      .post(`${R}/git/trees`, (b: { tree: { content: string }[] }) => {
        secondText = b.tree[0]!.content;
        return true;
      })
      .reply(201, { sha: TREE2, tree: [] })
      .post(`${R}/git/commits`, { message: "audit: 2 record(s), 6–7", tree: TREE2, parents: [COMMIT1] })
      .reply(201, { sha: COMMIT2 })
      .patch(`${R}/git/refs/heads/medic-audit`, { sha: COMMIT2, force: false })
      .reply(200, { object: { sha: COMMIT2 } });

    for (let i = 0; i < 5; i++) s.record(entry(i));
    await s.flush();
    expect(firstText.trimEnd().split("\n")).toHaveLength(5);
    expect(verifyChain(firstText)).toMatchObject({ ok: true, tip: { count: 5 } });

    s.record(entry(5));
    s.record(entry(6));
    await s.close();
    expect(scope.isDone()).toBe(true);
    expect(secondText.startsWith(firstText)).toBe(true);
    expect(verifyChain(secondText)).toMatchObject({ ok: true, tip: { count: 7 } });
    const lines = secondText
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.record.reason)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `comment ${i}`));
    // Every content-creating request took the installation's write budget: 3 per commit.
    expect(acquired).toEqual(Array(6).fill("installation:7"));
    expect(lookups).toEqual(["acme/gitops"]);
  });

  it("flushes by itself when a repository's queue reaches maxBatch", async () => {
    const { s } = sink({ maxBatch: 3 });
    let text = "";
    const scope = nock(API)
      .get(`${R}/git/ref/heads/medic-audit`)
      .reply(404, { message: "Not Found" })
      .post(`${R}/git/trees`, (b: { tree: { content: string }[] }) => {
        text = b.tree[0]!.content;
        return true;
      })
      .reply(201, { sha: TREE1, tree: [] })
      .post(`${R}/git/commits`, { message: "audit: 3 record(s), 1–3", tree: TREE1, parents: [] })
      .reply(201, { sha: COMMIT1 })
      .post(`${R}/git/refs`, { ref: "refs/heads/medic-audit", sha: COMMIT1 })
      .reply(201, {});
    s.record(entry(0));
    s.record(entry(1));
    expect(scope.isDone()).toBe(false);
    s.record(entry(2));
    await s.flush(); // waits for the flush the third record started
    expect(scope.isDone()).toBe(true);
    expect(verifyChain(text)).toMatchObject({ ok: true, tip: { count: 3 } });
  });

  it("keeps the records of a failed append and writes them on the next flush", async () => {
    const { s } = sink();
    nock(API).get(`${R}/git/ref/heads/medic-audit`).reply(500, { message: "boom" });
    s.record(entry(0));
    await s.flush();
    let text = "";
    const scope = nock(API)
      .get(`${R}/git/ref/heads/medic-audit`)
      .reply(404, { message: "Not Found" })
      .post(`${R}/git/trees`, (b: { tree: { content: string }[] }) => {
        text = b.tree[0]!.content;
        return true;
      })
      .reply(201, { sha: TREE1, tree: [] })
      .post(`${R}/git/commits`)
      .reply(201, { sha: COMMIT1 })
      .post(`${R}/git/refs`)
      .reply(201, {});
    s.record(entry(1));
    await s.close();
    expect(scope.isDone()).toBe(true);
    expect(
      text
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l).record.reason),
    ).toEqual(["comment 0", "comment 1"]);
  });

  it("refuses a record that is not valid, naming the field", () => {
    const { s } = sink();
    expect(() => s.record({ ...entry(0), action: "Bad Action" })).toThrow(/action/);
  });
});
