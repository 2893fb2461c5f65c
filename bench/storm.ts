// Alert storm: 10,000 alerts in 60 s from 3 Alertmanager peers over 25 incident keys, through the real
// route handler, ingest workflow, GitHub incident tracker, write queue and write budget, against an
// in-memory GitHub. SIMULATED TIME: a virtual clock and scheduler drive the 60 s storm, the peers' delays
// and the write budget's waits; ack latency and RSS are measured for real (wall clock, process memory).

import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import { type Probot, ProbotOctokit } from "probot";
import { createIncidentRuntime } from "../src/adapters/github/create-incident-runtime.js";
import { createMemoryDeliveryDedupe } from "../src/adapters/memory/create-memory-delivery-dedupe.js";
import { createMemoryKeyedLock } from "../src/adapters/memory/create-memory-keyed-lock.js";
import { createMemoryWriteBudget } from "../src/adapters/memory/create-memory-write-budget.js";
import { createVirtualTime } from "../src/adapters/memory/create-virtual-time.js";
import { createMetrics } from "../src/adapters/metrics/create-metrics.js";
import {
  createRedisCoordination,
  type RedisCoordination,
} from "../src/adapters/redis/create-redis-coordination.js";
import type { AppDeps } from "../src/app-deps.js";
import { EnvConfig } from "../src/core/config/env-config.js";
import { parseIncidentState } from "../src/core/incident/incident-state.js";
import { parseMarker } from "../src/core/markdown/parse-marker.js";
import { alertmanagerRoute } from "../src/handlers/alertmanager.js";
import { silentLogger } from "../src/workflows/ports/logger.js";
import { startTestRedis, type TestRedis } from "../test/adapters/redis/redis-server.js";

const ALERTS = 10_000;
/** `--name=value` from the command line. */
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
/** `--keys=1000 --minutes=10`: the "1,000 keys in 10 minutes" storm (default: 25 keys in 1 minute). */
const KEYS = Number(arg("keys") ?? "25");
const PEERS = 3;
const STORM_MS = Number(arg("minutes") ?? "1") * 60_000;
const GROUP_INTERVAL_MS = 5_000;
/** HA peers whose gossip lags each send the group themselves, ~15 s apart. */
const PEER_DELAY_MS = 15_000;
/** Every alert resolves at this time; the peers then send the resolved groups. */
const RESOLVE_AT_MS = STORM_MS + 120_000;
const T0 = Date.parse("2026-11-27T10:00:00Z");
const TOKEN = "storm-token";
/**
 * `--replicas=N` (N > 1): N app instances, each with its own incident runtime and route and its own
 * Redis connection for locks, de-duplication and the write budget (REDIS_URL, else a throwaway
 * redis-server on loopback). Each notification goes to one replica in turn, as a Service would
 * spread them; the fake GitHub counts the fleet's writes.
 */
const REPLICAS = Number(
  process.argv.find((a) => a.startsWith("--replicas="))?.slice("--replicas=".length) ?? "1",
);

