import type { Context, Probot } from "probot";
import { resolveBotLogin } from "../adapters/github/approval-bot-login.js";
import { createGitHubChecks } from "../adapters/github/checks.js";
import { createDashboardAutomationSwitch, pauseCacheFor } from "../adapters/github/dashboard-store.js";
import { loadRepoConfig } from "../adapters/github/load-repo-config.js";
import { createGitHubPullRequestFiles } from "../adapters/github/pull-request-files.js";
import { bundledPoliciesDir, readYamlFiles } from "../adapters/local/read-yaml-files.js";
import type { AppDeps } from "../app-deps.js";
import type { TextFile } from "../core/policy/load-policies.js";
import { checkPolicies, POLICY_CHECK_NAME } from "../workflows/check-policies.js";
import { discardAuditSink } from "../workflows/ports/audit-sink.js";
import { withPauseNotice } from "../workflows/ports/automation-switch.js";

type AnyContext = Pick<Context, "octokit" | "config" | "repo" | "payload">;
interface PullRef {
  number: number;
  head: { sha: string };
  base: { ref: string; sha: string };
}

/**
 * `medic/policy` on pull requests: opened, synchronize, reopened, and a re-run requested from the checks UI
 * (check_suite or check_run rerequested). Policies and config come from the base / default branch only.
 */
export function registerPolicy(
  app: Probot,
  deps: AppDeps,
  opts: { bundled?: () => Promise<TextFile[]> } = {},
): void {
  let bundledCache: Promise<TextFile[]> | undefined;
  const bundled =
    opts.bundled ??
    (() => {
      bundledCache ??= readYamlFiles([bundledPoliciesDir()], bundledPoliciesDir(), { recursive: false }).then(
        (fs) => fs.map((f) => ({ ...f, file: `policies/${f.file}` })),
      );
      return bundledCache;
    });

  const run = async (context: AnyContext, pr: PullRef, headSha: string) => {
    const repo = context.repo();
    await deps.lock.withLock(`policy:${repo.owner}/${repo.repo}#${pr.number}`, async () => {
      const installation = (context.payload as { installation?: { id: number } }).installation?.id ?? 0;
      const beforeWrite = () => deps.writeBudget.acquire(`installation:${installation}`);
      const deliveryId = (context as { id?: string }).id;
      await checkPolicies(
        {
          files: createGitHubPullRequestFiles(context.octokit, repo),
          // The kill switch: while on, the check says "automation paused".
          checks: withPauseNotice(
            createGitHubChecks(context.octokit, repo, beforeWrite),
            createDashboardAutomationSwitch({
              octokit: context.octokit,
              repo,
              botLogin: await resolveBotLogin(app),
              cache: pauseCacheFor(app),
              now: () => deps.clock.now(),
            }),
          ),
          logger: deps.logger,
          audit: deps.audit ?? discardAuditSink,
          clock: deps.clock,
        },
        {
          pullNumber: pr.number,
          headSha,
          baseRef: pr.base.sha,
          config: await loadRepoConfig(context),
          bundled: await bundled(),
          repo: `${repo.owner}/${repo.repo}`,
          botLogin: await resolveBotLogin(app),
          ...(deliveryId ? { deliveryId } : {}),
        },
      );
    });
  };

  app.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"], async (context) => {
    const pr = context.payload.pull_request;
    await run(context, pr, pr.head.sha);
  });

  app.on("check_suite.rerequested", async (context) => {
    const suite = context.payload.check_suite;
    for (const pr of await pullsFor(context, suite.pull_requests, suite.head_sha))
      await run(context, pr, suite.head_sha);
  });

  app.on("check_run.rerequested", async (context) => {
    const check = context.payload.check_run;
    if (check.name !== POLICY_CHECK_NAME) return;
    for (const pr of await pullsFor(context, check.pull_requests, check.head_sha))
      await run(context, pr, check.head_sha);
  });
}

/**
 * The pull requests of a re-run. GitHub leaves `pull_requests` empty for fork pull requests, so those are
 * found among the open pull requests by head SHA.
 */
async function pullsFor(context: AnyContext, listed: PullRef[], headSha: string): Promise<PullRef[]> {
  if (listed.length > 0) return listed;
  const { data } = await context.octokit.rest.pulls.list({ ...context.repo(), state: "open", per_page: 100 });
  return data.filter((p) => p.head.sha === headSha);
}
