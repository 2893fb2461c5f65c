import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sign } from "@octokit/webhooks-methods";
import nock from "nock";
import { Probot } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics } from "../../../src/adapters/metrics/create-metrics.js";
import type { RedisCoordination } from "../../../src/adapters/redis/create-redis-coordination.js";
import { githubWebhookRoute } from "../../../src/handlers/github-webhook.js";
import { webhookExample } from "../../helpers/events.js";
import { TestOctokit, testLogger, testPrivateKey } from "../../helpers/probot.js";
import { startTestRedis, type TestRedis } from "./redis-server.js";
import { allHealthy, replicas } from "./replicas.js";

// Three app instances in one process, as three replicas behind one Service would be: each its own
// Probot, webhook route (signature check, delivery de-duplication) and Redis connection. GitHub's
// retries and Alertmanager-style duplicates are modelled by sending every delivery to all three.

const SECRET = "three-replicas-secret-0123456789abcdef0123";
const GH = "https://api.github.com";

let redis: TestRedis;
let fleet: RedisCoordination[];
const servers: Server[] = [];
const ports: number[] = [];
const metrics = [0, 1, 2].map(() => createMetrics({ defaultMetrics: false }));

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  redis = await startTestRedis();
  fleet = replicas(redis.url, 3, { keyPrefix: "apps:" });
  await allHealthy(fleet);
  for (const [i, coordination] of fleet.entries()) {
    const probot = new Probot({
      appId: 1,
      privateKey: testPrivateKey(),
      secret: SECRET,
      log: testLogger(),
      Octokit: TestOctokit,
    });
    // The side effect: one comment per opened issue, serialised per issue and counted in the budget.
    await probot.load((app) => {
      app.on("issues.opened", async (context) => {
        const key = `${context.payload.repository.full_name}#${context.payload.issue.number}`;
        await coordination.lock.withLock(key, async () => {
          await coordination.writeBudget.acquire(`installation-${context.payload.installation?.id}`);
          await context.octokit.rest.issues.createComment(context.issue({ body: `seen by replica ${i}` }));
        });
      });
    });
    const route = githubWebhookRoute({
      path: "/api/github/webhooks",
      probot,
      secrets: [SECRET],
      dedupe: coordination.dedupe,
      logger: testLogger(),
      metrics: metrics[i]!,
    });
    const server = createServer((req, res) => void route.handle(req, res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    servers.push(server);
    ports.push((server.address() as AddressInfo).port);
  }
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await Promise.all(fleet?.map((c) => c.close()) ?? []);
  await redis?.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

interface IssuesOpened {
  issue: { number: number };
  repository: { name: string; owner: { login: string } };
  installation?: { id: number; node_id: string };
}

describe("three app instances sharing Redis", () => {
  it("run each of 50 deliveries once when all three receive all of them at the same time", async () => {
    // The recorded example comes from a repository webhook; an App delivery also names its installation.
    const template = webhookExample<IssuesOpened>("issues", "opened");
    template.installation = { id: 42, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" };
    const owner = template.repository.owner.login;
    const repo = template.repository.name;
    const installation = template.installation.id;
    const comments = new Map<number, string[]>();
    const scope = nock(GH)
      .persist()
      .post(`/app/installations/${installation}/access_tokens`)
      .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: { issues: "write" } })
      .post(new RegExp(`^/repos/${owner}/${repo}/issues/\\d+/comments$`))
      .reply(201, (uri, body) => {
        const n = Number(uri.split("/")[5]);
        comments.set(n, [...(comments.get(n) ?? []), (body as { body: string }).body]);
        return { id: n };
      });

    const deliveries = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const payload = structuredClone(template);
        payload.issue.number = 1000 + i;
        const body = JSON.stringify(payload);
        return { id: `delivery-${i}`, body, signature: await sign(SECRET, body) };
      }),
    );
    const statuses = await Promise.all(
      deliveries.flatMap((d) =>
        ports.map(async (port) => {
          const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "x-github-event": "issues",
              "x-github-delivery": d.id,
              "x-hub-signature-256": d.signature,
            },
            body: d.body,
          });
          return [res.status, (await res.json()) as { duplicate?: boolean }] as const;
        }),
      ),
    );

    expect(statuses.every(([s]) => s === 200)).toBe(true);
    expect(statuses.filter(([, b]) => b.duplicate === true)).toHaveLength(100);
    expect([...comments.keys()].sort()).toEqual(Array.from({ length: 50 }, (_, i) => 1000 + i));
    expect([...comments.values()].filter((c) => c.length !== 1)).toEqual([]);
    // The three replicas' own counters add up to one processed delivery per id.
    const processed = await Promise.all(
      metrics.map(async (m) => {
        const text = await m.registry.metrics();
        const line = text
          .split("\n")
          .find((l) => l.startsWith('medic_webhooks_received_total{event="issues",outcome="processed"}'));
        return line ? Number(line.split(" ").pop()) : 0;
      }),
    );
    expect(processed.reduce((a, b) => a + b, 0)).toBe(50);
    scope.persist(false);
  }, 60_000);
});
