import { sign } from "@octokit/webhooks-methods";
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { renderAuditBlock } from "../../src/core/audit/audit-block.js";
import { parseEnvConfig } from "../../src/core/config/env-config.js";
import { type RunningServer, startServer } from "../../src/server/start-server.js";
import { manualClock } from "../../src/workflows/ports/clock.js";
import { webhookExample } from "../helpers/events.js";
import { testCoordination } from "../helpers/memory-coordination.js";
import { TestOctokit, testLogger, testPrivateKey } from "../helpers/probot.js";

const SECRET = "current-secret-0123456789abcdef0123456789";
const OLD_SECRET = "previous-secret-0123456789abcdef012345678";

function pushTouchingConfig() {
  const payload = webhookExample<Record<string, unknown>>(
    "push",
    undefined,
    (p) => "installation" in p && !p["deleted"],
  );
  const commits = payload["commits"] as { added: string[]; modified: string[]; removed: string[] }[];
  commits[0]!.modified = [".github/medic.yml"];
  return payload;
}

interface Sent {
  status: number;
  body: Record<string, unknown>;
}

async function post(port: number, body: string, headers: Record<string, string>): Promise<Sent> {
  const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function ghHeaders(id: string, signature?: string): Record<string, string> {
  return {
    "x-github-event": "push",
    "x-github-delivery": id,
    ...(signature ? { "x-hub-signature-256": signature } : {}),
  };
}

/** Every request that reaches "GitHub" is counted: the bad deliveries must make none. */
function countGitHubCalls(host: string) {
  const calls: string[] = [];
  for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
    nock(host)
      .persist()
      .intercept(/.*/, method)
      .reply(function (uri) {
        calls.push(`${this.req.method} ${uri}`);
        return [500, { message: "unexpected call" }];
      });
  }
  return calls;
}

