import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryDeliveryDedupe } from "../../src/adapters/memory/create-memory-delivery-dedupe.js";
import { createMemoryKeyedLock } from "../../src/adapters/memory/create-memory-keyed-lock.js";
import { createMemoryWriteBudget } from "../../src/adapters/memory/create-memory-write-budget.js";
import { createMetrics } from "../../src/adapters/metrics/create-metrics.js";
import type { AppDeps } from "../../src/app-deps.js";
import { EnvConfig } from "../../src/core/config/env-config.js";
import { parseIncidentState } from "../../src/core/incident/incident-state.js";
import { parseMarker } from "../../src/core/markdown/parse-marker.js";
import { registerIncidents } from "../../src/handlers/incidents.js";
import type { HttpRoute } from "../../src/server/http-route.js";
import { manualClock } from "../../src/workflows/ports/clock.js";
import { silentLogger } from "../../src/workflows/ports/logger.js";
import { createTestProbot } from "../helpers/probot.js";

const TOKEN = "am-token-0123456789abcdef0123456789abcdef";
const GH = "https://api.github.com";
const REPO = "/repos/acme/incidents";
const KEY = "KubePodCrashLooping/shop/checkout";
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/alerts/${name}.json`, import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;
const firing = () => fixture("kube-pod-crash-looping.firing");
const resolved = () => fixture("kube-pod-crash-looping.resolved");

interface Harness {
  url: string;
  clock: ReturnType<typeof manualClock>;
  drain(): Promise<void>;
  post(
    body: unknown,
    opts?: { token?: string | null; raw?: string },
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  unmatched: string[];
}

let server: Server | undefined;
let harness: Harness;

async function start(): Promise<Harness> {
  const clock = manualClock("2026-11-27T10:00:00Z");
  const routes: HttpRoute[] = [];
  const deps: AppDeps = {
    env: EnvConfig.parse({ ALERTMANAGER_TOKEN: TOKEN, INCIDENT_REPO: "acme/incidents" }),
    clock,
    logger: process.env.MEDIC_TEST_LOG
      ? { ...silentLogger, error: (o, m) => console.error(m, o), warn: (o, m) => console.error(m, o) }
      : silentLogger,
    lock: createMemoryKeyedLock(),
    dedupe: createMemoryDeliveryDedupe(clock),
    // Waits for the budget (rate-limit pauses) pass on the app clock, not in real time.
    writeBudget: createMemoryWriteBudget({ clock, sleep: async (ms) => void clock.advance(ms) }),
    metrics: createMetrics({ defaultMetrics: false }),
    addRoute: (r) => routes.push(r),
    onShutdown: () => {},
  };
  // Deferred body updates are not run here (the workflow tests cover them with virtual time).
  const runtime = registerIncidents(createTestProbot(), deps, {}, { later: () => {} });
  const route = routes.find((r) => r.path === "/alertmanager")!;
  server = createServer((req, res) => void route.handle(req, res));
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alertmanager`;
  const unmatched: string[] = [];
  nock.emitter.on("no match", (req: { method?: string; path?: string }) => {
    // Our own loopback requests to the route pass through nock's hook too.
    if (req.path !== "/alertmanager") unmatched.push(`${req.method} ${req.path}`);
  });
  return {
    url,
    clock,
    unmatched,
    drain: () => runtime.drain(),
    async post(body, opts = {}) {
      const token = opts.token === undefined ? TOKEN : opts.token;
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
        },
        body: opts.raw ?? JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    },
  };
}

