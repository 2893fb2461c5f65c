import type { Logger as PinoLogger } from "pino";
import { ProbotOctokit } from "probot";
import { createGitHubAuditSink } from "../adapters/github/audit-sink.js";
import { createMetrics, type Metrics } from "../adapters/metrics/create-metrics.js";
import type { AppDeps } from "../app-deps.js";
import type { EnvConfig } from "../core/config/env-config.js";
import { githubWebhookRoute } from "../handlers/github-webhook.js";
import { healthzRoute, type ReadinessCheck, readyzRoute } from "../handlers/health.js";
import { metricsRoute } from "../handlers/metrics.js";
import { medicApp } from "../index.js";
import type { Clock } from "../workflows/ports/clock.js";
import type { DeliveryDedupe, KeyedLock, WriteBudget } from "../workflows/ports/coordination.js";
import { buildProbot } from "./build-probot.js";
import { createHttpServer } from "./create-http-server.js";

export interface Coordination {
  lock: KeyedLock;
  dedupe: DeliveryDedupe;
  writeBudget: WriteBudget;
  /** Whether the shared store is usable (Redis); always true in memory. */
  isHealthy(): Promise<boolean>;
  close(): Promise<void>;
}

export interface StartServerOptions {
  env: EnvConfig;
  privateKey: string | undefined;
  log: PinoLogger;
  clock: Clock;
  coordination: Coordination;
  /** Tests pass an Octokit with retries and throttling off. */
  Octokit?: typeof ProbotOctokit;
  /** A metrics registry; a fresh one when unset. */
  metrics?: Metrics;
}

export interface RunningServer {
  port: number;
  probot: ReturnType<typeof buildProbot>;
  metrics: Metrics;
  /** Graceful shutdown: stop accepting, drain registered work within the bound, close stores. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Builds Probot, the routes and the app, then listens. Used by `medic serve` and the server tests. */
export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const { env, log, coordination } = opts;
  const metrics = opts.metrics ?? createMetrics();
  // Every octokit the app makes counts its GitHub calls and the rate limit left.
  const Octokit = (opts.Octokit ?? ProbotOctokit).plugin(metrics.octokitPlugin) as typeof ProbotOctokit;
  const probot = buildProbot({ env, privateKey: opts.privateKey, log, Octokit });
  const http = createHttpServer(log);
  const readiness: ReadinessCheck[] = [
    { name: "probot", check: async () => Boolean(await probot.ready()) },
    { name: "coordination", check: () => coordination.isHealthy() },
  ];
  const shutdownHooks: (() => Promise<void>)[] = [];
  // The ledger lives in the repository each record is about; that repository's installation writes it.
  const audit = createGitHubAuditSink({
    installationFor: async (fullName) => {
      const [owner, repo] = fullName.split("/") as [string, string];
      const { data } = await (await probot.auth()).request("GET /repos/{owner}/{repo}/installation", {
        owner,
        repo,
      });
      return { id: data.id, octokit: await probot.auth(data.id) };
    },
    writeBudget: coordination.writeBudget,
    clock: opts.clock,
    logger: log,
  });
  const deps: AppDeps = {
    env,
    clock: opts.clock,
    logger: log,
    lock: coordination.lock,
    dedupe: coordination.dedupe,
    writeBudget: coordination.writeBudget,
    metrics,
    audit,
    addRoute: (route) => http.addRoute(route),
    onShutdown: (fn) => shutdownHooks.push(fn),
  };
  http.addRoute(healthzRoute);
  http.addRoute(readyzRoute(() => readiness));
  http.addRoute(metricsRoute(metrics));
  http.addRoute(
    githubWebhookRoute({
      path: env.WEBHOOK_PATH,
      probot,
      secrets: [
        env.WEBHOOK_SECRET ?? "development",
        ...(env.WEBHOOK_SECRET_PREVIOUS ? [env.WEBHOOK_SECRET_PREVIOUS] : []),
      ],
      dedupe: coordination.dedupe,
      logger: log,
      metrics,
    }),
  );
  await probot.load(medicApp(deps));
  // Last hook: the other hooks drain work that may still record decisions.
  shutdownHooks.push(() => audit.close());
  await new Promise<void>((resolve, reject) => {
    http.server.once("error", reject);
    http.server.listen(env.PORT, env.HOST, () => resolve());
  });
  const address = http.server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  log.info({ port, host: env.HOST, webhookPath: env.WEBHOOK_PATH }, "gitops-medic listening");
  return {
    port,
    probot,
    metrics,
    async stop(timeoutMs = 20_000) {
      const deadline = opts.clock.now() + timeoutMs;
      const closing = http.close(timeoutMs);
      for (const hook of shutdownHooks) {
        const left = Math.max(0, deadline - opts.clock.now());
        await Promise.race([hook(), new Promise((r) => setTimeout(r, left).unref())]);
      }
      await closing;
      await coordination.close();
    },
  };
}
