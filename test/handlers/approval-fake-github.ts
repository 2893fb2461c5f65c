import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { createMemoryAuditSink, type MemoryAuditSink } from "../../src/adapters/memory/audit-sink.js";
import { createMemoryDeliveryDedupe } from "../../src/adapters/memory/create-memory-delivery-dedupe.js";
import { createMemoryKeyedLock } from "../../src/adapters/memory/create-memory-keyed-lock.js";
import { createMetrics } from "../../src/adapters/metrics/create-metrics.js";
import type { AppDeps } from "../../src/app-deps.js";
import { parseEnvConfig } from "../../src/core/config/env-config.js";
import { manualClock } from "../../src/workflows/ports/clock.js";
import { silentLogger } from "../../src/workflows/ports/logger.js";
import { testLogger, testPrivateKey } from "../helpers/probot.js";

export const REPO = "/repos/Codertocat/Hello-World";
export const BASE_SHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
export const MERGE_BASE = "9999999999999999999999999999999999999999";
export const H1 = "1111111111111111111111111111111111111111";
export const H2 = "2222222222222222222222222222222222222222";
export const BOT_LOGIN = "gitops-medic[bot]";
const BOT = { login: BOT_LOGIN, id: 9000001, type: "Bot" };

export interface FakeComment {
  id: number;
  user: { login: string; type: string };
  body: string;
  created_at: string;
}

/** The state of one repository and PR #2, mutable between deliveries, served by nock. */
export interface FakeState {
  headSha: string;
  body: string;
  config: string;
  codeowners: string | null;
  files: { filename: string; status: string; previous_filename?: string }[];
  /** Text by revision then path. */
  contents: Record<string, Record<string, string>>;
  reviews: {
    id: number;
    user: { login: string; type: string };
    state: string;
    commit_id: string;
    submitted_at: string;
  }[];
  comments: FakeComment[];
  commits: {
    sha: string;
    author: { login: string; type: string } | null;
    committer: { login: string; type: string } | null;
  }[];
  teams: Record<string, string[]>;
  /** Pending (invited) members: listed with state "pending". */
  pendingMembers?: Record<string, string[]>;
  roles: Record<string, { permission: string; role_name: string }>;
  /** Logins in the head branch's push activity. */
  pushes: string[];
  // What the bot wrote.
  checkRuns: Record<string, unknown>[];
  posted: { body: string }[];
  reactions: { commentId: number; content: string }[];
  /** GitHub calls by "METHOD path" for counting. */
  calls: string[];
}

export function fakeState(over: Partial<FakeState> = {}): FakeState {
  return {
    headSha: H1,
    body: "",
    config: "approval:\n  securityTeams: [acme/security]\n  overrideUsers: [olga]\n",
    codeowners: "* @acme/platform\n/apps/ @acme/security\n",
    files: [],
    contents: {},
    reviews: [],
    comments: [],
    commits: [{ sha: H1, author: BOT, committer: BOT }],
    teams: { "acme/security": ["sam", "sid", "rita"] },
    roles: {},
    pushes: ["gitops-medic[bot]"],
    checkRuns: [],
    posted: [],
    reactions: [],
    calls: [],
    ...over,
  };
}

const b64 = (t: string) => Buffer.from(t).toString("base64");

