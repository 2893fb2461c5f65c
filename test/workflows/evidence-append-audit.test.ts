import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { fileLedger } from "../../src/adapters/local/file-ledger.js";
import { main } from "../../src/cli/main.js";
import type { AuditRecordInput } from "../../src/core/audit/audit-record.js";
import { chainRecords, EMPTY_TIP, verifyChain } from "../../src/core/audit/hash-chain.js";
import { appendAudit, createAuditQueue } from "../../src/workflows/append-audit.js";
import type { AuditLedger } from "../../src/workflows/ports/audit-ledger.js";

const rec = (writer: string, i: number): AuditRecordInput => ({
  v: 1,
  at: `2026-11-03T10:${String(i % 60).padStart(2, "0")}:00Z`,
  actor: { kind: "bot", login: "gitops-medic[bot]" },
  action: "remediation.proposed",
  reason: `${writer} #${i}`,
  outcome: { status: "ok" },
});

/**
 * A ledger like the GitHub one: the version is a commit id, a write succeeds only if the branch is still
 * at the version read (a fast-forward). Every call yields to the event loop, so concurrent appenders
 * interleave between their read and their write exactly as two bot replicas would.
 */
function memoryLedger() {
  let text = "";
  let version: string | null = null;
  let commits = 0;
  let conflicts = 0;
  const tick = () => new Promise((r) => setImmediate(r));
  const ledger: AuditLedger = {
    name: "memory",
    async read() {
      await tick();
      return { text, version };
    },
    async write(next, expected) {
      await tick();
      if (expected !== version) {
        conflicts += 1;
        return { ok: false, reason: "conflict" };
      }
      text = next;
      commits += 1;
      version = createHash("sha1").update(`${commits}`).digest("hex");
      return { ok: true, version };
    },
  };
  return { ledger, text: () => text, stats: () => ({ commits, conflicts }) };
}

