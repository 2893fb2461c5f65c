import { createHash } from "node:crypto";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubAuditLedger } from "../../../src/adapters/github/audit-ledger.js";
import type { GitHubOctokit } from "../../../src/adapters/github/git-data.js";
import type { AuditRecordInput } from "../../../src/core/audit/audit-record.js";
import { chainRecords, EMPTY_TIP, verifyChain } from "../../../src/core/audit/hash-chain.js";
import { appendAudit } from "../../../src/workflows/append-audit.js";
import { TestOctokit } from "../../helpers/probot.js";

const API = "https://api.github.com";
const R = "/repos/acme/gitops";
const octokit = () => new TestOctokit({ auth: { token: "test-token" } }) as unknown as GitHubOctokit;
const sha = (s: string) => createHash("sha1").update(s).digest("hex");

const rec = (who: string, i: number): AuditRecordInput => ({
  v: 1,
  at: "2026-11-03T10:00:00Z",
  actor: { kind: "bot", login: "gitops-medic[bot]" },
  action: "approval.evaluated",
  reason: `${who} #${i}`,
  outcome: { status: "ok" },
});

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

/**
 * A stateful fake of the Git Data API for one repository: refs, commits, trees and blobs, with GitHub's
 * answers to ref writes — 422 "Reference already exists" on a second create, 422 "Update is not a fast
 * forward" when the new commit's parent is not the branch head.
 */
function fakeGitData() {
  const refs = new Map<string, string>();
  const commits = new Map<string, { tree: string; parents: string[]; message: string }>();
  const trees = new Map<string, { path: string; blob: string }[]>();
  const blobs = new Map<string, string>();
  const log: string[] = [];
  let n = 0;
  const scope = nock(API)
    .persist()
    .get(/\/repos\/acme\/gitops\/git\/ref\/heads\/(.+)$/)
    .reply((uri) => {
      log.push(`GET ${uri}`);
      const head = refs.get(decodeURIComponent(uri.split("/git/ref/heads/")[1]!));
      return head
        ? [200, { ref: "x", object: { sha: head, type: "commit" } }]
        : [404, { message: "Not Found" }];
    })
    .get(/\/repos\/acme\/gitops\/git\/commits\/([0-9a-f]+)$/)
    .reply((uri) => {
      log.push(`GET ${uri}`);
      const s = uri.split("/").pop()!;
      const c = commits.get(s)!;
      return [
        200,
        {
          sha: s,
          tree: { sha: c.tree },
          parents: c.parents.map((p) => ({ sha: p })),
          message: c.message,
          author: { name: "b", email: "b" },
          committer: { name: "b", email: "b" },
        },
      ];
    })
    .get(/\/repos\/acme\/gitops\/git\/trees\/([0-9a-f]+)$/)
    .reply((uri) => {
      log.push(`GET ${uri}`);
      const s = uri.split("/").pop()!;
      return [
        200,
        {
          sha: s,
          truncated: false,
          tree: trees.get(s)!.map((e) => ({ path: e.path, mode: "100644", type: "blob", sha: e.blob })),
        },
      ];
    })
    .get(/\/repos\/acme\/gitops\/git\/blobs\/([0-9a-f]+)$/)
    .reply((uri) => {
      log.push(`GET ${uri}`);
      const s = uri.split("/").pop()!;
      return [200, { sha: s, encoding: "base64", content: Buffer.from(blobs.get(s)!).toString("base64") }];
    })
    .post(`${R}/git/trees`)
    .reply((uri, body) => {
      log.push(`POST ${uri}`);
      const b = body as { tree: { path: string; content: string }[]; base_tree?: string };
      const entries = b.tree.map((e) => {
        const blob = sha(`blob:${e.content}`);
        blobs.set(blob, e.content);
        return { path: e.path, blob };
      });
      const t = sha(`tree:${++n}`);
      trees.set(t, entries);
      return [201, { sha: t }];
    })
    .post(`${R}/git/commits`)
    .reply((uri, body) => {
      log.push(`POST ${uri}`);
      const b = body as { tree: string; parents: string[]; message: string };
      const c = sha(`commit:${++n}`);
      commits.set(c, { tree: b.tree, parents: b.parents, message: b.message });
      return [201, { sha: c }];
    })
    .post(`${R}/git/refs`)
    .reply((uri, body) => {
      log.push(`POST ${uri}`);
      const b = body as { ref: string; sha: string };
      const name = b.ref.replace("refs/heads/", "");
      if (refs.has(name)) return [422, { message: "Reference already exists" }];
      refs.set(name, b.sha);
      return [201, { ref: b.ref, object: { sha: b.sha } }];
    })
    .patch(/\/repos\/acme\/gitops\/git\/refs\/heads\/(.+)$/)
    .reply((uri, body) => {
      log.push(`PATCH ${uri}`);
      const b = body as { sha: string; force: boolean };
      const name = decodeURIComponent(uri.split("/git/refs/heads/")[1]!);
      const head = refs.get(name);
      if (!head) return [422, { message: "Reference does not exist" }];
      if (!b.force && !commits.get(b.sha)?.parents.includes(head))
        return [422, { message: "Update is not a fast forward" }];
      refs.set(name, b.sha);
      return [200, { object: { sha: b.sha } }];
    });
  const textAt = (commit: string) => {
    const entry = trees.get(commits.get(commit)!.tree)!.find((e) => e.path === "audit.jsonl")!;
    return blobs.get(entry.blob)!;
  };
  return { refs, commits, log, scope, textAt };
}

