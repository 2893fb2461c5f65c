import { readFileSync } from "node:fs";
import type { Probot, ProbotOctokit } from "probot";
import type { AppDeps } from "../../app-deps.js";
import { describeConfigError, loadMedicConfig, MEDIC_CONFIG_PATH } from "../../core/config/medic-config.js";
import { IncidentsConfig } from "../../core/config/sections/incidents.js";
import type { AlertmanagerPayload } from "../../core/incident/alertmanager.js";
import type { IncidentTemplates } from "../../core/incident/incident-templates.js";
import { parseDuration } from "../../core/util/duration.js";
import {
  type AppendTimelineResult,
  appendIncidentTimeline,
  type TimelineNote,
} from "../../workflows/append-incident-timeline.js";
import type { IncidentWorkflowDeps, ResolvedIncidentsConfig } from "../../workflows/incident-deps.js";
import type { IncidentHooks } from "../../workflows/incident-hooks.js";
import { createIncidentIndex, type IncidentIndex } from "../../workflows/incident-index.js";
import { ingestAlerts } from "../../workflows/ingest-alerts.js";
import { createWorkQueue } from "../memory/create-work-queue.js";
import { createGitHubIncidentTracker } from "./incident-tracker.js";
import { createWriteQueue } from "./write-queue.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** Reads `templates/incident-*.md` shipped with the package (two levels above src/ and dist/ files). */
export function loadIncidentTemplates(
  root = new URL("../../../templates/", import.meta.url),
): IncidentTemplates {
  const read = (name: string) => readFileSync(new URL(name, root), "utf8");
  return {
    issue: read("incident-issue.md"),
    resolved: read("incident-resolved.md"),
    update: read("incident-update.md"),
    manual: read("incident-manual.md"),
  };
}

const CONFIG_TTL_MS = 5 * 60_000;
/** Notifications waiting for processing; beyond this the route answers 503 and Alertmanager retries. */
const MAX_PENDING = 2_000;
/** Attempts per notification when GitHub fails (Alertmanager already got its 2xx). */
const MAX_JOB_ATTEMPTS = 3;

export interface IncidentRuntimeOptions {
  app: Probot;
  deps: AppDeps;
  templates?: IncidentTemplates;
  hooks?: IncidentHooks;
  /** Timer for deferred body updates and job retries (virtual time in benchmarks). */
  later?: (ms: number, fn: () => Promise<void>) => void;
  /** Re-read each issue before changing it (several replicas); default: when `REDIS_URL` is set. */
  revalidate?: boolean;
}

/**
 * Everything the incident handlers share at run time: the installation octokit for each incident
 * repository (installation id looked up once and cached), one tracker, write queue and index per
 * repository, the repository's `.github/medic.yml` (cached), and the bounded processing queue.
 */