/** App auth, installation lookup, app slug and the (absent) medic.yml: what the first notification costs. */
function bootstrap() {
  return nock(GH)
    .get(`${REPO}/installation`)
    .reply(200, { id: 42 })
    .post("/app/installations/42/access_tokens")
    .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: { issues: "write" } })
    .get("/app")
    .reply(200, { id: 1, slug: "medic" })
    .get(`${REPO}/contents/.github%2Fmedic.yml`)
    .reply(404, { message: "Not Found" })
    .get("/repos/acme/.github/contents/.github%2Fmedic.yml")
    .reply(404, { message: "Not Found" });
}
/** No `.github/medic.yml` in the repository nor in the organisation's `.github` repository. */
function noConfig(scope: nock.Scope) {
  return scope
    .get(`${REPO}/contents/.github%2Fmedic.yml`)
    .reply(404, { message: "Not Found" })
    .get("/repos/acme/.github/contents/.github%2Fmedic.yml")
    .reply(404, { message: "Not Found" });
}
const listQuery = (state: string) => (q: Record<string, unknown>) =>
  q["labels"] === "incident" && q["state"] === state;
function listIssues(scope: nock.Scope, state: "open" | "closed", issues: unknown[]) {
  return scope.get(`${REPO}/issues`).query(listQuery(state)).reply(200, issues);
}
function botIssue(number: number, body: string, state = "open", labels = ["incident", "severity:warning"]) {
  return {
    number,
    html_url: `https://github.com/acme/incidents/issues/${number}`,
    state,
    closed_at: state === "closed" ? "2026-11-27T10:25:00Z" : null,
    title: "KubePodCrashLooping in shop/checkout",
    body,
    labels: labels.map((name) => ({ name })),
    user: { login: "medic[bot]", type: "Bot" },
  };
}

beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  harness = await start();
});
afterEach(async () => {
  nock.emitter.removeAllListeners("no match");
  nock.cleanAll();
  nock.enableNetConnect();
  await new Promise((r) => server?.close(r));
});

describe("POST /alertmanager: refusals (nothing processed, no GitHub call)", () => {
  it.each([
    ["no token", null],
    ["a wrong token", "nope"],
    ["a token with the right prefix", `${TOKEN}x`],
  ])("%s ⇒ 401", async (_name, token) => {
    const res = await harness.post(firing(), { token });
    expect(res.status).toBe(401);
    await harness.drain();
    expect(harness.unmatched).toEqual([]);
  });

  it("a malformed payload ⇒ 400 naming the field", async () => {
    const bad = firing();
    (bad["alerts"] as Record<string, unknown>[])[0]!["status"] = "burning";
    const res = await harness.post(bad);
    expect(res.status).toBe(400);
    expect(res.json["path"]).toBe("alerts.0.status");
  });

  it.each([
    ["not JSON", "{"],
    ["a wrong version", JSON.stringify({ ...firing(), version: "3" })],
    ["alerts not a list", JSON.stringify({ ...firing(), alerts: {} })],
  ])("%s ⇒ 400", async (_name, raw) => {
    const res = await harness.post(null, { raw });
    expect(res.status).toBe(400);
  });

  it("an oversize body ⇒ 413", async () => {
    const big = { ...firing(), padding: "x".repeat(5 * 1024 * 1024) };
    const res = await harness.post(big);
    expect(res.status).toBe(413);
    await harness.drain();
    expect(harness.unmatched).toEqual([]);
  });
});