describe("appendAudit", () => {
  it("appends a batch as one write and continues the chain", async () => {
    const m = memoryLedger();
    const a = await appendAudit(m.ledger, [rec("a", 1), rec("a", 2)]);
    const b = await appendAudit(m.ledger, [rec("b", 3)]);
    expect(a).toMatchObject({ ok: true, attempts: 1, tip: { count: 2 } });
    expect(b).toMatchObject({ ok: true, attempts: 1, tip: { count: 3 } });
    expect(m.stats().commits).toBe(2);
    expect(verifyChain(m.text())).toMatchObject({ ok: true, tip: { count: 3 } });
  });

  it.each([2, 5, 10])("%i appenders racing on the same version never fork the chain", async (n) => {
    const m = memoryLedger();
    const results = await Promise.all(
      Array.from({ length: n }, (_, w) =>
        appendAudit(m.ledger, [rec(`w${w}`, 1), rec(`w${w}`, 2)], { maxAttempts: n + 1 }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    // They all read the same empty ledger: all but one lost the first race and re-chained.
    expect(m.stats().conflicts).toBeGreaterThanOrEqual(n - 1);
    const check = verifyChain(m.text());
    expect(check).toMatchObject({ ok: true, tip: { count: 2 * n } });
    const lines = m
      .text()
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.seq)).toEqual(Array.from({ length: 2 * n }, (_, i) => i));
    // Every writer's records are there once, its two records adjacent (one batch, one commit).
    for (let w = 0; w < n; w++) {
      const idx = lines.map((l, i) => (l.record.reason.startsWith(`w${w} `) ? i : -1)).filter((i) => i >= 0);
      expect(idx).toHaveLength(2);
      expect(idx[1]! - idx[0]!).toBe(1);
    }
  });

  it("gives up after maxAttempts conflicts and says so", async () => {
    const always: AuditLedger = {
      name: "busy",
      read: async () => ({ text: "", version: null }),
      write: async () => ({ ok: false, reason: "conflict" }),
    };
    expect(await appendAudit(always, [rec("x", 1)], { maxAttempts: 3 })).toEqual({
      ok: false,
      reason: "conflict",
      attempts: 3,
    });
  });

  it("refuses to extend a ledger whose last line was tampered with", async () => {
    const m = memoryLedger();
    await appendAudit(m.ledger, [rec("a", 1)]);
    const broken: AuditLedger = {
      ...m.ledger,
      read: async () => ({ text: m.text().replace("a #1", "a #9"), version: "v" }),
    };
    await expect(appendAudit(broken, [rec("b", 2)])).rejects.toThrow(/does not fit/);
  });
});

describe("createAuditQueue", () => {
  it("batches queued records into one commit per flush and keeps them on failure", async () => {
    const m = memoryLedger();
    const q = createAuditQueue(m.ledger, { maxBatch: 3 });
    for (let i = 0; i < 5; i++) q.add(rec("q", i));
    const [first, second] = await Promise.all([q.flush(), q.flush()]);
    expect(first).toMatchObject({ ok: true, tip: { count: 3 } });
    expect(second).toMatchObject({ ok: true, tip: { count: 5 } });
    expect(m.stats().commits).toBe(2);
    expect(q.size).toBe(0);
    expect(await q.flush()).toBeNull();
  });
});

describe("fileLedger", () => {
  it("concurrent appenders on one file keep one linear chain", async () => {
    const dir = mkdtempSync(join(tmpdir(), "medic-ledger-"));
    const path = join(dir, "audit.jsonl");
    const n = 8;
    const results = await Promise.all(
      Array.from({ length: n }, (_, w) =>
        appendAudit(fileLedger(path), [rec(`f${w}`, w)], { maxAttempts: 50 }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(verifyChain(readFileSync(path, "utf8"))).toMatchObject({ ok: true, tip: { count: n } });
  });
});

describe("medic audit verify", () => {
  async function run(args: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await main(["audit", "verify", ...args], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      cwd: process.cwd(),
      env: {},
    });
    return { code, stdout, stderr };
  }
  const dir = mkdtempSync(join(tmpdir(), "medic-verify-"));
  const path = join(dir, "audit.jsonl");

  it("exits 0 on an intact ledger and 1 at the first break, naming the line and both hashes", async () => {
    const m = memoryLedger();
    await appendAudit(m.ledger, [rec("v", 1), rec("v", 2), rec("v", 3)]);
    writeFileSync(path, m.text());
    const ok = await run(["--ledger", path]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/OK, 3 record\(s\), head [0-9a-f]{64}/);

    const lines = m.text().trimEnd().split("\n");
    lines[1] = lines[1]!.replace("v #2", "v #7");
    writeFileSync(path, `${lines.join("\n")}\n`);
    const bad = await run(["--ledger", path]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("BROKEN at line 2 (hash)");
    expect(bad.stdout).toMatch(/expected: [0-9a-f]{64}\n {2}found: {4}[0-9a-f]{64}/);

    const json = await run(["--ledger", path, "--format", "json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      records: 1,
      break: { line: 2, kind: "hash" },
    });
  });

  it("--head catches a truncated tail the chain alone cannot", async () => {
    const m = memoryLedger();
    const full = await appendAudit(m.ledger, [rec("h", 1), rec("h", 2)]);
    if (!full.ok) throw new Error("append failed");
    writeFileSync(path, `${m.text().trimEnd().split("\n")[0]}\n`);
    const res = await run(["--ledger", path, "--head", full.tip.hash]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain("removed or rewritten");
  });

  it("--repo reads the ledger branch through the API (GitHub Enterprise Server via GHE_HOST, token from GH_TOKEN)", async () => {
    nock.disableNetConnect();
    const text = chainRecords(EMPTY_TIP, [rec("g", 1), rec("g", 2)]).lines;
    const c = "c".repeat(40);
    const t = "d".repeat(40);
    const b = "e".repeat(40);
    const scope = nock("https://ghe.example.com", { reqheaders: { authorization: "token ghe-token" } })
      .get("/api/v3/repos/acme/gitops/git/ref/heads/audit/prod")
      .reply(200, { object: { sha: c } })
      .get(`/api/v3/repos/acme/gitops/git/commits/${c}`)
      .reply(200, { sha: c, tree: { sha: t }, parents: [] })
      .get(`/api/v3/repos/acme/gitops/git/trees/${t}`)
      .reply(200, {
        sha: t,
        truncated: false,
        tree: [{ path: "audit.jsonl", mode: "100644", type: "blob", sha: b }],
      })
      .get(`/api/v3/repos/acme/gitops/git/blobs/${b}`)
      .reply(200, { sha: b, encoding: "base64", content: Buffer.from(text).toString("base64") })
      .get("/api/v3/repos/acme/gitops/git/ref/heads/medic-audit")
      .reply(404, { message: "Not Found" });
    try {
      let stdout = "";
      let stderr = "";
      const io = {
        stdout: (x: string) => (stdout += x),
        stderr: (x: string) => (stderr += x),
        cwd: process.cwd(),
        env: { GH_TOKEN: "ghe-token", GHE_HOST: "ghe.example.com" },
      };
      expect(await main(["audit", "verify", "--repo", "acme/gitops", "--branch", "audit/prod"], io)).toBe(0);
      expect(stdout).toContain("acme/gitops@audit/prod:audit.jsonl: OK, 2 record(s)");
      expect(await main(["audit", "verify", "--repo", "acme/gitops"], io)).toBe(2);
      expect(stderr).toContain("the ledger branch does not exist");
      expect(`${stdout}${stderr}`).not.toContain("ghe-token");
      expect(scope.isDone()).toBe(true);
    } finally {
      nock.cleanAll();
      nock.enableNetConnect();
    }
  });

  it.each([
    [[], "give --ledger FILE or --repo OWNER/NAME"],
    [["--ledger", "/no/such/file"], "no such file"],
    [["--repo", "acme/gitops"], "GITHUB_TOKEN"],
    [["--ledger", "x", "--head", "abc"], "--head must be"],
  ])("bad input %j ⇒ exit 2 naming it", async (args, message) => {
    const res = await run(args);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(message);
  });
});
