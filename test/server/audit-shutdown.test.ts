import { sign } from "@octokit/webhooks-methods";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyChain } from "../../src/core/audit/hash-chain.js";
import { parseEnvConfig } from "../../src/core/config/env-config.js";
import { startServer } from "../../src/server/start-server.js";
import { manualClock } from "../../src/workflows/ports/clock.js";
import { webhookExample } from "../helpers/events.js";
import { testCoordination } from "../helpers/memory-coordination.js";
import { TestOctokit, testLogger, testPrivateKey } from "../helpers/probot.js";

const SECRET = "current-secret-0123456789abcdef0123456789";
const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const R = "/repos/Codertocat/Hello-World";

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("medic serve: the audit ledger", () => {
  it("records of handled deliveries are appended as one ledger commit on graceful shutdown", async () => {
    const env = parseEnvConfig({ WEBHOOK_SECRET: SECRET, APP_ID: "1", PORT: "0", HOST: "127.0.0.1" });
    if (!env.ok) throw new Error(env.message);
    const server = await startServer({
      env: env.env,
      privateKey: testPrivateKey(),
      log: testLogger(),
      clock: manualClock("2026-01-01T00:00:00Z"),
      coordination: testCoordination(),
      Octokit: TestOctokit,
    });
    const payload = webhookExample<Record<string, unknown>>(
      "push",
      undefined,
      (p) => "installation" in p && !p["deleted"],
    );
    (payload["commits"] as { modified: string[] }[])[0]!.modified = [".github/medic.yml"];
    const body = JSON.stringify(payload);
    // Two deliveries, each a medic/config verdict.
    const handlers = nock("https://api.github.com")
      .get("/app")
      .reply(200, { slug: "gitops-medic" })
      // One installation token, cached by Probot for the deliveries and the ledger writes alike.
      .post("/app/installations/1/access_tokens")
      .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" })
      .get(`${R}/contents/.github%2Fmedic.yml`)
      .query({ ref: SHA })
      .times(2)
      .reply(200, { type: "file", encoding: "base64", content: Buffer.from("{}\n").toString("base64") })
      .post(`${R}/check-runs`)
      .times(2)
      .reply(201, { id: 1 });
    for (const id of ["a-1", "a-2"]) {
      const res = await fetch(`http://127.0.0.1:${server.port}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "push",
          "x-github-delivery": id,
          "x-hub-signature-256": await sign(SECRET, body),
        },
        body,
      });
      expect(res.status).toBe(200);
    }
    expect(handlers.pendingMocks()).toEqual([]);

    // Nothing written to the ledger yet (batched); stop() flushes both records as ONE commit.
    let ledger = "";
    const flush = nock("https://api.github.com")
      .get(`${R}/installation`)
      .reply(200, { id: 1 })
      .get(`${R}/git/ref/heads/medic-audit`)
      .reply(404, { message: "Not Found" })
      .post(`${R}/git/trees`, (b: { tree: { path: string; content: string }[] }) => {
        ledger = b.tree[0]!.content;
        return b.tree[0]!.path === "audit.jsonl";
      })
      .reply(201, { sha: "a".repeat(40) })
      .post(`${R}/git/commits`, { message: "audit: 2 record(s), 1–2", tree: "a".repeat(40), parents: [] })
      .reply(201, { sha: "b".repeat(40) })
      .post(`${R}/git/refs`, { ref: "refs/heads/medic-audit", sha: "b".repeat(40) })
      .reply(201, {});
    await server.stop(5_000);
    expect(flush.isDone()).toBe(true);
    expect(verifyChain(ledger)).toMatchObject({ ok: true, tip: { count: 2 } });
    const records = ledger
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l).record);
    expect(records.map((r) => [r.action, r.deliveryId, r.outcome.status])).toEqual([
      ["config.validated", "a-1", "ok"],
      ["config.validated", "a-2", "ok"],
    ]);
  });
});