describe("GitHub audit ledger", () => {
  it("creates the ledger branch as an orphan commit, then appends with fast-forward ref updates", async () => {
    const gh = fakeGitData();
    const ledger = createGitHubAuditLedger(octokit(), { owner: "acme", repo: "gitops" });
    expect(await appendAudit(ledger, [rec("a", 1), rec("a", 2)])).toMatchObject({
      ok: true,
      attempts: 1,
      tip: { count: 2 },
    });
    expect(gh.log).toEqual([
      `GET ${R}/git/ref/heads/medic-audit`,
      `POST ${R}/git/trees`,
      `POST ${R}/git/commits`,
      `POST ${R}/git/refs`,
    ]);
    const first = gh.refs.get("medic-audit")!;
    expect(gh.commits.get(first)).toMatchObject({ parents: [], message: "audit: 2 record(s), 1–2" });
    expect(gh.textAt(first)).toBe(chainRecords(EMPTY_TIP, [rec("a", 1), rec("a", 2)]).lines);

    gh.log.length = 0;
    expect(await appendAudit(ledger, [rec("a", 3)])).toMatchObject({
      ok: true,
      attempts: 1,
      tip: { count: 3 },
    });
    const second = gh.refs.get("medic-audit")!;
    expect(gh.log).toEqual([
      `GET ${R}/git/ref/heads/medic-audit`,
      `GET ${R}/git/commits/${first}`,
      `GET ${R}/git/trees/${gh.commits.get(first)!.tree}`,
      expect.stringMatching(new RegExp(`^GET ${R}/git/blobs/[0-9a-f]{40}$`)),
      `POST ${R}/git/trees`,
      `POST ${R}/git/commits`,
      `PATCH ${R}/git/refs/heads/medic-audit`,
    ]);
    expect(gh.commits.get(second)!.parents).toEqual([first]);
    expect(verifyChain(gh.textAt(second))).toMatchObject({ ok: true, tip: { count: 3 } });
  });

  it("sends exactly the tree, commit and ref bodies GitHub needs", async () => {
    const bodies: unknown[] = [];
    const scope = nock(API)
      .get(`${R}/git/ref/heads/audit/prod`)
      .reply(404, { message: "Not Found" })
      .post(`${R}/git/trees`, (b) => bodies.push(b) > 0)
      .reply(201, { sha: "t1" })
      .post(`${R}/git/commits`, (b) => bodies.push(b) > 0)
      .reply(201, { sha: "c1" })
      .post(`${R}/git/refs`, (b) => bodies.push(b) > 0)
      .reply(201, {});
    const ledger = createGitHubAuditLedger(
      octokit(),
      { owner: "acme", repo: "gitops" },
      { branch: "audit/prod", path: "ledger/audit.jsonl" },
    );
    expect(ledger.name).toBe("acme/gitops@audit/prod:ledger/audit.jsonl");
    await appendAudit(ledger, [rec("b", 1)], { message: "audit: b" });
    expect(scope.isDone()).toBe(true);
    expect(bodies).toEqual([
      {
        tree: [
          {
            path: "ledger/audit.jsonl",
            mode: "100644",
            type: "blob",
            content: chainRecords(EMPTY_TIP, [rec("b", 1)]).lines,
          },
        ],
      },
      { message: "audit: b", tree: "t1", parents: [] },
      { ref: "refs/heads/audit/prod", sha: "c1" },
    ]);
  });

  it.each([2, 4])("%i appenders racing on the ref never fork the chain", async (n) => {
    const gh = fakeGitData();
    const results = await Promise.all(
      Array.from({ length: n }, (_, w) =>
        appendAudit(
          createGitHubAuditLedger(octokit(), { owner: "acme", repo: "gitops" }),
          [rec(`w${w}`, 1), rec(`w${w}`, 2)],
          { maxAttempts: n + 2 },
        ),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    // Someone lost a race (422) and re-read: the compare-and-swap was exercised, not bypassed.
    expect(
      gh.log.filter((l) => l.startsWith("POST") && l.endsWith("/git/refs")).length +
        gh.log.filter((l) => l.startsWith("PATCH")).length,
    ).toBeGreaterThan(n);
    expect(results.some((r) => r.ok && r.attempts > 1)).toBe(true);
    // History is one line of commits, each ledger a prefix of the next.
    let head = gh.refs.get("medic-audit")!;
    const texts: string[] = [];
    for (;;) {
      texts.unshift(gh.textAt(head));
      const parents = gh.commits.get(head)!.parents;
      expect(parents.length).toBeLessThanOrEqual(1);
      if (parents.length === 0) break;
      head = parents[0]!;
    }
    expect(texts).toHaveLength(n);
    for (let i = 1; i < texts.length; i++) expect(texts[i]!.startsWith(texts[i - 1]!)).toBe(true);
    expect(verifyChain(texts[texts.length - 1]!)).toMatchObject({ ok: true, tip: { count: 2 * n } });
  });

  it("a 5xx on the ref update is thrown, not taken for a conflict", async () => {
    nock(API)
      .get(`${R}/git/ref/heads/medic-audit`)
      .reply(404, {})
      .post(`${R}/git/trees`)
      .reply(201, { sha: "t" })
      .post(`${R}/git/commits`)
      .reply(201, { sha: "c" })
      .post(`${R}/git/refs`)
      .reply(502, { message: "Bad Gateway" });
    await expect(
      appendAudit(createGitHubAuditLedger(octokit(), { owner: "acme", repo: "gitops" }), [rec("x", 1)]),
    ).rejects.toMatchObject({ status: 502 });
  });
});
