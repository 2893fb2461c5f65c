import { readFileSync } from "node:fs";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Context, Probot } from "probot";
import { createArgoReader } from "../adapters/argo/create-argo-reader.js";
import { resolveBotLogin } from "../adapters/github/approval-bot-login.js";
import { createGitHubChangeRequests } from "../adapters/github/change-requests.js";
import {
  createGitHubAutomationSwitch,
  createGitHubDashboardStore,
  pauseCacheFor,
} from "../adapters/github/dashboard-store.js";
import { createGitHubDeployments } from "../adapters/github/deployments.js";
import { createGitHubGitData, type GitHubOctokit } from "../adapters/github/git-data.js";
import { createGitHubIncidentTracker } from "../adapters/github/incident-tracker.js";
import { loadRepoConfig } from "../adapters/github/load-repo-config.js";
import { createGitHubPullRequestFiles } from "../adapters/github/pull-request-files.js";
import { createGitHubRevertHistory } from "../adapters/github/revert-history.js";
import { createGitHubTeamDirectory, createTeamMembershipCache } from "../adapters/github/team-membership.js";
import { createWriteQueue } from "../adapters/github/write-queue.js";
import { createClusterOperations } from "../adapters/kubernetes/create-cluster-operations.js";
import { createKubernetesCluster } from "../adapters/kubernetes/create-kubernetes-cluster.js";
import { loadKubeConfig } from "../adapters/kubernetes/load-kube-config.js";
import type { AppDeps } from "../app-deps.js";
import { parseRemediationMarker } from "../core/approval/remediation-marker.js";
import { loadMedicConfig } from "../core/config/medic-config.js";
import { RolloutConfig } from "../core/config/sections/rollout.js";
import { escapeMarkdown } from "../core/markdown/escape-markdown.js";
import { renderMarker } from "../core/markdown/render-marker.js";
import { parseRevertMarker } from "../core/rollout/revert-marker.js";
import { STEP_RISK } from "../core/runbook/runbook.js";
import type { TimelineNote } from "../workflows/append-incident-timeline.js";
import { diagnoseIncident } from "../workflows/diagnose-incident.js";
import { discardAuditSink } from "../workflows/ports/audit-sink.js";
import type { Cluster } from "../workflows/ports/cluster.js";
import type { ActionContext, ActionResult, CommandActions } from "../workflows/ports/commands.js";
import {
  type ArgoReader,
  type ClusterOperations,
  createTimerScheduler,
  type Scheduler,
} from "../workflows/ports/rollout-watch.js";
import { revertChange } from "../workflows/revert-change.js";
import { resolveDeclaredStep, runImperativeStep } from "../workflows/run-imperative-step.js";
import { type RolloutCommand, runRolloutCommand } from "../workflows/run-rollout-command.js";
import { type RolloutWatcher, WATCH_TASK, watchRollout } from "../workflows/watch-rollout.js";

export interface RolloutOptions {
  /** The incident runtime's `appendTimeline`: rollout progress lines go to the incident's timeline. */
  appendTimeline?(key: string, note: TimelineNote, repo: string): Promise<unknown>;
  /** Argo CD / Rollouts reader; default from the kube config (`KUBECONFIG`, in-cluster, ~/.kube/config). */
  argo?: ArgoReader | null;
  kubeConfig?: KubeConfig | null;
  /** Where polls are scheduled (tests drive a manual one). */
  scheduler?: Scheduler;
  /** Time between polls; 15 s by default. */
  pollIntervalMs?: number;
  /** Resume the unfinished watches of `INCIDENT_REPO` at start (default on). */
  resumeOnStart?: boolean;
  /** Imperative operations (`/abort`, `/retry`, `/promote`); default from the same kube config as `argo`. */
  ops?: ClusterOperations | null;
  /** Print imperative steps instead of running them. */
  dryRun?: boolean;
  /** Read-only cluster facts for `/diagnose`; default from the same kube config. */
  cluster?: Cluster | null;
}

/**
 * The rollout watch: a merged medic remediation (or revert) PR starts a watch of the Argo CD Applications
 * that deploy its paths, or of the Terraform apply check; check runs, statuses and deployment statuses on a
 * watched SHA poll it at once. One watcher per repository, kept for the process; unfinished watches are
 * resumed from GitHub deployments the first time a repository is seen after a restart.
 */
