import { readFileSync } from "node:fs";
import type { Context, Probot } from "probot";
import { resolveBotLogin } from "../adapters/github/approval-bot-login.js";
import { createGitHubPermissions } from "../adapters/github/approval-permissions.js";
import { createGitHubPullRequestReader } from "../adapters/github/approval-pull-request.js";
import { loadApprovalTemplates } from "../adapters/github/approval-templates.js";
import { createGitHubChangeRequests } from "../adapters/github/change-requests.js";
import { createGitHubConversation } from "../adapters/github/comments.js";
import { createDashboardScheduler } from "../adapters/github/dashboard-scheduler.js";
import { createGitHubDashboardSource } from "../adapters/github/dashboard-source.js";
import {
  createGitHubAutomationSwitch,
  createGitHubDashboardStore,
  pauseCacheFor,
} from "../adapters/github/dashboard-store.js";
import { createGitHubGitData, type GitHubOctokit } from "../adapters/github/git-data.js";
import { loadRepoConfig } from "../adapters/github/load-repo-config.js";
import { BlobCache, createGitHubRepoSnapshot } from "../adapters/github/repo-snapshot.js";
import { createGitHubTeamDirectory, createTeamMembershipCache } from "../adapters/github/team-membership.js";
import { createWriteQueue } from "../adapters/github/write-queue.js";
import type { AppDeps } from "../app-deps.js";
import type { MedicConfig } from "../core/config/medic-config.js";
import { DASHBOARD_MARKER_KIND } from "../core/dashboard/render-dashboard.js";
import { parseMarker } from "../core/markdown/parse-marker.js";
import { parseDuration } from "../core/util/duration.js";
import { handleDashboardEdit } from "../workflows/handle-dashboard-edit.js";
import { discardAuditSink } from "../workflows/ports/audit-sink.js";
import type { AutomationSwitch } from "../workflows/ports/automation-switch.js";
import { type CommandActions, createMemoryCommandRateLimit } from "../workflows/ports/commands.js";
import { proposeTuning } from "../workflows/propose-tuning.js";
import { runCommand } from "../workflows/run-command.js";
import { updateDashboard } from "../workflows/update-dashboard.js";
import { createApprovalEvaluator, type ReevaluateApproval } from "./approval.js";

type RepoRef = { owner: string; repo: string };

export interface DashboardHandle {
  /** Runs the scheduled (coalesced) dashboard updates now. */
  flush(): Promise<void>;
  /** The kill switch of a repository, for other handlers (remediation, rollout, checks). */
  automationSwitch(octokit: GitHubOctokit, repo: RepoRef, label?: string): AutomationSwitch;
}

/**
 * The operations dashboard: one issue per repository, updated (coalesced) after incident, PR and command
 * events, and person edits of its checkboxes processed like slash commands.
 */
