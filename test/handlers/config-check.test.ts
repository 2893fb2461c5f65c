import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileLedger } from "../../src/adapters/local/file-ledger.js";
import { createMemoryAuditSink } from "../../src/adapters/memory/audit-sink.js";
import { auditVerifyCommand } from "../../src/cli/commands/audit-verify.js";
import { parseAuditBlock, renderAuditBlock } from "../../src/core/audit/audit-block.js";
import { registerConfigCheck } from "../../src/handlers/config-check.js";
import { testAppDeps } from "../helpers/app-deps.js";
import { webhookExample } from "../helpers/events.js";
import { createTestProbot } from "../helpers/probot.js";

const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

function push(files: { added?: string[]; modified?: string[]; removed?: string[] }) {
  const payload = webhookExample<Record<string, unknown>>(
    "push",
    undefined,
    (p) => "installation" in p && !p["deleted"],
  );
  const commits = payload["commits"] as Record<string, unknown>[];
  commits[0] = { ...commits[0], added: [], modified: [], removed: [], ...files };
  return payload;
}

function receive(payload: Record<string, unknown>, deps = testAppDeps(), id = "d-1") {
  const probot = createTestProbot();
  probot.load((app) => registerConfigCheck(app, deps));
  return probot.receive({ id, name: "push", payload } as never);
}

/** The audit block of a `medic/config` verdict on SHA, delivery d-1, at the test clock's time. */
function configBlock(reason: string, status: "ok" | "refused", detail: string) {
  return renderAuditBlock({
    v: 1,
    at: "2026-01-01T00:00:00.000Z",
    actor: { kind: "bot", login: "gitops-medic[bot]" },
    action: "config.validated",
    reason,
    deliveryId: "d-1",
    subject: { kind: "commit", repo: "Codertocat/Hello-World", id: SHA },
    shas: { head: SHA },
    inputs: { path: ".github/medic.yml", ref: "refs/heads/master", pusher: "Codertocat" },
    outcome: { status, detail },
  });
}

function contents(text: string) {
  return { type: "file", encoding: "base64", content: Buffer.from(text).toString("base64") };
}

describe("medic/config check on push", () => {
  beforeEach(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("reports success for a valid .github/medic.yml", async () => {
    const scope = nock("https://api.github.com")
      .get("/app")
      .reply(200, { slug: "gitops-medic" })
      .post("/app/installations/1/access_tokens")
      .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" })
      .get("/repos/Codertocat/Hello-World/contents/.github%2Fmedic.yml")
      .query({ ref: SHA })
      .reply(200, contents("approval:\n  securityTeams: ['@acme/security']\n"))
      .post("/repos/Codertocat/Hello-World/check-runs", {
        name: "medic/config",
        head_sha: SHA,
        status: "completed",
        conclusion: "success",
        output: {
          title: ".github/medic.yml is valid",
          summary: `The configuration is valid.\n\n${configBlock(".github/medic.yml is valid", "ok", "The configuration is valid.")}`,
        },
      })
      .reply(201, { id: 1 });
    await receive(push({ modified: [".github/medic.yml"] }));
    expect(scope.isDone()).toBe(true);
  });

  it("names the file, line and problem for invalid YAML", async () => {
    let body: Record<string, unknown> | undefined;
    const scope = nock("https://api.github.com")
      .get("/app")
      .reply(200, { slug: "gitops-medic" })
      .post("/app/installations/1/access_tokens")
      .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" })
      .get("/repos/Codertocat/Hello-World/contents/.github%2Fmedic.yml")
      .query({ ref: SHA })
      .reply(200, contents("approval:\n  securityTeams: [unclosed\n"))
      .post("/repos/Codertocat/Hello-World/check-runs", (b) => {
        body = b;
        return true;
      })
      .reply(201, { id: 1 });
    await receive(push({ added: [".github/medic.yml"] }));
    expect(scope.isDone()).toBe(true);
    expect(body).toMatchObject({
      conclusion: "failure",
      output: { title: "Invalid YAML in .github/medic.yml" },
    });
    const output = body?.["output"] as { summary: string; annotations: { path: string }[] };
    expect(parseAuditBlock(output.summary)).toMatchObject({
      ok: true,
      record: {
        action: "config.validated",
        reason: "Invalid YAML in .github/medic.yml",
        inputs: { line: expect.any(Number) },
        outcome: { status: "refused" },
      },
    });
    expect(output.summary).toMatch(
      /^Invalid configuration in \.github\/medic\.yml \(line \d+\): document 0: /,
    );
    expect(output.annotations[0]?.path).toBe(".github/medic.yml");
  });

  it("refuses an alias bomb with a clear failure instead of expanding it", async () => {
    const bomb = [
      "a: &a [x,x,x,x,x,x,x,x,x]",
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
      "e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
    ].join("\n");
    let body: { conclusion?: string; output?: { summary?: string } } | undefined;
    nock("https://api.github.com")
      .get("/app")
      .reply(200, { slug: "gitops-medic" })
      .post("/app/installations/1/access_tokens")
      .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" })
      .get("/repos/Codertocat/Hello-World/contents/.github%2Fmedic.yml")
      .query(true)
      .reply(200, contents(bomb))
      .post("/repos/Codertocat/Hello-World/check-runs", (b) => {
        body = b;
        return true;
      })
      .reply(201, { id: 1 });
    await receive(push({ modified: [".github/medic.yml"] }));
    expect(body?.conclusion).toBe("failure");
    expect(body?.output?.summary).toContain("ReferenceError");
  });

  it("the records of real deliveries form a ledger that `medic audit verify` accepts", async () => {
    const dir = await mkdtemp(join(tmpdir(), "medic-config-ledger-"));
    try {
      const file = join(dir, "audit.jsonl");
      const sink = createMemoryAuditSink({ ledger: fileLedger(file) });
      const deps = testAppDeps({ audit: sink });
      const configs = ["approval:\n  securityTeams: ['@acme/security']\n", "approval: [unclosed\n", "{}\n"];
      for (const [i, text] of configs.entries()) {
        nock("https://api.github.com")
          .get("/app")
          .reply(200, { slug: "gitops-medic" })
          .post("/app/installations/1/access_tokens")
          .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" })
          .get("/repos/Codertocat/Hello-World/contents/.github%2Fmedic.yml")
          .query({ ref: SHA })
          .reply(200, contents(text))
          .post("/repos/Codertocat/Hello-World/check-runs")
          .reply(201, { id: i + 1 });
        await receive(push({ modified: [".github/medic.yml"] }), deps, `d-${i + 1}`);
      }
      expect(sink.records.map((r) => [r.deliveryId, r.outcome.status])).toEqual([
        ["d-1", "ok"],
        ["d-2", "refused"],
        ["d-3", "ok"],
      ]);
      await sink.flush();
      expect(sink.appends).toBe(1);
      const out: string[] = [];
      const code = await auditVerifyCommand.run(["--ledger", file], {
        stdout: (t) => out.push(t),
        stderr: (t) => out.push(t),
        cwd: dir,
        env: {},
        isTTY: false,
      });
      expect(code).toBe(0);
      expect(out.join("")).toMatch(/: OK, 3 record\(s\), head [0-9a-f]{64}\n$/);
      const lines = (await readFile(file, "utf8")).trimEnd().split("\n");
      expect(lines.map((l) => JSON.parse(l).record.deliveryId)).toEqual(["d-1", "d-2", "d-3"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("does nothing when the push does not touch the file", async () => {
    // No interceptors: any GitHub call would fail the test under disableNetConnect.
    await expect(receive(push({ modified: ["apps/web/deployment.yaml"] }))).resolves.toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });
});
