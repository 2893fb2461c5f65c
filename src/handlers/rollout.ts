import { readFileSync } from "node:fs";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Context, Probot } from "probot";
import { createArgoReader } from "../adapters/argo/create-argo-reader.js";
import { resolveBotLogin } from "../adapters/github/approval-bot-login.js";
import { createGitHubChangeRequests } from "../adapters/github/change-requests.js";
import { createGitHubDeployments } from "../adapters/github/deployments.js";
import { createGitHubGitData, type GitHubOctokit } from "../adapters/github/git-data.js";
import { createGitHubIncidentTracker } from "../adapters/github/incident-tracker.js";
import { loadRepoConfig } from "../adapters/github/load-repo-config.js";
import { createGitHubPullRequestFiles } from "../adapters/github/pull-request-files.js";
import { createGitHubRevertHistory } from "../adapters/github/revert-history.js";
import { createWriteQueue } from "../adapters/github/write-queue.js";
import { loadKubeConfig } from "../adapters/kubernetes/load-kube-config.js";
import type { AppDeps } from "../app-deps.js";
import { parseRemediationMarker } from "../core/approval/remediation-marker.js";
import { RolloutConfig } from "../core/config/sections/rollout.js";
import { parseRevertMarker } from "../core/rollout/revert-marker.js";
import { type ArgoReader, createTimerScheduler, type Scheduler } from "../workflows/ports/rollout-watch.js";
import { revertChange } from "../workflows/revert-change.js";
import { type RolloutWatcher, watchRollout } from "../workflows/watch-rollout.js";

export interface RolloutOptions {
  /** Argo CD / Rollouts reader; default from the kube config (`KUBECONFIG`, in-cluster, ~/.kube/config). */
  argo?: ArgoReader | null;
  kubeConfig?: KubeConfig | null;
  /** Where polls are scheduled (tests drive a manual one). */
  scheduler?: Scheduler;
  /** Time between polls; 15 s by default. */
  pollIntervalMs?: number;
}

/**
 * The rollout watch: a merged medic remediation (or revert) PR starts a watch of the Argo CD Applications
 * that deploy its paths, or of the Terraform apply check; check runs, statuses and deployment statuses on a
 * watched SHA poll it at once. One watcher per repository, kept for the process; unfinished watches are
 * resumed from GitHub deployments the first time a repository is seen after a restart.
 */
