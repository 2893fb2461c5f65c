import type { Context, Probot } from "probot";
import { resolveBotLogin } from "../adapters/github/approval-bot-login.js";
import { createGitHubApprovalCheck } from "../adapters/github/approval-check.js";
import { createGitHubPullRequestReader } from "../adapters/github/approval-pull-request.js";
import { loadApprovalTemplates } from "../adapters/github/approval-templates.js";
import { createGitHubConversation } from "../adapters/github/comments.js";
import { createDashboardAutomationSwitch, pauseCacheFor } from "../adapters/github/dashboard-store.js";
import { loadRepoConfig } from "../adapters/github/load-repo-config.js";
import { createGitHubTeamDirectory, createTeamMembershipCache } from "../adapters/github/team-membership.js";
import type { AppDeps } from "../app-deps.js";
import { appendAuditBlock } from "../core/audit/append-audit-block.js";
import { describeConfigError } from "../core/config/medic-config.js";
import { evaluateApproval } from "../workflows/evaluate-approval.js";
import { APPROVAL_CHECK_NAME } from "../workflows/ports/approvals.js";
import { type AuditEntry, discardAuditSink } from "../workflows/ports/audit-sink.js";

type AnyContext = Pick<Context, "octokit" | "config" | "repo" | "payload">;

/** Re-evaluates `medic/approval` for one PR; shared with the command handler (after /approve, /hold…). */
export type ReevaluateApproval = (context: AnyContext, number: number) => Promise<void>;

/** Builds the evaluator: config from the default branch, adapters over the event's octokit, one PR at a time. */
export function createApprovalEvaluator(app: Probot, deps: AppDeps): ReevaluateApproval {
  const cache = createTeamMembershipCache({ ttlMs: 60_000, now: () => deps.clock.now() });
  const reevaluate: ReevaluateApproval = async (context, number) => {
    const repo = context.repo();
    await deps.lock.withLock(`approval:${repo.owner}/${repo.repo}#${number}`, async () => {
      const installation = (context.payload as { installation?: { id: number } }).installation?.id ?? 0;
      const beforeWrite = () => deps.writeBudget.acquire(`installation:${installation}`);
      const pulls = createGitHubPullRequestReader(context.octokit, repo);
      // The kill switch: while on, the check says "automation paused".
      const automation = createDashboardAutomationSwitch({
        octokit: context.octokit,
        repo,
        botLogin: await resolveBotLogin(app),
        cache: pauseCacheFor(app),
        now: () => deps.clock.now(),
      });
      const check = createGitHubApprovalCheck(context.octokit, repo, beforeWrite, automation);
      const loaded = await loadRepoConfig(context);
      // The delivery that triggered this run (a command's comment event when re-evaluated after /approve).
      const deliveryId = (context as { id?: string }).id;
      if (!loaded.ok) {
        // Fail closed: without a readable config the gate cannot know its teams.
        const pr = await pulls.get(number);
        const title = "Invalid .github/medic.yml: approval cannot be evaluated";
        const record: AuditEntry = {
          v: 1,
          at: new Date(deps.clock.now()).toISOString(),
          actor: { kind: "bot", login: await resolveBotLogin(app) },
          action: "approval.evaluated",
          reason: title,
          ...(deliveryId ? { deliveryId } : {}),
          subject: { kind: "pull_request", repo: `${repo.owner}/${repo.repo}`, number },
          shas: { head: pr.headSha },
          inputs: { config: { file: loaded.file, field: loaded.field } },
          outcome: { status: "refused", detail: describeConfigError(loaded) },
        };
        (deps.audit ?? discardAuditSink).record(record);
        await check.publish({
          headSha: pr.headSha,
          conclusion: "failure",
          title,
          summary: appendAuditBlock(describeConfigError(loaded), record),
        });
        return;
      }
      const ttlMs = loaded.config.approval.membershipCacheSeconds * 1000;
      const teams = createGitHubTeamDirectory(
        context.octokit,
        ttlMs >= 60_000 ? cache : createTeamMembershipCache({ ttlMs, now: () => deps.clock.now() }),
      );
      await evaluateApproval(
        {
          pulls,
          conversation: createGitHubConversation(context.octokit, repo, beforeWrite),
          teams,
          check,
          logger: deps.logger,
          botLogin: await resolveBotLogin(app),
          template: loadApprovalTemplates().check,
          audit: deps.audit ?? discardAuditSink,
          clock: deps.clock,
          repo: `${repo.owner}/${repo.repo}`,
          ...(deliveryId ? { deliveryId } : {}),
        },
        loaded.config.approval,
        number,
      );
    });
  };
  return reevaluate;
}

/**
 * `medic/approval` is re-evaluated whenever one of its inputs changes: a push, reopen or ready-for-review
 * (head SHA), an edited body (requester marker), a review submitted, dismissed or edited, and a re-run
 * requested from the checks UI for the run or its suite (also the "merge-time" re-check).
 */
export function registerApproval(app: Probot, deps: AppDeps): ReevaluateApproval {
  const reevaluate = createApprovalEvaluator(app, deps);
  app.on(
    [
      "pull_request.opened",
      "pull_request.reopened",
      "pull_request.synchronize",
      "pull_request.ready_for_review",
      "pull_request.edited",
    ],
    async (context) => reevaluate(context, context.payload.pull_request.number),
  );
  app.on(
    ["pull_request_review.submitted", "pull_request_review.dismissed", "pull_request_review.edited"],
    async (context) => reevaluate(context, context.payload.pull_request.number),
  );
  app.on("check_run.rerequested", async (context) => {
    if (context.payload.check_run.name !== APPROVAL_CHECK_NAME) return;
    for (const pr of context.payload.check_run.pull_requests) await reevaluate(context, pr.number);
  });
  // "Re-run all checks" re-requests the whole suite.
  app.on("check_suite.rerequested", async (context) => {
    for (const pr of context.payload.check_suite.pull_requests) await reevaluate(context, pr.number);
  });
  return reevaluate;
}
