import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Outcome of one received webhook delivery or Alertmanager notification. */
export type WebhookOutcome = "processed" | "duplicate" | "ignored" | "rejected" | "failed";

// Only the fields the hook reads; structural so that any Octokit (Probot's, a test's) fits.
interface RequestOptionsLike {
  method?: string;
  url?: string;
  baseUrl?: string;
}
interface ResponseLike {
  status: number;
  headers: Record<string, unknown>;
}
type RequestLike = (options: RequestOptionsLike) => Promise<ResponseLike>;
interface OctokitLike {
  hook: {
    // biome-ignore lint/suspicious/noExplicitAny: Octokit's hook types are generic over every route.
    wrap(name: "request", fn: (request: any, options: any) => Promise<any>): void;
  };
}

export interface Metrics {
  /** The registry `/metrics` serves (not prom-client's global one: tests and several apps stay apart). */
  registry: Registry;
  /** Webhook deliveries and alert notifications, by `event` (`issues`, `alertmanager`, …) and outcome. */
  webhooksReceived: Counter<"event" | "outcome">;
  incidentsOpened: Counter;
  incidentsClosed: Counter;
  /** Pull requests the bot opened, by `kind` (`remediation` | `revert`). */
  prsOpened: Counter<"kind">;
  /** Check runs completed, by `check` (`medic/policy`, `medic/approval`, …) and `conclusion`. */
  checksRun: Counter<"check" | "conclusion">;
  /** Slash commands, by `command` and `outcome` (`done` | `refused` | `invalid` | `failed`). */
  commands: Counter<"command" | "outcome">;
  /** GitHub API calls, by method, route template and status (`error` when no response). */
  githubRequests: Counter<"method" | "route" | "status">;
  githubRequestDuration: Histogram<"method">;
  /** `x-ratelimit-remaining` of the last response, by `x-ratelimit-resource` (`core`, `graphql`, …). */
  githubRateLimitRemaining: Gauge<"resource">;
  /** Responses that were a rate limit, by `kind` (`primary` | `secondary`). */
  githubRateLimited: Counter<"kind">;
  /** Work waiting in a queue, by `queue` (set by whoever owns the queue). */
  queueDepth: Gauge<"queue">;
  /** Unexpected errors, by `where` (a handler or workflow name). */
  errors: Counter<"where">;
  /**
   * Octokit plugin counting every GitHub call: `ProbotOctokit.plugin(metrics.octokitPlugin)`.
   * Reads only method, URL template, status and rate-limit headers, never auth headers.
   */
  octokitPlugin(octokit: OctokitLike): void;
}

/** A fresh registry with the app's metrics and Node's process metrics, all prefixed `medic_`. */
export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: "medic_" });
  const registers = [registry];
  const githubRequests = new Counter({
    name: "medic_github_requests_total",
    help: "GitHub API calls by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    registers,
  });
  const githubRequestDuration = new Histogram({
    name: "medic_github_request_duration_seconds",
    help: "GitHub API call latency",
    labelNames: ["method"] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const githubRateLimitRemaining = new Gauge({
    name: "medic_github_rate_limit_remaining",
    help: "x-ratelimit-remaining of the latest GitHub response, by resource",
    labelNames: ["resource"] as const,
    registers,
  });
  const githubRateLimited = new Counter({
    name: "medic_github_rate_limited_total",
    help: "GitHub responses that were a primary or secondary rate limit",
    labelNames: ["kind"] as const,
    registers,
  });

  const record = (
    options: RequestOptionsLike,
    status: string,
    headers: Record<string, unknown> | undefined,
    startedAt: number,
  ) => {
    const method = (options.method ?? "GET").toUpperCase();
    githubRequests.inc({ method, route: routeTemplate(options.url ?? ""), status });
    githubRequestDuration.observe({ method }, (performance.now() - startedAt) / 1000);
    const remaining = Number(headers?.["x-ratelimit-remaining"]);
    if (headers && Number.isFinite(remaining)) {
      githubRateLimitRemaining.set(
        { resource: String(headers["x-ratelimit-resource"] ?? "core") },
        remaining,
      );
    }
    if (status === "403" || status === "429") {
      if (remaining === 0) githubRateLimited.inc({ kind: "primary" });
      else if (headers?.["retry-after"] !== undefined || status === "429")
        githubRateLimited.inc({ kind: "secondary" });
    }
  };

  return {
    registry,
    webhooksReceived: new Counter({
      name: "medic_webhooks_received_total",
      help: "Webhook deliveries and alert notifications received, by event and outcome",
      labelNames: ["event", "outcome"] as const,
      registers,
    }),
    incidentsOpened: new Counter({
      name: "medic_incidents_opened_total",
      help: "Incident issues opened",
      registers,
    }),
    incidentsClosed: new Counter({
      name: "medic_incidents_closed_total",
      help: "Incident issues closed",
      registers,
    }),
    prsOpened: new Counter({
      name: "medic_pull_requests_opened_total",
      help: "Pull requests opened by the bot, by kind",
      labelNames: ["kind"] as const,
      registers,
    }),
    checksRun: new Counter({
      name: "medic_checks_run_total",
      help: "Check runs completed, by check name and conclusion",
      labelNames: ["check", "conclusion"] as const,
      registers,
    }),
    commands: new Counter({
      name: "medic_commands_total",
      help: "Slash commands handled, by command and outcome",
      labelNames: ["command", "outcome"] as const,
      registers,
    }),
    githubRequests,
    githubRequestDuration,
    githubRateLimitRemaining,
    githubRateLimited,
    queueDepth: new Gauge({
      name: "medic_queue_depth",
      help: "Work items waiting, by queue",
      labelNames: ["queue"] as const,
      registers,
    }),
    errors: new Counter({
      name: "medic_errors_total",
      help: "Unexpected errors, by where they happened",
      labelNames: ["where"] as const,
      registers,
    }),
    octokitPlugin(octokit) {
      octokit.hook.wrap("request", async (request: RequestLike, options: RequestOptionsLike) => {
        const startedAt = performance.now();
        try {
          const response = await request(options);
          record(options, String(response.status), response.headers, startedAt);
          return response;
        } catch (err) {
          const e = err as { status?: number; response?: ResponseLike };
          // Octokit reports a network failure as status 500 without a response: that is no 500.
          record(
            options,
            e.response && e.status ? String(e.status) : "error",
            e.response?.headers,
            startedAt,
          );
          throw err;
        }
      });
    },
  };
}

/**
 * A bounded label for a request URL: Octokit's route template when there is one
 * (`/repos/{owner}/{repo}/issues`), otherwise the path with owner, repo, numbers and SHAs replaced,
 * so that a label never names a repository or carries a query string.
 */
export function routeTemplate(url: string): string {
  const path = url
    .replace(/^[a-z]+:\/\/[^/]+/i, "")
    .replace(/[?#].*$/, "")
    .replace(/\/api\/v3(?=\/)/, "");
  if (path.includes("{")) return path;
  return path
    .replace(/^\/repos\/[^/]+\/[^/]+/, "/repos/{owner}/{repo}")
    .replace(/^\/(orgs|users)\/[^/]+/, "/$1/{name}")
    .replace(/\/[0-9a-f]{40}(?=\/|$)/g, "/{sha}")
    .replace(/\/\d+(?=\/|$)/g, "/{id}")
    .replace(/\/(git\/(?:refs|ref|matching-refs)|contents|branches)\/.+$/, "/$1/{path}");
}