describe("GitHub webhook route through the real HTTP server", () => {
  let server: RunningServer;
  let coordination: ReturnType<typeof testCoordination>;

  async function boot(extraEnv: Record<string, string> = {}) {
    const env = parseEnvConfig({
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_SECRET_PREVIOUS: OLD_SECRET,
      APP_ID: "1",
      PORT: "0",
      HOST: "127.0.0.1",
      ...extraEnv,
    });
    if (!env.ok) throw new Error(env.message);
    coordination = testCoordination();
    server = await startServer({
      env: env.env,
      privateKey: testPrivateKey(),
      log: testLogger(),
      clock: manualClock("2026-01-01T00:00:00Z"),
      coordination,
      Octokit: TestOctokit,
    });
  }

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
  });
  afterAll(() => nock.enableNetConnect());
  beforeEach(() => boot());
  afterEach(async () => {
    await server.stop(1_000);
    nock.cleanAll();
  });

  it.each([
    ["no signature", 400, async (_body: string) => undefined],
    ["a wrong signature", 401, async (body: string) => sign("not-the-secret", body)],
    ["a malformed signature", 401, async () => "sha256=zzzz"],
    [
      "a signature over re-serialised JSON",
      401,
      async (body: string) => sign(SECRET, JSON.stringify(JSON.parse(body), null, 2)),
    ],
    ["a sha1 signature only", 401, async () => "sha1=0000000000000000000000000000000000000000"],
  ])("refuses a delivery with %s: %i and no GitHub call", async (_name, status, signer) => {
    const calls = countGitHubCalls("https://api.github.com");
    const body = JSON.stringify(pushTouchingConfig());
    const signature = await signer(body);
    const res = await post(server.port, body, ghHeaders("bad-1", signature));
    expect(res.status).toBe(status);
    expect(calls).toEqual([]);
    expect(coordination.seen.size).toBe(0);
  });

  /** The audit block that ends the `medic/config` summary of delivery `deliveryId`. */
  function configBlock(deliveryId: string) {
    const problem =
      "Invalid configuration in .github/medic.yml: field `approval.requiredApprovals`: Too small: expected number to be >=1";
    return renderAuditBlock({
      v: 1,
      at: "2026-01-01T00:00:00.000Z",
      actor: { kind: "bot", login: "gitops-medic[bot]" },
      action: "config.validated",
      reason: "Invalid configuration: approval.requiredApprovals",
      deliveryId,
      subject: {
        kind: "commit",
        repo: "Codertocat/Hello-World",
        id: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
      },
      shas: { head: "6113728f27ae82c7b1a177c8d03f9e96e0adf246" },
      inputs: { path: ".github/medic.yml", ref: "refs/heads/master", pusher: "Codertocat", line: 2 },
      outcome: { status: "refused", detail: problem },
    });
  }

  function expectConfigCheck(deliveryId: string, host = "https://api.github.com") {
    return (
      nock(host)
        // The bot's login is looked up once per process (the record's actor), so only the first test asks.
        .get("/app")
        .optionally()
        .reply(200, { slug: "gitops-medic" })
        .post("/app/installations/1/access_tokens")
        .reply(201, { token: "ghs_test", permissions: { checks: "write", contents: "read" } })
        .get("/repos/Codertocat/Hello-World/contents/.github%2Fmedic.yml")
        .query({ ref: "6113728f27ae82c7b1a177c8d03f9e96e0adf246" })
        .reply(200, {
          type: "file",
          encoding: "base64",
          content: Buffer.from("approval:\n  requiredApprovals: 0\n").toString("base64"),
        })
        .post("/repos/Codertocat/Hello-World/check-runs", {
          name: "medic/config",
          head_sha: "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
          status: "completed",
          conclusion: "failure",
          output: {
            title: "Invalid configuration: approval.requiredApprovals",
            summary: `Invalid configuration in .github/medic.yml: field \`approval.requiredApprovals\`: Too small: expected number to be >=1\n\n${configBlock(deliveryId)}`,
            annotations: [
              {
                path: ".github/medic.yml",
                start_line: 2,
                end_line: 2,
                annotation_level: "failure",
                message:
                  "Invalid configuration in .github/medic.yml: field `approval.requiredApprovals`: Too small: expected number to be >=1",
              },
            ],
          },
        })
        .reply(201, { id: 1 })
    );
  }

  it("runs the handler for a correctly signed delivery and answers 200", async () => {
    const scope = expectConfigCheck("good-1");
    const body = JSON.stringify(pushTouchingConfig());
    const res = await post(server.port, body, ghHeaders("good-1", await sign(SECRET, body)));
    expect(res.status).toBe(200);
    expect(scope.isDone()).toBe(true);
  });

  it("accepts the previous secret while rotating", async () => {
    const scope = expectConfigCheck("rotated-1");
    const body = JSON.stringify(pushTouchingConfig());
    const res = await post(server.port, body, ghHeaders("rotated-1", await sign(OLD_SECRET, body)));
    expect(res.status).toBe(200);
    expect(scope.isDone()).toBe(true);
  });

  it("processes a redelivery (same X-GitHub-Delivery) once", async () => {
    const scope = expectConfigCheck("dup-1");
    const calls: number[] = [];
    const body = JSON.stringify(pushTouchingConfig());
    const signature = await sign(SECRET, body);
    const first = await post(server.port, body, ghHeaders("dup-1", signature));
    calls.push(first.status);
    // nock interceptors are used up: a second run of the handler would fail on an unmatched request.
    const results = await Promise.all(
      Array.from({ length: 5 }, () => post(server.port, body, ghHeaders("dup-1", signature))),
    );
    expect(first.status).toBe(200);
    expect(results.map((r) => r.body["duplicate"])).toEqual([true, true, true, true, true]);
    expect(scope.isDone()).toBe(true);
  });

  it("refuses a body over 25 MB with 413 before reading it all", async () => {
    const calls = countGitHubCalls("https://api.github.com");
    const big = `{"pad":"${"x".repeat(25 * 1024 * 1024 + 10)}"}`;
    const res = await post(server.port, big, ghHeaders("big-1", await sign(SECRET, big)));
    expect(res.status).toBe(413);
    expect(calls).toEqual([]);
  });

  it("serves /healthz and /readyz, and /readyz fails while the shared store is down", async () => {
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${server.port}/readyz`);
    expect(ready.status).toBe(200);
    coordination.healthy = false;
    const notReady = await fetch(`http://127.0.0.1:${server.port}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({
      status: "not ready",
      checks: [
        { name: "probot", ok: true },
        { name: "coordination", ok: false },
      ],
    });
  });

  it("counts deliveries by event and outcome on /metrics", async () => {
    const scope = expectConfigCheck("m-1");
    const body = JSON.stringify(pushTouchingConfig());
    await post(server.port, body, ghHeaders("m-1", await sign(SECRET, body)));
    await post(server.port, body, ghHeaders("m-2", await sign("wrong", body)));
    expect(scope.isDone()).toBe(true);
    const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    expect(text).toContain('medic_webhooks_received_total{event="push",outcome="processed"} 1');
    expect(text).toContain('medic_webhooks_received_total{event="push",outcome="rejected"} 1');
    expect(text).toMatch(
      /medic_github_requests_total\{method="POST",route="\/repos\/\{owner\}\/\{repo\}\/check-runs",status="201"\} 1/,
    );
  });

  it("answers 404 for unknown paths and 405 for a wrong method", async () => {
    expect((await fetch(`http://127.0.0.1:${server.port}/nope`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/api/github/webhooks`)).status).toBe(405);
  });
});

describe("GitHub Enterprise Server", () => {
  it("sends every GitHub call of a webhook handler to GHE_HOST", async () => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    const env = parseEnvConfig({
      WEBHOOK_SECRET: SECRET,
      APP_ID: "1",
      PORT: "0",
      HOST: "127.0.0.1",
      GHE_HOST: "github.acme.internal",
    });
    if (!env.ok) throw new Error(env.message);
    const server = await startServer({
      env: env.env,
      privateKey: testPrivateKey(),
      log: testLogger(),
      clock: manualClock(0),
      coordination: testCoordination(),
      Octokit: TestOctokit,
    });
    const ghe = nock("https://github.acme.internal/api/v3")
      .get("/app")
      .reply(200, { slug: "gitops-medic" })
      .post("/app/installations/1/access_tokens")
      .reply(201, { token: "ghs_test" })
      .get("/repos/Codertocat/Hello-World/contents/.github%2Fmedic.yml")
      .query(true)
      .reply(404, { message: "Not Found" })
      .post("/repos/Codertocat/Hello-World/check-runs", (b) => b.conclusion === "success")
      .reply(201, { id: 2 });
    const dotcom = countGitHubCalls("https://api.github.com");
    try {
      const body = JSON.stringify(pushTouchingConfig());
      const res = await post(server.port, body, ghHeaders("ghe-1", await sign(SECRET, body)));
      expect(res.status).toBe(200);
      expect(ghe.isDone()).toBe(true);
      expect(dotcom).toEqual([]);
    } finally {
      await server.stop(1_000);
      nock.cleanAll();
      nock.enableNetConnect();
    }
  });
});