/** A deterministic PRNG (mulberry32), so every run replays the same storm. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const SAFE = "bcdfghjklmnpqrstvwxz2456789";

interface GhIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: "open" | "closed";
  closed_at: string | null;
  comments: string[];
}

/** Just enough of GitHub's issues API, in memory; every write is logged with its (virtual) time. */
function fakeGitHub(now: () => number) {
  const issues: GhIssue[] = [];
  const writes: { at: number; what: string }[] = [];
  let requests = 0;
  const json = (status: number, data: unknown) =>
    new Response(JSON.stringify(data), { status, headers: { "content-type": "application/json" } });
  const view = (i: GhIssue) => ({
    number: i.number,
    html_url: `https://github.com/acme/incidents/issues/${i.number}`,
    state: i.state,
    closed_at: i.closed_at,
    title: i.title,
    body: i.body,
    labels: i.labels.map((name) => ({ name })),
    user: { login: "medic[bot]", type: "Bot" },
  });
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    requests++;
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? "GET").toUpperCase();
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : {};
    const p = url.pathname;
    if (method === "GET" && p === "/repos/acme/incidents/installation") return json(200, { id: 1 });
    if (method === "GET" && p === "/app") return json(200, { slug: "medic" });
    if (method === "GET" && p.includes("/contents/")) return json(404, { message: "Not Found" });
    if (method === "GET" && p === "/repos/acme/incidents/issues") {
      const state = url.searchParams.get("state");
      const page = Number(url.searchParams.get("page") ?? "1");
      const all = issues.filter(
        (i) => i.labels.includes("incident") && (state === "all" || i.state === state),
      );
      return json(200, page === 1 ? all.map(view) : []);
    }
    if (method === "POST" && p === "/repos/acme/incidents/issues") {
      const issue: GhIssue = {
        number: issues.length + 1,
        title: String(body["title"]),
        body: String(body["body"]),
        labels: body["labels"] as string[],
        state: "open",
        closed_at: null,
        comments: [],
      };
      issues.push(issue);
      writes.push({ at: now(), what: "create" });
      return json(201, view(issue));
    }
    const m = /^\/repos\/acme\/incidents\/issues\/(\d+)(\/comments)?$/.exec(p);
    const issue = m ? issues[Number(m[1]) - 1] : undefined;
    if (issue && method === "PATCH" && !m?.[2]) {
      if (typeof body["title"] === "string") issue.title = body["title"];
      if (typeof body["body"] === "string") issue.body = body["body"];
      if (Array.isArray(body["labels"])) issue.labels = body["labels"] as string[];
      if (body["state"] === "closed" || body["state"] === "open") {
        issue.state = body["state"];
        issue.closed_at = issue.state === "closed" ? new Date(now()).toISOString() : null;
      }
      writes.push({ at: now(), what: "update" });
      return json(200, view(issue));
    }
    if (issue && m?.[2] && method === "POST") {
      issue.comments.push(String(body["body"]));
      writes.push({ at: now(), what: "comment" });
      return json(201, { id: issue.comments.length });
    }
    if (issue && m?.[2] && method === "GET")
      return json(
        200,
        issue.comments.map((b, id) => ({ id, body: b })),
      );
    return json(404, { message: `fake GitHub: no route for ${method} ${p}` });
  };
  return { issues, writes, fetch, requests: () => requests };
}

/** An in-process request to the route: real stream body and headers, no socket. */
async function callRoute(route: ReturnType<typeof alertmanagerRoute>, body: Buffer) {
  const req = Readable.from([body]) as unknown as IncomingMessage;
  Object.assign(req, {
    method: "POST",
    url: "/alertmanager",
    headers: {
      authorization: `Bearer ${TOKEN}`,
      "content-type": "application/json",
      "content-length": String(body.length),
    },
  });
  let status = 0;
  const res = {
    setHeader() {},
    writeHead(s: number) {
      status = s;
    },
    end() {},
  } as unknown as ServerResponse;
  await route.handle(req, res);
  return status;
}