export function registerRollout(app: Probot, deps: AppDeps, opts: RolloutOptions = {}): void {
  const template = readFileSync(new URL("../../templates/revert-pr.md", import.meta.url), "utf8");
  const argo = opts.argo !== undefined ? opts.argo : defaultArgo(deps, opts.kubeConfig);
  let scheduler = opts.scheduler;
  if (!scheduler) {
    const timers = createTimerScheduler();
    deps.onShutdown(async () => timers.close());
    scheduler = timers;
  }
  const watchers = new Map<string, { watcher: RolloutWatcher; resumed: Promise<unknown> }>();

  async function watcherFor(
    context: Context,
    repoPayload: { owner: { login: string }; name: string; html_url: string; default_branch: string },
  ) {
    const key = `${repoPayload.owner.login}/${repoPayload.name}`;
    const existing = watchers.get(key);
    if (existing) return existing;
    const loaded = await loadRepoConfig(context);
    if (!loaded.ok)
      deps.logger.warn({ repo: key, field: loaded.field }, "rollout: invalid config, defaults used");
    const config = loaded.ok ? loaded.config.rollout : RolloutConfig.parse({});
    const octokit = context.octokit as GitHubOctokit;
    const ref = { owner: repoPayload.owner.login, repo: repoPayload.name };
    const queue = createWriteQueue({
      budget: deps.writeBudget,
      scope: `installation:${(context.payload as { installation?: { id: number } }).installation?.id ?? 0}`,
      clock: deps.clock,
      logger: deps.logger,
    });
    const write = queue.run.bind(queue);
    const git = createGitHubGitData(octokit, ref, write);
    const changeRequests = createGitHubChangeRequests(octokit, ref, git, write);
    const botLogin = await resolveBotLogin(app);
    const gh = createGitHubDeployments(octokit, ref, write);
    const watcher = watchRollout({
      repo: key,
      repoUrl: repoPayload.html_url,
      argo,
      deployments: gh,
      checks: gh,
      changeRequests,
      incidents: createGitHubIncidentTracker({
        octokit,
        owner: ref.owner,
        repo: ref.repo,
        queue,
        logger: deps.logger,
        botLogin,
      }),
      revertHistory: createGitHubRevertHistory(octokit, ref, { botLogin }),
      revert: (input) =>
        revertChange(
          {
            changeRequests,
            git,
            baseBranch: repoPayload.default_branch,
            bot: { login: botLogin },
            template,
            clock: deps.clock,
            logger: deps.logger,
          },
          input,
        ),
      scheduler: scheduler!,
      clock: deps.clock,
      logger: deps.logger,
      config,
      pollIntervalMs: opts.pollIntervalMs ?? 15_000,
    });
    const entry = {
      watcher,
      resumed: watcher
        .resumeAll()
        .catch((err: Error) =>
          deps.logger.error({ repo: key, error: err.message }, "rollout: resume failed"),
        ),
    };
    watchers.set(key, entry);
    await entry.resumed;
    return entry;
  }

  app.on("pull_request.closed", async (context) => {
    const pr = context.payload.pull_request;
    if (!pr.merged || !pr.merge_commit_sha) return;
    const botLogin = await resolveBotLogin(app);
    // Only the bot's own PRs: a person can paste a marker into their PR body.
    if (pr.user?.login !== botLogin) return;
    const remediation = parseRemediationMarker(pr.body);
    const revert = parseRevertMarker(pr.body);
    if (!remediation.ok && !revert) return;
    const { watcher } = await watcherFor(context, context.payload.repository);
    const files = await createGitHubPullRequestFiles(
      context.octokit as GitHubOctokit,
      context.repo(),
    ).listChangedFiles(pr.number);
    const res = await deps.lock.withLock(
      `rollout:${context.payload.repository.full_name}:${pr.merge_commit_sha}`,
      () =>
        watcher.start({
          pr: pr.number,
          prTitle: pr.title,
          mergeSha: pr.merge_commit_sha!,
          incidentKey: remediation.ok ? remediation.marker.incidentKey : (revert?.incidentKey ?? ""),
          isRevert: revert !== null,
          changedPaths: files.files.flatMap((f) => [f.path, ...(f.previousPath ? [f.previousPath] : [])]),
        }),
    );
    deps.logger.info(
      { pr: pr.number, sha: pr.merge_commit_sha, result: res.kind },
      "rollout watch requested",
    );
  });

  // Something reported on a commit: poll its watch now instead of at the next interval.
  app.on(["check_run.completed", "status", "deployment_status.created"], async (context) => {
    const p = context.payload as {
      check_run?: { head_sha: string };
      sha?: string;
      deployment?: { sha: string };
      repository: { owner: { login: string }; name: string; html_url: string; default_branch: string };
    };
    const sha = p.check_run?.head_sha ?? p.deployment?.sha ?? p.sha;
    if (!sha) return;
    const { watcher } = await watcherFor(context, p.repository);
    await watcher.poke(sha);
  });
}

function defaultArgo(deps: AppDeps, kc: KubeConfig | null | undefined): ArgoReader | null {
  if (kc === null) return null;
  if (kc) return createArgoReader(kc, { logger: deps.logger });
  const loaded = loadKubeConfig();
  if (!loaded.ok) {
    deps.logger.warn(
      { reason: loaded.message },
      "rollout watching of Argo CD disabled: no Kubernetes cluster",
    );
    return null;
  }
  return createArgoReader(loaded.config, { logger: deps.logger, name: loaded.name });
}