/** Serves `state` on https://api.github.com; every read is persistent, every write is recorded. */
export function serveFakeGitHub(state: FakeState): nock.Scope {
  const log = (m: string, p: string) => state.calls.push(`${m} ${p.split("?")[0]}`);
  let commentSeq = 880_000;
  return nock("https://api.github.com")
    .persist()
    .post("/app/installations/4242/access_tokens")
    .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" })
    .get("/app")
    .reply(200, { id: 1, slug: "gitops-medic", name: "gitops-medic" })
    .get(/\/repos\/Codertocat\/(Hello-World|\.github)\/contents\/.*/)
    .reply(function (uri) {
      log("GET", uri);
      const url = new URL(uri, "https://api.github.com");
      const repo = url.pathname.split("/")[3];
      const path = decodeURIComponent(url.pathname.split("/contents/")[1] ?? "");
      const ref = url.searchParams.get("ref");
      let text: string | null | undefined;
      if (repo !== "Hello-World") text = null;
      else if (ref === null && path === ".github/medic.yml") text = state.config;
      else if (ref === "master" && path === ".github/CODEOWNERS") text = state.codeowners;
      else if (ref) text = state.contents[ref]?.[path];
      if (text === null || text === undefined) return [404, { message: "Not Found" }];
      // Probot's config plugin asks for the raw media type.
      if (String(this.req.headers["accept"]).includes("raw")) return [200, text];
      return [200, { type: "file", encoding: "base64", size: text.length, content: b64(text), path }];
    })
    .get(`${REPO}/pulls/2`)
    .reply((uri) => {
      log("GET", uri);
      return [
        200,
        {
          number: 2,
          state: "open",
          merged: false,
          user: BOT,
          body: state.body,
          head: {
            ref: "medic/scale-down/shop",
            sha: state.headSha,
            repo: { full_name: "Codertocat/Hello-World" },
          },
          base: { ref: "master", sha: BASE_SHA },
        },
      ];
    })
    .get(/\/repos\/Codertocat\/Hello-World\/compare\/.*/)
    .reply((uri) => {
      log("GET", uri);
      return [200, { merge_base_commit: { sha: MERGE_BASE }, files: [] }];
    })
    .get(`${REPO}/activity`)
    .query(true)
    .reply((uri) => {
      log("GET", uri);
      return [
        200,
        state.pushes.map((login, i) => ({
          id: i + 1,
          activity_type: "push",
          ref: "refs/heads/medic/scale-down/shop",
          actor: { login, type: "User" },
        })),
      ];
    })
    .get(`${REPO}/pulls/2/files`)
    .query(true)
    .reply((uri) => {
      log("GET", uri);
      return [200, state.files];
    })
    .get(`${REPO}/pulls/2/reviews`)
    .query(true)
    .reply((uri) => {
      log("GET", uri);
      return [200, state.reviews];
    })
    .get(`${REPO}/pulls/2/commits`)
    .query(true)
    .reply((uri) => {
      log("GET", uri);
      return [200, state.commits];
    })
    .get(/\/repos\/Codertocat\/Hello-World\/issues\/\d+\/comments/)
    .reply((uri) => {
      log("GET", uri);
      return [200, state.comments];
    })
    .post(/\/repos\/Codertocat\/Hello-World\/issues\/\d+\/comments/)
    .reply((uri, body) => {
      log("POST", uri);
      const text = (body as { body: string }).body;
      state.posted.push({ body: text });
      const c = {
        id: ++commentSeq,
        user: BOT,
        body: text,
        created_at: new Date(Date.UTC(2026, 10, 27, 12, 0, state.posted.length)).toISOString(),
      };
      state.comments.push(c);
      return [201, c];
    })
    .post(/\/repos\/Codertocat\/Hello-World\/issues\/comments\/\d+\/reactions/)
    .reply((uri, body) => {
      log("POST", uri);
      state.reactions.push({
        commentId: Number(uri.split("/")[6]),
        content: (body as { content: string }).content,
      });
      return [201, { id: 1, content: (body as { content: string }).content }];
    })
    .get(/\/repos\/Codertocat\/Hello-World\/commits\/[0-9a-f]{40}\/check-runs/)
    .reply((uri) => {
      log("GET", uri);
      // Every run the bot writes is completed, so there is never one to finish in place.
      return [200, { total_count: 0, check_runs: [] }];
    })
    .post(`${REPO}/check-runs`)
    .reply((uri, body) => {
      log("POST", uri);
      state.checkRuns.push(body as Record<string, unknown>);
      return [201, { id: state.checkRuns.length }];
    })
    .get(/\/orgs\/acme\/teams\/[\w-]+\/memberships\/.*/)
    .reply((uri) => {
      log("GET", uri);
      const [, , org, , team, , login] = uri.split("/");
      const key = `${org}/${team}`;
      if (state.teams[key]?.includes(login!)) return [200, { state: "active", role: "member" }];
      if (state.pendingMembers?.[key]?.includes(login!)) return [200, { state: "pending", role: "member" }];
      return [404, { message: "Not Found" }];
    })
    .get(/\/repos\/Codertocat\/Hello-World\/collaborators\/[^/]+\/permission/)
    .reply((uri) => {
      log("GET", uri);
      const login = uri.split("/")[5]!;
      const r = state.roles[login];
      if (!r) return [404, { message: "Not Found" }];
      return [200, { permission: r.permission, role_name: r.role_name, user: { login } }];
    });
}