describe("POST /alertmanager: incident issues", () => {
  it("firing ⇒ one issue; HA copies at 0/15/30 s ⇒ still one issue and no comment", async () => {
    let created: Record<string, unknown> | undefined;
    const scope = bootstrap();
    listIssues(scope, "open", []);
    listIssues(scope, "closed", []);
    listIssues(scope, "open", []); // the marker check before creating
    scope
      .post(`${REPO}/issues`, (b: Record<string, unknown>) => {
        created = b;
        return true;
      })
      .reply(201, (_uri, b) => botIssue(1, (b as { body: string }).body));
    expect((await harness.post(firing())).status).toBe(202);
    await harness.drain();
    harness.clock.advance(15_000);
    expect(
      (await harness.post({ ...firing(), externalURL: "http://alertmanager-main-1:9093" })).json,
    ).toEqual({ status: "duplicate" });
    harness.clock.advance(15_000);
    expect((await harness.post(fixture("kube-pod-crash-looping.firing.v028"))).json).toEqual({
      status: "duplicate",
    });
    await harness.drain();
    expect(scope.isDone()).toBe(true);
    expect(harness.unmatched).toEqual([]);
    expect(created?.["title"]).toBe("KubePodCrashLooping in shop/checkout");
    expect(created?.["labels"]).toEqual(["incident", "severity:warning"]);
    expect(parseMarker(created?.["body"] as string, "incident")).toBe(KEY);
    expect(created?.["body"]).toContain("| **Issue opened** | 2026-11-27 10:00:00 UTC (MTTD 1m) |");
  });

  it("a repeat after the body interval rewrites the body, without a comment", async () => {
    const scope = bootstrap();
    listIssues(scope, "open", []);
    listIssues(scope, "closed", []);
    listIssues(scope, "open", []);
    scope.post(`${REPO}/issues`).reply(201, (_uri, b) => botIssue(1, (b as { body: string }).body));
    let patched: Record<string, unknown> | undefined;
    scope
      .patch(`${REPO}/issues/1`, (b: Record<string, unknown>) => {
        patched = b;
        return true;
      })
      .reply(200, {});
    await harness.post(firing());
    await harness.drain();
    harness.clock.advance(120_000);
    expect((await harness.post(firing())).json).toEqual({ status: "accepted" });
    await harness.drain();
    expect(scope.isDone()).toBe(true);
    expect(harness.unmatched).toEqual([]);
    expect(Object.keys(patched ?? {})).toEqual(["body"]);
    expect(parseIncidentState(patched?.["body"] as string)?.notifications).toBe(2);
  });

  it("resolved ⇒ closing comment with MTTD and MTTR, then closed", async () => {
    const scope = bootstrap();
    listIssues(scope, "open", []);
    listIssues(scope, "closed", []);
    listIssues(scope, "open", []);
    let createdBody = "";
    scope.post(`${REPO}/issues`).reply(201, (_uri, b) => {
      createdBody = (b as { body: string }).body;
      return botIssue(1, createdBody);
    });
    // 25 minutes later the index refreshes from the listing (every 15 min): the state comes from the body.
    scope
      .get(`${REPO}/issues`)
      .query(listQuery("open"))
      .reply(200, () => [botIssue(1, createdBody)]);
    listIssues(scope, "closed", []);
    noConfig(scope); // the config cache (5 min) has expired too
    let comment = "";
    scope
      .post(`${REPO}/issues/1/comments`, (b: { body: string }) => {
        comment = b.body;
        return true;
      })
      .reply(201, { id: 9 });
    let patched: Record<string, unknown> = {};
    scope
      .patch(`${REPO}/issues/1`, (b: Record<string, unknown>) => {
        patched = b;
        return true;
      })
      .reply(200, {});
    await harness.post(firing());
    await harness.drain();
    harness.clock.advance(25 * 60_000);
    await harness.post(resolved());
    await harness.drain();
    expect(scope.isDone()).toBe(true);
    expect(harness.unmatched).toEqual([]);
    expect(comment).toContain("| **MTTD** (alert start → issue opened) | 1m |");
    expect(comment).toContain("| **MTTR** (alert start → resolved) | 21m |");
    expect(patched["state"]).toBe("closed");
    expect(patched["state_reason"]).toBe("completed");
    expect(parseIncidentState(patched["body"] as string)?.status).toBe("resolved");
  });

  it("resolved before firing ⇒ no issue opened, no write at all", async () => {
    const scope = bootstrap();
    listIssues(scope, "open", []);
    listIssues(scope, "closed", []);
    await harness.post(resolved());
    await harness.drain();
    harness.clock.advance(15_000);
    await harness.post(firing());
    await harness.drain();
    expect(scope.isDone()).toBe(true);
    expect(harness.unmatched).toEqual([]);
  });

  it("refire after close (within the window) ⇒ the same issue is reopened, found by listing after a restart", async () => {
    // The closed issue is all the bot knows: its state lives in the body.
    const openedBody = await (async () => {
      const s = bootstrap();
      listIssues(s, "open", []);
      listIssues(s, "closed", []);
      listIssues(s, "open", []);
      let body = "";
      s.post(`${REPO}/issues`, (b: { body: string }) => {
        body = b.body;
        return true;
      }).reply(201, (_uri, b) => botIssue(1, (b as { body: string }).body));
      s.get(`${REPO}/issues`)
        .query(listQuery("open"))
        .reply(200, () => [botIssue(1, body)]);
      listIssues(s, "closed", []);
      noConfig(s);
      s.post(`${REPO}/issues/1/comments`).reply(201, {});
      let closedBody = "";
      s.patch(`${REPO}/issues/1`, (b: { body: string }) => {
        closedBody = b.body;
        return true;
      }).reply(200, {});
      await harness.post(firing());
      await harness.drain();
      harness.clock.advance(25 * 60_000);
      await harness.post(resolved());
      await harness.drain();
      expect(s.isDone()).toBe(true);
      expect(body).not.toBe("");
      return closedBody;
    })();
    // A new process: recovers the closed incident from the closed-issues listing.
    await new Promise((r) => server?.close(r));
    harness = await start();
    harness.clock.set(Date.parse("2026-11-27T11:00:00Z"));
    const scope = bootstrap();
    listIssues(scope, "open", []);
    listIssues(scope, "closed", [botIssue(1, openedBody, "closed")]);
    let reopened: Record<string, unknown> = {};
    scope
      .patch(`${REPO}/issues/1`, (b: Record<string, unknown>) => {
        reopened = b;
        return true;
      })
      .reply(200, {});
    let comment = "";
    scope
      .post(`${REPO}/issues/1/comments`, (b: { body: string }) => {
        comment = b.body;
        return true;
      })
      .reply(201, {});
    const again = firing();
    (again["alerts"] as Record<string, unknown>[])[0]!["startsAt"] = "2026-11-27T10:58:00.000Z";
    await harness.post(again);
    await harness.drain();
    expect(scope.isDone()).toBe(true);
    expect(harness.unmatched).toEqual([]);
    expect(reopened["state"]).toBe("open");
    expect(parseIncidentState(reopened["body"] as string)?.status).toBe("firing");
    expect(comment).toContain("Recurred: reopened");
  });

  it("a create that succeeded but answered 502 ⇒ found by its marker, not duplicated", async () => {
    const scope = bootstrap();
    listIssues(scope, "open", []);
    listIssues(scope, "closed", []);
    listIssues(scope, "open", []);
    let body = "";
    scope
      .post(`${REPO}/issues`, (b: { body: string }) => {
        body = b.body;
        return true;
      })
      .reply(502, { message: "Bad Gateway" });
    // The issue exists after all: the listing shows it, with our marker.
    scope
      .get(`${REPO}/issues`)
      .query(listQuery("open"))
      .reply(200, () => [botIssue(5, body)]);
    await harness.post(firing());
    await harness.drain();
    expect(scope.isDone()).toBe(true);
    expect(harness.unmatched).toEqual([]);
  });

  it("a secondary rate limit pauses writes and retries after retry-after", async () => {
    const scope = bootstrap();
    listIssues(scope, "open", []);
    listIssues(scope, "closed", []);
    listIssues(scope, "open", []);
    scope
      .post(`${REPO}/issues`)
      .reply(403, { message: "You have exceeded a secondary rate limit" }, { "retry-after": "0" });
    scope.post(`${REPO}/issues`).reply(201, (_uri, b) => botIssue(1, (b as { body: string }).body));
    const before = harness.clock.now();
    await harness.post(firing());
    await harness.drain();
    // The pause GitHub asked for (retry-after 0 ⇒ the 1 s floor) was waited on the app clock.
    expect(harness.clock.now() - before).toBeGreaterThanOrEqual(1_000);
    expect(scope.isDone()).toBe(true);
    expect(harness.unmatched).toEqual([]);
  });
});