export function registerDashboard(
  app: Probot,
  deps: AppDeps,
  opts: { actions?: CommandActions; delayMs?: number; reevaluate?: ReevaluateApproval } = {},
): DashboardHandle {
  const template = readFileSync(new URL("../../templates/dashboard.md", import.meta.url), "utf8");
  const tuningTemplate = readFileSync(new URL("../../templates/tuning-pr.md", import.meta.url), "utf8");
  const pauseCache = pauseCacheFor(app);
  const teamCache = createTeamMembershipCache({ ttlMs: 60_000, now: () => deps.clock.now() });
  const blobs = new BlobCache();
  const delays = new Map<string, number>();
  const scheduler = createDashboardScheduler({
    delayMs: (key) => opts.delayMs ?? delays.get(key) ?? 30_000,
    onError: (key, err) => deps.logger.error({ repo: key, err: String(err) }, "dashboard update failed"),
  });
  deps.onShutdown(() => scheduler.flush());
  const reevaluate = opts.reevaluate ?? createApprovalEvaluator(app, deps);

  const queueFor = (installation: number) =>
    createWriteQueue({
      budget: deps.writeBudget,
      scope: `installation:${installation}`,
      clock: deps.clock,
      logger: deps.logger,
    });

  const parts = async (context: Context, config: MedicConfig) => {
    const repo = context.repo();
    const payload = context.payload as {
      installation?: { id: number };
      repository: { default_branch: string };
    };
    const installation = payload.installation?.id ?? 0;
    const botLogin = await resolveBotLogin(app);
    const queue = queueFor(installation);
    const store = createGitHubDashboardStore({
      octokit: context.octokit,
      repo,
      queue,
      botLogin,
      label: config.dashboard.label,
    });
    const source = createGitHubDashboardSource({
      octokit: context.octokit,
      repo,
      botLogin,
      defaultBranch: payload.repository.default_branch,
    });
    return { repo, installation, botLogin, queue, store, source };
  };

  // No API call per event: the config is read once per coalesced update (an alert storm is many events).
  const scheduleUpdate = async (context: Context) => {
    const repo = context.repo();
    const key = `${repo.owner}/${repo.repo}`;
    scheduler.schedule(key, async () => {
      const loaded = await loadRepoConfig(context);
      if (!loaded.ok || !loaded.config.dashboard.enabled) return;
      delays.set(key, parseDuration(loaded.config.dashboard.coalesce) ?? 30_000);
      const p = await parts(context, loaded.config);
      await deps.lock.withLock(`dashboard:${key}`, async () => {
        const res = await updateDashboard(
          { store: p.store, source: p.source, clock: deps.clock, logger: deps.logger, template },
          { repo: key, config: loaded.config },
        );
        deps.logger.info({ repo: key, result: res.kind }, "dashboard update");
      });
    });
  };

  app.on(
    ["issues.opened", "issues.closed", "issues.reopened", "issues.labeled", "issues.unlabeled"],
    async (context) => {
      const labels = (context.payload.issue.labels ?? []).map((l) => l?.name);
      if (labels.includes("incident") || labels.includes("revert") || labels.includes("medic"))
        await scheduleUpdate(context);
    },
  );
  app.on(
    ["pull_request.opened", "pull_request.closed", "pull_request.reopened", "pull_request.synchronize"],
    async (context) => {
      if (context.payload.pull_request.labels.some((l) => l.name === "medic")) await scheduleUpdate(context);
    },
  );
  app.on("issue_comment.created", async (context) => {
    // Commands and their records on the bot's PRs change what the dashboard shows (approvals, holds).
    const issue = context.payload.issue;
    if (issue.pull_request && issue.labels.some((l) => l?.name === "medic")) await scheduleUpdate(context);
  });

  app.on("issues.edited", async (context) => {
    const { payload } = context;
    const botLogin = await resolveBotLogin(app);
    const issue = payload.issue;
    const repoName = `${payload.repository.owner.login}/${payload.repository.name}`;
    // Cheap exits: not the bot's dashboard, or a bot's edit (our own rewrites come back as edits too).
    if (issue.user?.login !== botLogin) return;
    if (payload.sender.type === "Bot" || payload.sender.login === botLogin) return;
    const from = payload.changes?.body?.from;
    if (typeof from !== "string") return;
    // The bot's version decides: a person who deletes the marker in the same edit gets it rendered back.
    if (parseMarker(from, DASHBOARD_MARKER_KIND) !== repoName) return;
    if (!(await deps.dedupe.firstSeen(`dashboard-edit:${context.id}`, 3_600_000))) return;
    const loaded = await loadRepoConfig(context);
    if (!loaded.ok) return;
    const config = loaded.config;
    const p = await parts(context, config);
    const beforeWrite = () => deps.writeBudget.acquire(`installation:${p.installation}`);
    const permissions = createGitHubPermissions(
      context.octokit,
      p.repo,
      createGitHubTeamDirectory(context.octokit, teamCache),
    );
    const conversation = createGitHubConversation(context.octokit, p.repo, beforeWrite);
    const limiter = createMemoryCommandRateLimit({
      limit: config.commands.rateLimit.perUser,
      windowMs: parseDuration(config.commands.rateLimit.window) ?? 60_000,
      now: () => deps.clock.now(),
    });
    const ref = p.repo;
    const write = p.queue.run.bind(p.queue);
    const git = createGitHubGitData(context.octokit, ref, write);
    await deps.lock.withLock(`dashboard:${repoName}`, async () => {
      await handleDashboardEdit(
        {
          store: p.store,
          permissions,
          clock: deps.clock,
          logger: deps.logger,
          botLogin,
          runCommand: (pr, text, actor, commentId) =>
            deps.lock.withLock(`commands:${repoName}#${pr}`, () =>
              runCommand(
                {
                  // A checkbox has no comment to react to: reactions are skipped, replies go to the PR.
                  conversation: { ...conversation, react: async () => {} },
                  permissions,
                  rateLimit: limiter,
                  actions: opts.actions ?? {},
                  pulls: createGitHubPullRequestReader(context.octokit, ref),
                  reevaluate: (n) => reevaluate(context, n),
                  logger: deps.logger,
                  botLogin,
                  template: loadApprovalTemplates().commandReply,
                  // The same Evidence record as a typed command.
                  audit: deps.audit ?? discardAuditSink,
                  clock: deps.clock,
                },
                config,
                {
                  owner: ref.owner,
                  repo: ref.repo,
                  number: pr,
                  place: "pull_request",
                  action: "created",
                  comment: { id: commentId, body: text, author: { login: actor, type: "User" } },
                },
              ),
            ),
          proposeTuning: (proposalId, actor) =>
            proposeTuning(
              {
                changeRequests: createGitHubChangeRequests(context.octokit, ref, git, write),
                openSnapshot: () => createGitHubRepoSnapshot(git, payload.repository.default_branch, blobs),
                source: p.source,
                automation: createGitHubAutomationSwitch(p.store, repoName, pauseCache, () =>
                  deps.clock.now(),
                ),
                config,
                clock: deps.clock,
                logger: deps.logger,
                bot: { login: botLogin },
                template: tuningTemplate,
              },
              { proposalId, requester: actor },
            ),
          refresh: async (state, current) => {
            pauseCache.set(repoName, deps.clock.now(), {
              paused: state.paused,
              ...(state.pausedBy ? { by: state.pausedBy } : {}),
              ...(state.pausedAt ? { at: state.pausedAt } : {}),
            });
            await updateDashboard(
              { store: p.store, source: p.source, clock: deps.clock, logger: deps.logger, template },
              { repo: repoName, config, state, current: { ...current, body: "" } },
            );
          },
        },
        {
          issue: { number: issue.number, url: issue.html_url, body: issue.body ?? "" },
          before: from,
          sender: { login: payload.sender.login, type: payload.sender.type },
          delivery: context.id,
        },
      );
    });
  });

  return {
    flush: () => scheduler.flush(),
    automationSwitch(octokit, repo, label = "medic:dashboard") {
      const name = `${repo.owner}/${repo.repo}`;
      return createGitHubAutomationSwitch(
        {
          find: async () => {
            const botLogin = await resolveBotLogin(app);
            return createGitHubDashboardStore({ octokit, repo, queue: queueFor(0), botLogin, label }).find();
          },
        },
        name,
        pauseCache,
        () => deps.clock.now(),
      );
    },
  };
}
