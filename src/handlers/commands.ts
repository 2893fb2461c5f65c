import type { Probot } from "probot";
import { resolveBotLogin } from "../adapters/github/approval-bot-login.js";
import { createGitHubPermissions } from "../adapters/github/approval-permissions.js";
import { createGitHubPullRequestReader } from "../adapters/github/approval-pull-request.js";
import { loadApprovalTemplates } from "../adapters/github/approval-templates.js";
import { createGitHubConversation } from "../adapters/github/comments.js";
import { loadRepoConfig } from "../adapters/github/load-repo-config.js";
import { createGitHubTeamDirectory, createTeamMembershipCache } from "../adapters/github/team-membership.js";
import type { AppDeps } from "../app-deps.js";
import { parseComment } from "../core/commands/parse-comment.js";
import { describeConfigError } from "../core/config/medic-config.js";
import { parseDuration } from "../core/util/duration.js";
import { discardAuditSink } from "../workflows/ports/audit-sink.js";
import {
  type CommandActions,
  type CommandRateLimit,
  createMemoryCommandRateLimit,
} from "../workflows/ports/commands.js";
import { runCommand } from "../workflows/run-command.js";
import { createApprovalEvaluator, type ReevaluateApproval } from "./approval.js";

/**
 * Slash commands in newly created issue and PR comments. Edited comments are not subscribed to at all:
 * an edit never runs a command. `actions` are the commands other workflows carry out; a missing one is
 * answered with "not available yet". `reevaluate` re-runs `medic/approval` after /approve, /hold, /override.
 */
export function registerCommands(
  app: Probot,
  deps: AppDeps,
  actions: CommandActions = {},
  reevaluate: ReevaluateApproval = createApprovalEvaluator(app, deps),
): void {
  const cache = createTeamMembershipCache({ ttlMs: 60_000, now: () => deps.clock.now() });
  const limiters = new Map<string, CommandRateLimit>();
  app.on("issue_comment.created", async (context) => {
    const { payload } = context;
    // Cheap exits before any API call: bots, and comments with nothing for the bot in them.
    const place = payload.issue.pull_request ? "pull_request" : "issue";
    if ((payload.comment.user?.type as string | undefined) === "Bot") return;
    if (parseComment(payload.comment.body, place).kind === "ignore") return;
    const repo = context.repo();
    const loaded = await loadRepoConfig(context);
    const installation = payload.installation?.id ?? 0;
    const beforeWrite = () => deps.writeBudget.acquire(`installation:${installation}`);
    const conversation = createGitHubConversation(context.octokit, repo, beforeWrite);
    if (!loaded.ok) {
      await conversation.reply(
        payload.issue.number,
        `Commands are unavailable: ${describeConfigError(loaded)}`,
      );
      return;
    }
    const { perUser, window } = loaded.config.commands.rateLimit;
    const key = `${perUser}/${window}`;
    let limiter = limiters.get(key);
    if (!limiter) {
      limiter = createMemoryCommandRateLimit({
        limit: perUser,
        windowMs: parseDuration(window) ?? 60_000,
        now: () => deps.clock.now(),
      });
      limiters.set(key, limiter);
    }
    // One comment thread at a time: concurrent deliveries of the same comment see each other's reply.
    await deps.lock.withLock(`commands:${repo.owner}/${repo.repo}#${payload.issue.number}`, async () =>
      runCommand(
        {
          conversation,
          permissions: createGitHubPermissions(
            context.octokit,
            repo,
            createGitHubTeamDirectory(context.octokit, cache),
          ),
          rateLimit: limiter,
          actions,
          pulls: createGitHubPullRequestReader(context.octokit, repo),
          reevaluate: (n) => reevaluate(context, n),
          logger: deps.logger,
          botLogin: await resolveBotLogin(app),
          template: loadApprovalTemplates().commandReply,
          audit: deps.audit ?? discardAuditSink,
          clock: deps.clock,
        },
        loaded.config,
        {
          owner: repo.owner,
          repo: repo.repo,
          number: payload.issue.number,
          place,
          action: payload.action,
          deliveryId: context.id,
          comment: {
            id: payload.comment.id,
            body: payload.comment.body,
            author: {
              login: payload.comment.user?.login ?? "ghost",
              type: payload.comment.user?.type ?? "User",
            },
          },
        },
      ),
    );
  });
}