export async function run(): Promise<string> {
  const log = (msg: string) => process.stderr.write(`storm: ${msg}\n`);
  log("simulated time: a virtual clock and scheduler replace the 60 s storm and the budget's waits");
  let routeCalls = 0;
  const gh = fakeGitHub(() => vt.clock.now());
  // With Redis, a command in flight is work in progress too: keep time still until it is answered.
  const shared: RedisCoordination[] = [];
  let spin = 0;
  const redisBusy = () => (shared.some((c) => c.pendingCommands() > 0) ? ++spin : spin);
  const vt = createVirtualTime(T0, { activity: () => gh.requests() + routeCalls + redisBusy() });

  // The storm: 25 workloads (one incident key each), 400 crash-looping pods each, starting over 60 s.
  const rand = prng(42);
  const workloads = Array.from({ length: KEYS }, (_, k) => ({
    namespace: `team-${k % 5}`,
    deployment: `svc-${k}`,
    alerts: [] as { pod: string; fingerprint: string; startsAt: number }[],
  }));
  for (let i = 0; i < ALERTS; i++) {
    const w = workloads[i % KEYS]!;
    const suffix = Array.from({ length: 5 }, () => SAFE[Math.floor(rand() * SAFE.length)]).join("");
    w.alerts.push({
      pod: `${w.deployment}-7d9f8b6c5-${suffix}`,
      fingerprint: (i + 1).toString(16).padStart(16, "0"),
      startsAt: T0 + Math.floor(rand() * STORM_MS),
    });
  }
  const payload = (w: (typeof workloads)[number], at: number, peer: number) => {
    const resolved = at >= RESOLVE_AT_MS + T0;
    const members = w.alerts.filter((a) => a.startsAt <= at);
    return Buffer.from(
      JSON.stringify({
        version: "4",
        groupKey: `{}:{alertname="KubePodCrashLooping", deployment="${w.deployment}", namespace="${w.namespace}"}`,
        truncatedAlerts: 0,
        status: resolved ? "resolved" : "firing",
        receiver: "medic",
        groupLabels: { alertname: "KubePodCrashLooping", namespace: w.namespace, deployment: w.deployment },
        commonLabels: { alertname: "KubePodCrashLooping", namespace: w.namespace, severity: "warning" },
        commonAnnotations: { summary: "Pod is crash looping." },
        externalURL: `http://alertmanager-${peer}:9093`,
        alerts: members.map((a) => ({
          status: resolved ? "resolved" : "firing",
          labels: {
            alertname: "KubePodCrashLooping",
            namespace: w.namespace,
            pod: a.pod,
            container: "app",
            severity: "warning",
          },
          annotations: { summary: "Pod is crash looping." },
          startsAt: new Date(a.startsAt).toISOString(),
          endsAt: resolved ? new Date(RESOLVE_AT_MS + T0).toISOString() : "0001-01-01T00:00:00Z",
          generatorURL: "http://prometheus:9090/graph",
          fingerprint: a.fingerprint,
        })),
      }),
    );
  };

  const clock = vt.clock;
  const metrics = createMetrics({ defaultMetrics: false });
  if (!Number.isInteger(REPLICAS) || REPLICAS < 1)
    throw new Error("storm: --replicas=N needs a whole number ≥ 1");
  let redis: TestRedis | undefined;
  let redisUrl = process.env["REDIS_URL"];
  if (REPLICAS > 1 && !redisUrl) {
    redis = await startTestRedis();
    redisUrl = redis.url;
  }
  if (REPLICAS > 1) log(`replicas=${REPLICAS} sharing Redis (locks, de-duplication, write budget)`);
  const keyPrefix = `storm-${process.pid}-${Date.now()}:`;
  const Octokit = ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } });
  const octokit = new Octokit({ auth: "ghs_storm", request: { fetch: gh.fetch } } as never);
  // The app-level octokit and the installation octokit are the same fake: only issues traffic matters.
  const app = { auth: async () => octokit } as unknown as Probot;
  const fleet = Array.from({ length: REPLICAS }, () => {
    const coordination =
      REPLICAS > 1
        ? createRedisCoordination(redisUrl!, silentLogger, { clock, sleep: vt.sleep, keyPrefix })
        : undefined;
    if (coordination) shared.push(coordination);
    const deps: AppDeps = {
      env: EnvConfig.parse({ ALERTMANAGER_TOKEN: TOKEN, INCIDENT_REPO: "acme/incidents" }),
      clock,
      logger: silentLogger,
      lock: coordination?.lock ?? createMemoryKeyedLock(),
      dedupe: coordination?.dedupe ?? createMemoryDeliveryDedupe(clock),
      writeBudget: coordination?.writeBudget ?? createMemoryWriteBudget({ clock, sleep: vt.sleep }),
      metrics,
      addRoute() {},
      onShutdown() {},
    };
    const runtime = createIncidentRuntime({
      app,
      deps,
      later: (ms, fn) => vt.at(clock.now() + ms, () => void fn()),
      // As in production with REDIS_URL: replicas re-read an issue before changing it.
      revalidate: REPLICAS > 1,
    });
    const route = alertmanagerRoute({
      token: TOKEN,
      logger: silentLogger,
      dedupe: deps.dedupe,
      accept: (p) => runtime.enqueue(p),
    });
    return { runtime, route };
  });
  for (const c of shared) {
    while (!(await c.isHealthy())) await new Promise((r) => setTimeout(r, 20));
  }
  const drainAll = () => Promise.all(fleet.map((r) => r.runtime.drain()));

  const acks: number[] = [];
  let refused = 0;
  let peakRss = process.memoryUsage().rss;
  let notifications = 0;
  // Each peer sends every group at every group interval while it changes, 15 s after the previous peer.
  for (const w of workloads) {
    const firstStart = Math.min(...w.alerts.map((a) => a.startsAt));
    let lastCount = -1;
    const ticks: number[] = [];
    for (let t = firstStart; t <= T0 + STORM_MS + GROUP_INTERVAL_MS; t += GROUP_INTERVAL_MS) {
      const count = w.alerts.filter((a) => a.startsAt <= t).length;
      if (count !== lastCount) ticks.push(t);
      lastCount = count;
    }
    ticks.push(T0 + RESOLVE_AT_MS + GROUP_INTERVAL_MS);
    for (const tick of ticks) {
      for (let peer = 0; peer < PEERS; peer++) {
        const at = tick + peer * PEER_DELAY_MS;
        vt.at(at, () => {
          const body = payload(w, tick, peer);
          const { route } = fleet[notifications % REPLICAS]!;
          notifications++;
          const t0 = performance.now();
          void callRoute(route, body).then((status) => {
            acks.push(performance.now() - t0);
            routeCalls++;
            if (status >= 300) refused++;
            peakRss = Math.max(peakRss, process.memoryUsage().rss);
          });
        });
      }
    }
  }
  // Run until every notification is processed and no deferred write is left (bounded: 12 virtual hours).
  await vt.run(T0 + RESOLVE_AT_MS + 10 * 60_000);
  while (vt.pending() > 0 && clock.now() < T0 + 12 * 3_600_000) await vt.run(clock.now() + 10 * 60_000);
  await drainAll();
  await Promise.all(shared.map((c) => c.close()));
  await redis?.stop();

  // Measured at the fake GitHub: writes per sliding 60 s window.
  const times = gh.writes.map((w) => w.at).sort((a, b) => a - b);
  let maxPer60 = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 60_000) j++;
    maxPer60 = Math.max(maxPer60, i - j + 1);
  }
  const sorted = [...acks].sort((a, b) => a - b);
  const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
  const opened = gh.writes.filter((w) => w.what === "create").length;
  const closed = gh.issues.filter((i) => i.state === "closed").length;
  // Nothing lost: every alert is a signal of exactly one incident, and resolved.
  const states = gh.issues.map((i) => parseIncidentState(i.body));
  const signals = states.reduce((n, s) => n + (s?.signals.length ?? 0) + (s?.signalOverflow ?? 0), 0);
  const keys = new Set(gh.issues.map((i) => parseMarker(i.body, "incident")));
  const lastWriteS = ((times.at(-1) ?? T0) - T0) / 1000;
  const backlog = fleet.reduce((n, r) => n + r.runtime.backlog, 0);
  log(`notifications=${notifications} refused=${refused} acks=${acks.length} backlog=${backlog}`);
  log(
    `issues opened=${opened} distinct keys=${keys.size} closed=${closed} signals recorded=${signals}/${ALERTS}`,
  );
  const storm = gh.issues.find((i) => i.labels.includes("incident-storm"));
  if (storm) log(`new-issue limit reached: summary issue #${storm.number} "${storm.title}"`);
  log(
    `writes: create=${opened} update=${gh.writes.filter((w) => w.what === "update").length} comment=${gh.writes.filter((w) => w.what === "comment").length}; last write at t=${lastWriteS}s (virtual)`,
  );
  log(
    `writes per alert=${(gh.writes.length / ALERTS).toFixed(4)}; ack p50=${sorted[Math.floor(sorted.length / 2)]?.toFixed(2)} ms (wall clock)`,
  );
  const replicas = REPLICAS > 1 ? `replicas=${REPLICAS} ` : "";
  return `storm: ${replicas}alerts=${ALERTS} issues=${opened} max_writes_per_60s=${maxPer60} writes=${gh.writes.length} ack_p99_ms=${Math.round(p99)} rss_mb=${Math.round(peakRss / 1024 / 1024)}`;
}