/** Real in-memory coordination and a manual clock: what handlers get from the server. */
export function testAppDeps(
  clockStart = "2026-11-27T12:00:00Z",
): AppDeps & { clock: ReturnType<typeof manualClock>; audit: MemoryAuditSink } {
  const env = parseEnvConfig({});
  if (!env.ok) throw new Error(env.message);
  const clock = manualClock(clockStart);
  return {
    env: env.env,
    clock,
    logger: silentLogger,
    lock: createMemoryKeyedLock(),
    dedupe: createMemoryDeliveryDedupe(clock),
    writeBudget: { async acquire() {}, async pauseUntil() {} },
    metrics: createMetrics({ defaultMetrics: false }),
    audit: createMemoryAuditSink(),
    addRoute() {},
    onShutdown() {},
  };
}

/** A deployment manifest with `replicas`. */
export function deployment(replicas: number): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: ${replicas}\n`;
}

/** A destructive PR: replicas 10 → 0 in apps/shop/web.yaml (head H1, later H2). */
export function destructivePr(state: FakeState): void {
  state.files = [{ filename: "apps/shop/web.yaml", status: "modified" }];
  state.contents[MERGE_BASE] = { "apps/shop/web.yaml": deployment(10) };
  state.contents[H1] = { "apps/shop/web.yaml": deployment(0) };
  state.contents[H2] = { "apps/shop/web.yaml": deployment(0) };
}

/**
 * A one-shot interceptor for the next `medic/approval` check run with exactly these fields (the summary
 * must contain each `summaryIncludes` text). Define it before `serveFakeGitHub` so it is matched first;
 * the scope's `isDone()` then proves that exact check run was written.
 */
export function expectCheckRun(
  scope: nock.Scope,
  expected: { head_sha: string; conclusion: "success" | "failure"; title: string },
  summaryIncludes: string[] = [],
): nock.Scope {
  return scope
    .post(`${REPO}/check-runs`, (body: Record<string, unknown>) => {
      const output = body["output"] as { title?: string; summary?: string } | undefined;
      const keys = Object.keys(body).sort().join(",");
      return (
        keys === "conclusion,head_sha,name,output,status" &&
        body["name"] === "medic/approval" &&
        body["status"] === "completed" &&
        body["head_sha"] === expected.head_sha &&
        body["conclusion"] === expected.conclusion &&
        output?.title === expected.title &&
        summaryIncludes.every((t) => output.summary?.includes(t))
      );
    })
    .reply(201, { id: 1 });
}

/**
 * Like `createTestProbot()`, but throttling really off: Probot passes its own throttle options to every
 * instance, which override `defaults({ throttle: { enabled: false } })` (each write then waited ≥1 s).
 * A function default runs after Probot's and can switch it off for good.
 */
const UnthrottledOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options["throttle"] as object), enabled: false },
}));

export function createFastTestProbot(): Probot {
  return new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    secret: "test-secret",
    log: testLogger(),
    Octokit: UnthrottledOctokit,
  });
}