export function registerRollout(
  app: Probot,
  deps: AppDeps,
  opts: RolloutOptions = {},
): Required<Pick<CommandActions, "abort" | "retry" | "promote" | "diagnose">> {
  const template = readFileSync(new URL("../../templates/revert-pr.md", import.meta.url), "utf8");
  const kube = opts.kubeConfig !== undefined ? opts.kubeConfig : defaultKubeConfig(deps, opts.argo, opts.ops);
  const argo =
    opts.argo !== undefined ? opts.argo : kube ? createArgoReader(kube, { logger: deps.logger }) : null;
  const ops = opts.ops !== undefined ? opts.ops : kube ? createClusterOperations(kube) : null;
  let scheduler = opts.scheduler;
  if (!scheduler) {
    const timers = createTimerScheduler();
    deps.onShutdown(async () => timers.close());
    scheduler = timers;
  }
  const watchers = new Map<string, { watcher: RolloutWatcher; resumed: Promise<unknown> }>();
  // The app's one sink (batched ledger commits, flushed by `medic serve` on shutdown): a second sink of
  // our own would race it for the same `medic-audit` branch.
  const audit = deps.audit ?? discardAuditSink;

  interface RepoInfo {
    owner: string;
    name: string;
    htmlUrl: string;
    defaultBranch: string;
    installation: number;
  }

  async function watcherFor(octokit: GitHubOctokit, repo: RepoInfo, configSource: Pick<Context, "config">) {
    const key = `${repo.owner}/${repo.name}`;
    const existing = watchers.get(key);
    if (existing) return existing;
    const loaded = await loadRepoConfig(configSource);
    if (!loaded.ok)
      deps.logger.warn({ repo: key, field: loaded.field }, "rollout: invalid config, defaults used");
    const config = loaded.ok ? loaded.config.rollout : RolloutConfig.parse({});
    const ref = { owner: repo.owner, repo: repo.name };
    const queue = createWriteQueue({
      budget: deps.writeBudget,
      scope: `installation:${repo.installation}`,
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
      repoUrl: repo.htmlUrl,
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
            // The kill switch: the dashboard's "pause all automation" box.
            automation: createGitHubAutomationSwitch(
              createGitHubDashboardStore({ octokit, repo: ref, queue, botLogin, label: "medic:dashboard" }),
              key,
              pauseCacheFor(app),
              () => deps.clock.now(),
            ),
            changeRequests,
            git,
            baseBranch: repo.defaultBranch,
            bot: { login: botLogin },
            template,
            repo: key,
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
      audit,
      botLogin,
      ...(opts.appendTimeline
        ? { appendTimeline: (k: string, note: TimelineNote) => opts.appendTimeline!(k, note, key) }
        : {}),
    });
    // Unfinished watches of this repository (a restart) continue from their deployments.
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

  const repoInfo = (
    p: { owner: { login: string }; name: string; html_url: string; default_branch: string },
    installation: number | undefined,
  ): RepoInfo => ({
    owner: p.owner.login,
    name: p.name,
    htmlUrl: p.html_url,
    defaultBranch: p.default_branch,
    installation: installation ?? 0,
  });

  app.on("pull_request.closed", async (context) => {
    const pr = context.payload.pull_request;
    if (!pr.merged || !pr.merge_commit_sha) return;
    const botLogin = await resolveBotLogin(app);
    // Only the bot's own PRs: a person can paste a marker into their PR body.
    if (pr.user?.login !== botLogin) return;
    const remediation = parseRemediationMarker(pr.body);
    const revert = parseRevertMarker(pr.body);
    if (!remediation.ok && !revert) return;
    const { watcher } = await watcherFor(
      context.octokit as GitHubOctokit,
      repoInfo(context.payload.repository, context.payload.installation?.id),
      context,
    );
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

    // Imperative steps the plan declared run once, after the merge, only if medic/approval passed on the
    // merged head (a plan with destructive steps needs the security approval there).
    const declared = remediation.ok ? (remediation.marker.steps ?? []) : [];
    if (declared.length === 0) return;
    const octokit = context.octokit as GitHubOctokit;
    const ref = context.repo();
    await deps.lock.withLock(`imperative:${ref.owner}/${ref.repo}:${pr.merge_commit_sha}`, async () => {
      const marker = renderMarker("imperative-steps", pr.merge_commit_sha!);
      const cr = createGitHubChangeRequests(octokit, ref, createGitHubGitData(octokit, ref));
      if (await cr.hasComment(pr.number, marker, botLogin)) return;
      const { runs } = await cr.getChecks(pr.head.sha);
      const approval = runs.find((r) => r.name === "medic/approval");
      const passed = approval?.status === "completed" && approval.conclusion === "success";
      const lines: string[] = [];
      for (const d of declared) {
        const step = resolveDeclaredStep(d, (k) => STEP_RISK[k as keyof typeof STEP_RISK]);
        if (!step) {
          lines.push(`- \`${escapeMarkdown(d.kind, 50)}\`: refused — unknown step or target`);
          break;
        }
        const out = await runImperativeStep(
          {
            ops,
            audit: async (record) =>
              audit.record({
                ...record,
                subject: { kind: "pull_request", repo: `${ref.owner}/${ref.repo}`, number: pr.number },
              }),
            coordinationHealthy: () => coordinationHealthy(deps),
            dryRun: opts.dryRun ?? false,
            scheduler: scheduler!,
            clock: deps.clock,
            logger: deps.logger,
            actor: { kind: "bot", login: botLogin },
          },
          {
            step,
            gate: {
              satisfied: passed,
              securityApproved: passed,
              summary: approval
                ? `medic/approval ${approval.conclusion ?? approval.status} at ${pr.head.sha.slice(0, 7)}`
                : "no medic/approval check",
            },
            ...(remediation.ok ? { incidentKey: remediation.marker.incidentKey } : {}),
            subject: { repo: `${ref.owner}/${ref.repo}`, number: pr.number },
          },
        );
        lines.push(
          `- ${escapeMarkdown(step.description, 300)}: ${escapeMarkdown(out.lines.join("; "), 500)}`,
        );
        if (out.status === "refused" || out.status === "failed") break;
      }
      await cr.comment(pr.number, `${marker}\n### Imperative steps after the merge\n\n${lines.join("\n")}`);
    });
  });

  // Something reported on a commit: poll its watch now instead of at the next interval. Only repositories
  // with a watcher are touched (no GitHub call for unrelated statuses), except a status of our own
  // deployment, which also resumes the repository's watches after a restart.
  app.on(["check_run.completed", "status", "deployment_status.created"], async (context) => {
    const p = context.payload as {
      check_run?: { head_sha: string };
      sha?: string;
      deployment?: { sha: string; task?: string };
      installation?: { id: number };
      repository: {
        owner: { login: string };
        name: string;
        html_url: string;
        default_branch: string;
        full_name: string;
      };
    };
    const sha = p.check_run?.head_sha ?? p.deployment?.sha ?? p.sha;
    if (!sha) return;
    let entry = watchers.get(p.repository.full_name);
    if (!entry && p.deployment?.task === WATCH_TASK) {
      entry = await watcherFor(
        context.octokit as GitHubOctokit,
        repoInfo(p.repository, p.installation?.id),
        context,
      );
    }
    await entry?.watcher.poke(sha);
  });

  // After a restart: resume the watches of the incident repository (where remediation PRs live) at once —
  // when a cluster is configured; without one, a status on a watch's deployment resumes it.
  const home = deps.env.INCIDENT_REPO;
  if (home && argo && opts.resumeOnStart !== false) {
    scheduler.after(0, async () => {
      try {
        const [owner, name] = home.split("/") as [string, string];
        const appOctokit = await app.auth();
        const { data: inst } = await appOctokit.request("GET /repos/{owner}/{repo}/installation", {
          owner,
          repo: name,
        });
        const octokit = (await app.auth(inst.id)) as GitHubOctokit;
        const { data: r } = await octokit.request("GET /repos/{owner}/{repo}", { owner, repo: name });
        const configSource: Pick<Context, "config"> = {
          config: (async (file: string) => {
            const { config, files } = await octokit.config.get({
              owner,
              repo: name,
              path: `.github/${file}`,
            });
            return files.some((f) => f.config !== null) ? config : null;
          }) as Context["config"],
        };
        await watcherFor(
          octokit,
          repoInfo(
            { ...r, html_url: r.html_url ?? `https://github.com/${home}`, owner: { login: r.owner.login } },
            inst.id,
          ),
          configSource,
        );
      } catch (err) {
        deps.logger.error({ repo: home, error: (err as Error).message }, "rollout: resume at start failed");
      }
    });
  }

  /** An installation octokit, the bot's login, the write queue and the incident tracker of one repository. */
  const openRepo = async (owner: string, repo: string) => {
    const appOctokit = await app.auth();
    const { data: inst } = await appOctokit.request("GET /repos/{owner}/{repo}/installation", {
      owner,
      repo,
    });
    const octokit = (await app.auth(inst.id)) as GitHubOctokit;
    const botLogin = await resolveBotLogin(app);
    const queue = createWriteQueue({
      budget: deps.writeBudget,
      scope: `installation:${inst.id}`,
      clock: deps.clock,
      logger: deps.logger,
    });
    const tracker = createGitHubIncidentTracker({
      octokit,
      owner,
      repo,
      queue,
      logger: deps.logger,
      botLogin,
    });
    return { octokit, botLogin, queue, tracker };
  };

  // /abort, /retry, /promote: the incident's Argo Rollout, through the imperative step runner.
  const teams = createTeamMembershipCache({ ttlMs: 60_000, now: () => deps.clock.now() });
  const command = async (ctx: ActionContext, name: RolloutCommand, full: boolean): Promise<ActionResult> => {
    const { octokit, botLogin, tracker } = await openRepo(ctx.owner, ctx.repo);
    const configSource: Pick<Context, "config"> = {
      config: (async (file: string) => {
        const { config, files } = await octokit.config.get({
          owner: ctx.owner,
          repo: ctx.repo,
          path: `.github/${file}`,
        });
        return files.some((f) => f.config !== null) ? config : null;
      }) as Context["config"],
    };
    const loaded = await loadRepoConfig(configSource);
    const directory = createGitHubTeamDirectory(octokit, teams);
    return runRolloutCommand(
      {
        ops,
        // The step's Evidence record goes to the repository's audit ledger (the reply carries the command's).
        audit: async (record) =>
          audit.record({
            ...record,
            subject: { kind: ctx.place, repo: `${ctx.owner}/${ctx.repo}`, number: ctx.number },
          }),
        coordinationHealthy: () => coordinationHealthy(deps),
        dryRun: opts.dryRun ?? false,
        scheduler: scheduler!,
        clock: deps.clock,
        logger: deps.logger,
        securityTeams: loaded.ok ? loaded.config.approval.securityTeams : [],
        isActiveMember: (org, team, login) => directory.isActiveMember(org, team, login),
        async findIncident() {
          let key: string | null = null;
          if (ctx.place === "pull_request") {
            const { data: pr } = await octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
              owner: ctx.owner,
              repo: ctx.repo,
              pull_number: ctx.number,
            });
            if (pr.user?.login !== botLogin) return null;
            const m = parseRemediationMarker(pr.body);
            key = m.ok ? m.marker.incidentKey : (parseRevertMarker(pr.body)?.incidentKey ?? null);
          }
          const open = await tracker.listOpen();
          const found = open.find((i) => (key ? i.key === key : i.number === ctx.number));
          return found?.incident ? { key: found.key, labels: found.incident.labels } : null;
        },
      },
      { command: name, full, actor: ctx.actor, repo: `${ctx.owner}/${ctx.repo}`, number: ctx.number },
    );
  };
  const diagnosisTemplate = readFileSync(
    new URL("../../templates/diagnosis-comment.md", import.meta.url),
    "utf8",
  );
  const cluster =
    opts.cluster !== undefined
      ? opts.cluster
      : kube
        ? createKubernetesCluster(kube, { logger: deps.logger, ...(argo ? { argo } : {}) })
        : null;
  const diagnose = async (ctx: ActionContext): Promise<ActionResult> => {
    const { octokit, tracker } = await openRepo(ctx.owner, ctx.repo);
    const issue = (await tracker.listOpen()).find((i) => i.number === ctx.number);
    if (!issue?.incident)
      return { ok: false, message: "this issue is not an open incident the bot can read" };
    const fromRepo = await loadRepoConfig({
      config: (async (file: string) => {
        const { config, files } = await octokit.config.get({
          owner: ctx.owner,
          repo: ctx.repo,
          path: `.github/${file}`,
        });
        return files.some((f) => f.config !== null) ? config : null;
      }) as Context["config"],
    });
    // Read-only facts: a broken config falls back to the defaults (medic/config reports the error).
    const loaded = fromRepo.ok ? fromRepo : loadMedicConfig({});
    if (!loaded.ok) throw new Error("default medic config does not load");
    const res = await diagnoseIncident(
      {
        cluster,
        tracker,
        config: loaded.config,
        template: diagnosisTemplate,
        clock: deps.clock,
        logger: deps.logger,
        audit,
      },
      {
        incident: issue.incident,
        issueNumber: issue.number,
        repo: `${ctx.owner}/${ctx.repo}`,
        actor: ctx.actor,
      },
    );
    return {
      ok: true,
      message: res.clusterKnown
        ? "diagnosis posted"
        : "diagnosis posted (cluster facts unavailable: see the comment)",
    };
  };
  return {
    diagnose,
    abort: (ctx) => command(ctx, "abort", false),
    retry: (ctx) => command(ctx, "retry", false),
    promote: (ctx, inv) => command(ctx, "promote", inv.args.full),
  };
}

/** The kube config, unless both readers were given; null (logged once) when there is no cluster. */
function defaultKubeConfig(
  deps: AppDeps,
  argo: ArgoReader | null | undefined,
  ops: ClusterOperations | null | undefined,
): KubeConfig | null {
  if (argo !== undefined && ops !== undefined) return null;
  const loaded = loadKubeConfig(deps.env.KUBECONFIG ? { path: deps.env.KUBECONFIG } : {});
  if (!loaded.ok) {
    deps.logger.warn(
      { reason: loaded.message },
      "rollout watching of Argo CD disabled: no Kubernetes cluster",
    );
    return null;
  }
  return loaded.config;
}

/** Locks answer (Redis reachable): destructive imperative steps need them so they can never run twice. */
async function coordinationHealthy(deps: AppDeps): Promise<boolean> {
  try {
    return await Promise.race([
      deps.lock.withLock("medic:rollout:health-probe", async () => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000).unref()),
    ]);
  } catch {
    return false;
  }
}