export function createIncidentRuntime(opts: IncidentRuntimeOptions) {
  const { app, deps } = opts;
  const logger = deps.logger;
  const templates = opts.templates ?? loadIncidentTemplates();
  const later =
    opts.later ??
    ((ms: number, fn: () => Promise<void>) => {
      setTimeout(
        () =>
          void fn().catch((err: Error) =>
            logger.error({ error: err.message }, "deferred incident work failed"),
          ),
        ms,
      ).unref();
    });
  const installations = new Map<string, Promise<{ id: number; octokit: Octokit }>>();
  const indexes = new Map<string, Promise<IncidentIndex>>();
  let botLogin: Promise<string | undefined> | undefined;
  let configCache: { at: number; value: ResolvedIncidentsConfig } | undefined;

  const installationFor = (fullName: string) => {
    let p = installations.get(fullName);
    if (!p) {
      const [owner, repo] = fullName.split("/") as [string, string];
      p = (async () => {
        const appOctokit = await app.auth();
        const { data } = await appOctokit.request("GET /repos/{owner}/{repo}/installation", { owner, repo });
        return { id: data.id, octokit: (await app.auth(data.id)) as Octokit };
      })();
      // A failed lookup (app not installed yet, GitHub down) is retried on the next notification.
      p.catch(() => installations.delete(fullName));
      installations.set(fullName, p);
    }
    return p;
  };
  const appBotLogin = () => {
    botLogin ??= (async () => {
      const { data } = await (await app.auth()).request("GET /app");
      return data?.slug ? `${data.slug}[bot]` : undefined;
    })().catch((err: Error) => {
      botLogin = undefined;
      throw err;
    });
    return botLogin;
  };

  let configLoading: Promise<ResolvedIncidentsConfig> | null = null;
  /** The cached config; concurrent callers share one read. */
  function loadConfig(): Promise<ResolvedIncidentsConfig> {
    if (configCache && deps.clock.now() - configCache.at < CONFIG_TTL_MS)
      return Promise.resolve(configCache.value);
    configLoading ??= readConfig().finally(() => {
      configLoading = null;
    });
    return configLoading;
  }

  async function readConfig(): Promise<ResolvedIncidentsConfig> {
    const now = deps.clock.now();
    const repoName = deps.env.INCIDENT_REPO!;
    const [owner, repo] = repoName.split("/") as [string, string];
    let value: ResolvedIncidentsConfig;
    try {
      const { octokit } = await installationFor(repoName);
      const { config } = await octokit.config.get({ owner, repo, path: MEDIC_CONFIG_PATH });
      const res = loadMedicConfig(config);
      value = res.ok
        ? { config: res.config.incidents }
        : { config: IncidentsConfig.parse({}), warning: `${describeConfigError(res)} — defaults used.` };
      if (!res.ok)
        logger.warn({ repo: repoName, field: res.field }, "invalid medic.yml; incident defaults used");
    } catch (err) {
      const status = (err as { status?: number }).status;
      // YAML the config plugin cannot parse is a config error; an outage keeps the last good config.
      if (status === undefined || status < 500) {
        value = {
          config: IncidentsConfig.parse({}),
          warning: `Invalid configuration in ${MEDIC_CONFIG_PATH}: ${(err as Error).message.split("\n")[0]} — defaults used.`,
        };
      } else if (configCache) {
        return configCache.value;
      } else throw err;
    }
    configCache = { at: now, value };
    return value;
  }

  const indexFor = (fullName: string): Promise<IncidentIndex> => {
    let p = indexes.get(fullName);
    if (!p) {
      p = (async () => {
        const [owner, repo] = fullName.split("/") as [string, string];
        const [{ id, octokit }, login, cfg] = await Promise.all([
          installationFor(fullName),
          appBotLogin(),
          loadConfig(),
        ]);
        const queue = createWriteQueue({
          budget: deps.writeBudget,
          scope: `installation:${id}`,
          clock: deps.clock,
          logger,
        });
        const tracker = createGitHubIncidentTracker({
          octokit,
          owner,
          repo,
          queue,
          logger,
          ...(login ? { botLogin: login } : {}),
        });
        return createIncidentIndex(tracker, {
          clock: deps.clock,
          logger,
          reopenWindowMs: parseDuration(cfg.config.reopenWindow) ?? 86_400_000,
          // Replicas sharing Redis write the same issues: re-read before each change.
          revalidate: opts.revalidate ?? Boolean(deps.env.REDIS_URL),
        });
      })();
      p.catch(() => indexes.delete(fullName));
      indexes.set(fullName, p);
    }
    return p;
  };

  const workflowDeps: IncidentWorkflowDeps = {
    clock: deps.clock,
    logger,
    lock: deps.lock,
    templates,
    defaultRepo: deps.env.INCIDENT_REPO ?? "",
    indexFor,
    config: loadConfig,
    later,
    ...(opts.hooks ? { hooks: opts.hooks } : {}),
    ...(deps.audit ? { audit: deps.audit } : {}),
  };

  const work = createWorkQueue({
    concurrency: 4,
    maxPending: MAX_PENDING,
    onError: (err) => logger.error({ error: (err as Error).message }, "alert processing failed"),
  });
  const processNotification = async (payload: AlertmanagerPayload, attempt: number): Promise<void> => {
    try {
      const { outcomes } = await ingestAlerts(workflowDeps, payload);
      for (const o of outcomes) {
        if (o.action === "open") deps.metrics?.incidentsOpened.inc();
        if (o.action === "resolve") deps.metrics?.incidentsClosed.inc();
      }
    } catch (err) {
      deps.metrics?.errors.inc({ where: "ingest-alerts" });
      const status = (err as { status?: number }).status;
      logger.error(
        { groupKey: payload.groupKey, attempt, status, error: (err as Error).message },
        "alert notification failed",
      );
      if (
        attempt < MAX_JOB_ATTEMPTS &&
        (status === undefined || status >= 500 || status === 403 || status === 429)
      ) {
        later(attempt * 15_000, async () => {
          if (!work.push(() => processNotification(payload, attempt + 1)))
            logger.error({ groupKey: payload.groupKey }, "alert retry dropped: queue full");
        });
      }
    }
  };

  return {
    workflowDeps,
    templates,
    indexFor,
    installationFor,
    /** Queues a validated notification; false when the queue is full. */
    enqueue(payload: AlertmanagerPayload): boolean {
      const ok = work.push(async () => {
        await processNotification(payload, 1);
        deps.metrics?.queueDepth.set({ queue: "alerts" }, work.size - 1);
      });
      deps.metrics?.queueDepth.set({ queue: "alerts" }, work.size);
      return ok;
    },
    /** Resolves when every queued notification was processed (shutdown, tests). */
    drain: () => work.idle(),
    get backlog(): number {
      return work.size;
    },
    /**
     * Adds a line to an incident's timeline (remediation PRs, rollout states): under the key's lock, the
     * body re-read, through the write queue. `repo` defaults to `INCIDENT_REPO`.
     */
    appendTimeline(
      key: string,
      note: TimelineNote,
      repo: string = deps.env.INCIDENT_REPO ?? "",
    ): Promise<AppendTimelineResult> {
      if (!repo) return Promise.resolve({ ok: false, reason: "INCIDENT_REPO is not set" });
      return appendIncidentTimeline(workflowDeps, repo, key, note);
    },
    /** Follows an incident issue a person closed or reopened, if its repository is indexed. */
    async markIssueState(
      fullName: string,
      number: number,
      state: "open" | "closed",
      at: number,
    ): Promise<void> {
      const p = indexes.get(fullName);
      if (p) (await p).markIssueState(number, state, at);
    },
  };
}

export type IncidentRuntime = ReturnType<typeof createIncidentRuntime>;
