import { readFileSync } from "node:fs";
import type { Context, Probot } from "probot";
import { resolveBotLogin } from "../adapters/github/approval-bot-login.js";
import { createGitHubChangeRequests } from "../adapters/github/change-requests.js";
import {
  createGitHubAutomationSwitch,
  createGitHubDashboardStore,
  pauseCacheFor,
} from "../adapters/github/dashboard-store.js";
import { createGitHubGitData, type GitHubOctokit } from "../adapters/github/git-data.js";
import { createGitHubGitOpsHistory, HistoryCache } from "../adapters/github/gitops-history.js";
import { INCIDENT_LABEL } from "../adapters/github/incident-tracker.js";
import { loadRepoConfig } from "../adapters/github/load-repo-config.js";
import { BlobCache, createGitHubRepoSnapshot } from "../adapters/github/repo-snapshot.js";
import { createWriteQueue } from "../adapters/github/write-queue.js";
import { bundledRunbooksDir, readRunbookDir } from "../adapters/local/read-runbook-dir.js";
import type { AppDeps } from "../app-deps.js";
import { parseRemediationMarker } from "../core/approval/remediation-marker.js";
import { describeConfigError, type MedicConfig } from "../core/config/medic-config.js";
import type { Incident } from "../core/incident/incident.js";
import { parseIncidentState } from "../core/incident/incident-state.js";
import { parseManualIncident } from "../core/incident/parse-manual-incident.js";
import { REMEDIATION_BRANCH_PREFIX } from "../core/remediation/build-remediation-branch.js";
import { decideAutoMerge } from "../core/remediation/decide-auto-merge.js";
import type { RunbookRegistry, RunbookSource } from "../core/runbook/build-runbook-registry.js";
import type { AppendTimelineResult, TimelineNote } from "../workflows/append-incident-timeline.js";
import type { IncidentHooks } from "../workflows/incident-hooks.js";
import { matchIncidentRunbook } from "../workflows/match-incident-runbook.js";
import type { OpenRemediationPrResult } from "../workflows/open-remediation-pr.js";
import { discardAuditSink } from "../workflows/ports/audit-sink.js";
import type { Cluster } from "../workflows/ports/cluster.js";
import type { ActionContext, ActionResult, CommandActions } from "../workflows/ports/commands.js";
import { proposeRemediation } from "../workflows/propose-remediation.js";

/** The fields of an issue the remediation trigger reads (webhook payload or `GET /issues/{n}`). */
interface IssueLike {
  number: number;
  title: string;
  body?: string | null;
  html_url: string;
  created_at: string;
  user: { login: string; type?: string } | null;
  labels?: ({ name?: string } | string)[];
  pull_request?: unknown;
}

export interface RemediationOptions {
  /** Read-only cluster facts for planning (the Kubernetes adapter); null plans from the repo and alert alone. */
  cluster?: Cluster | null;
  /** Bundled runbooks (tests); the package's `runbooks/` folder by default. */
  bundledRunbooks?: readonly RunbookSource[];
  /**
   * Adds a line to the incident's timeline (the incident runtime's `appendTimeline`); without it a PR
   * is linked by its comment on the incident only.
   */
  appendTimeline?(key: string, note: TimelineNote, repo: string): Promise<AppendTimelineResult>;
}

/**
 * Remediation PRs for incident issues: when an incident issue is opened, reopened or given its
 * `runbook:<id>` label (the incident flow adds it when a runbook matched), and when a person edits a
 * filed incident (update-only), plus `/remediate` through the returned command action. Per incident key
 * the work is serialised, so redeliveries and parallel events meet one PR.
 */
export function registerRemediation(
  app: Probot,
  deps: AppDeps,
  opts: RemediationOptions = {},
): Required<Pick<CommandActions, "remediate" | "rollback">> & Required<Pick<IncidentHooks, "matchRunbook">> {
  const cache = new BlobCache();
  const registryCache = new Map<string, Promise<RunbookRegistry>>();
  // Versions of manifests at past commits, for rollbacks: immutable, so shared by every delivery.
  const historyCache = new HistoryCache();
  const template = readFileSync(new URL("../../templates/remediation-pr.md", import.meta.url), "utf8");
  let bundled: Promise<readonly RunbookSource[]> | undefined;
  const runbooks = () =>
    (bundled ??= opts.bundledRunbooks
      ? Promise.resolve(opts.bundledRunbooks)
      : readRunbookDir(bundledRunbooksDir(), "bundled", "runbooks"));
  const installations = new Map<string, Promise<{ id: number; octokit: GitHubOctokit }>>();

  async function remediate(
    octokit: GitHubOctokit,
    repo: { owner: string; repo: string; defaultBranch: string; installation: number },
    issue: IssueLike,
    trigger: { requester: string | null; runbook?: string; mode: "create-or-update" | "update-only" },
    config: Pick<Context, "config">,
  ): Promise<OpenRemediationPrResult | { kind: "skipped"; message: string }> {
    const botLogin = await resolveBotLogin(app);
    const incident = incidentFromIssue(issue, botLogin);
    if (!incident) return { kind: "skipped", message: `issue #${issue.number} is not a readable incident` };
    const loaded = await loadRepoConfig(config);
    if (!loaded.ok) {
      // Fail closed: a broken config may be the one that disables a runbook. medic/config reports it.
      deps.logger.warn({ issue: issue.number, field: loaded.field }, "remediation skipped: invalid config");
      return { kind: "skipped", message: describeConfigError(loaded) };
    }
    const incidentRepo = `${repo.owner}/${repo.repo}`;
    // Incidents may live in INCIDENT_REPO and manifests elsewhere (`remediation.repository`).
    const target = await gitOpsTarget(loaded.config, { ...repo, octokit });
    if (!target.ok) {
      deps.logger.warn({ issue: issue.number, reason: target.message }, "remediation skipped");
      return { kind: "skipped", message: target.message };
    }
    const cross = target.fullName !== incidentRepo;
    const config_ = target.config;
    const queue = createWriteQueue({
      budget: deps.writeBudget,
      scope: `installation:${target.installation}`,
      clock: deps.clock,
      logger: deps.logger,
    });
    const write = queue.run.bind(queue);
    const ref = { owner: target.owner, repo: target.repo };
    const git = createGitHubGitData(target.octokit, ref, write);
    const base = config_.remediation.baseBranch ?? target.defaultBranch;
    const runbook = trigger.runbook ?? runbookLabel(issue);
    // Notices for the incident go to its own repository (its installation's write queue).
    let incidentComments: ReturnType<typeof createGitHubChangeRequests> | undefined;
    if (cross) {
      const iq = createWriteQueue({
        budget: deps.writeBudget,
        scope: `installation:${repo.installation}`,
        clock: deps.clock,
        logger: deps.logger,
      });
      const iw = iq.run.bind(iq);
      const iref = { owner: repo.owner, repo: repo.repo };
      incidentComments = createGitHubChangeRequests(
        octokit,
        iref,
        createGitHubGitData(octokit, iref, iw),
        iw,
      );
    }
    return deps.lock.withLock(`remediation:${repo.owner}/${repo.repo}:${incident.key}`, async () =>
      proposeRemediation(
        {
          changeRequests: createGitHubChangeRequests(target.octokit, ref, git, write),
          ...(incidentComments ? { incidentComments } : {}),
          openSnapshot: () => createGitHubRepoSnapshot(git, base, cache),
          openDefaultSnapshot:
            base === target.defaultBranch
              ? null
              : () => createGitHubRepoSnapshot(git, target.defaultBranch, cache),
          bundledRunbooks: await runbooks(),
          registryCache,
          openHistory: (revision) =>
            createGitHubGitOpsHistory(target.octokit, ref, { ref: revision, cache: historyCache }),
          config: config_,
          cluster: opts.cluster ?? null,
          clock: deps.clock,
          logger: deps.logger,
          template,
          bot: { login: botLogin },
          audit: {
            sink: deps.audit ?? discardAuditSink,
            clock: deps.clock,
            repo: target.fullName,
          },
          ...(opts.appendTimeline
            ? {
                recordTimeline: async (detail: string, url: string) => {
                  const res = await opts.appendTimeline!(
                    incident.key,
                    { at: deps.clock.now(), kind: "remediation", text: detail, url },
                    incidentRepo,
                  ).catch((err: Error) => ({ ok: false as const, reason: err.message }));
                  // The PR and its comment stand either way; a missing line is logged, not retried.
                  if (!res.ok)
                    deps.logger.info({ key: incident.key, reason: res.reason }, "no timeline entry");
                },
              }
            : {}),
          // The kill switch: the dashboard's "pause all automation" box, cached briefly per repository.
          automation: createGitHubAutomationSwitch(
            createGitHubDashboardStore({
              octokit: target.octokit,
              repo: ref,
              queue,
              botLogin,
              label: config_.dashboard.label,
            }),
            target.fullName,
            pauseCacheFor(app),
            () => deps.clock.now(),
          ),
        },
        {
          incident,
          issue: {
            number: issue.number,
            ...(cross ? { repo: incidentRepo } : {}),
            url: issue.html_url,
            title: issue.title,
            severity: incident.severity,
            status: incident.status,
            startsAt: incident.startsAt,
          },
          requester: trigger.requester,
          ...(runbook ? { runbook } : {}),
          mode: trigger.mode,
        },
      ),
    );
  }

  app.on(["issues.opened", "issues.reopened", "issues.labeled", "issues.edited"], async (context) => {
    const { payload } = context;
    const issue = payload.issue as IssueLike;
    if (issue.pull_request || !labelNames(issue).includes(INCIDENT_LABEL) || !runbookLabel(issue)) return;
    if (payload.action === "labeled" && !payload.label?.name.startsWith("runbook:")) return;
    // The bot labels its own incident issues only while opening or reopening them, and GitHub delivers
    // the `opened`/`reopened` event of that same write: that one triggers, this copy would be a second.
    // (Our label on a person's issue — a manual incident — is the only trigger there, so it counts.)
    if (payload.action === "labeled" && payload.sender.type === "Bot") {
      const botLogin = await resolveBotLogin(app);
      if (payload.sender.login === botLogin && issue.user?.login === botLogin) return;
    }
    // The bot rewrites its own incident bodies on every notification; only a person's edit counts.
    if (payload.action === "edited" && payload.sender.type === "Bot") return;
    const mode = payload.action === "edited" ? "update-only" : "create-or-update";
    const res = await remediate(
      context.octokit,
      {
        ...context.repo(),
        defaultBranch: payload.repository.default_branch,
        installation: payload.installation?.id ?? 0,
      },
      issue,
      { requester: null, mode },
      context,
    );
    deps.logger.info({ issue: issue.number, result: res.kind }, "remediation trigger handled");
  });

  // A merged remediation PR is a line in its incident's timeline (in the incident's own repository).
  app.on("pull_request.closed", async (context) => {
    const pr = context.payload.pull_request;
    if (!opts.appendTimeline || !pr.merged || !pr.head.ref.startsWith(REMEDIATION_BRANCH_PREFIX)) return;
    if (pr.user?.login !== (await resolveBotLogin(app))) return;
    const marker = parseRemediationMarker(pr.body);
    if (!marker.ok) return;
    const { owner, repo } = context.repo();
    const incidentRepo = marker.marker.incident?.split("#")[0] ?? `${owner}/${repo}`;
    const res = await opts.appendTimeline(
      marker.marker.incidentKey,
      {
        at: Date.parse(pr.merged_at ?? "") || deps.clock.now(),
        kind: "remediation",
        text: `remediation PR #${pr.number} merged (${marker.marker.runbook})`,
        url: pr.html_url,
      },
      incidentRepo,
    );
    if (!res.ok) deps.logger.info({ pr: pr.number, reason: res.reason }, "no timeline entry for the merge");
  });

  // Safe remediations merge by themselves once every check on the bot's own head passed (opt-in).
  app.on(["check_suite.completed", "check_run.completed"], async (context) => {
    const p = context.payload;
    const suite = "check_suite" in p ? p.check_suite : p.check_run.check_suite;
    const headSha = "check_suite" in p ? p.check_suite.head_sha : p.check_run.head_sha;
    const prs = ("check_suite" in p ? p.check_suite.pull_requests : p.check_run.pull_requests) ?? [];
    if (!suite.head_branch?.startsWith(REMEDIATION_BRANCH_PREFIX) || prs.length === 0) return;
    const loaded = await loadRepoConfig(context);
    if (!loaded.ok || !loaded.config.remediation.autoMergeSafe) return;
    const ref = context.repo();
    const write = createWriteQueue({
      budget: deps.writeBudget,
      scope: `installation:${p.installation?.id ?? 0}`,
      clock: deps.clock,
      logger: deps.logger,
    });
    const run = write.run.bind(write);
    const cr = createGitHubChangeRequests(
      context.octokit,
      ref,
      createGitHubGitData(context.octokit, ref, run),
      run,
    );
    const botLogin = await resolveBotLogin(app);
    for (const { number } of prs) {
      await deps.lock.withLock(`remediation-merge:${ref.owner}/${ref.repo}#${number}`, async () => {
        const [pr, checks] = await Promise.all([cr.getPullRequest(number), cr.getChecks(headSha)]);
        const decision = decideAutoMerge({
          enabled: true,
          botLogin,
          pr,
          checkedSha: headSha,
          checkRuns: checks.runs,
          statuses: checks.statuses,
        });
        if (!decision.merge) {
          deps.logger.info({ pr: number, reason: decision.reason }, "remediation not merged automatically");
          return;
        }
        const merged = await cr.mergePullRequest(number, decision.sha);
        deps.logger.info({ pr: number, sha: decision.sha, merged: merged.ok }, "safe remediation auto-merge");
      });
    }
  });

  const installationOctokit = (owner: string, repo: string) => {
    const key = `${owner}/${repo}`;
    let p = installations.get(key);
    if (!p) {
      p = (async () => {
        const appOctokit = await app.auth();
        const { data } = await appOctokit.request("GET /repos/{owner}/{repo}/installation", { owner, repo });
        return { id: data.id, octokit: (await app.auth(data.id)) as GitHubOctokit };
      })();
      p.catch(() => installations.delete(key));
      installations.set(key, p);
    }
    return p;
  };

  /**
   * The repository remediation PRs go to for incidents filed in `here`: `remediation.repository` of
   * here's `.github/medic.yml` when it names another one (then that repository's own file governs its
   * PRs: base branch, labels, runbooks), else `here`. Not installed there / broken config ⇒ a reason.
   */
  async function gitOpsTarget(
    hereConfig: MedicConfig,
    here: {
      owner: string;
      repo: string;
      installation: number;
      octokit: GitHubOctokit;
      defaultBranch?: string;
    },
  ): Promise<
    | {
        ok: true;
        owner: string;
        repo: string;
        fullName: string;
        installation: number;
        octokit: GitHubOctokit;
        defaultBranch: string;
        config: MedicConfig;
      }
    | { ok: false; message: string }
  > {
    const hereName = `${here.owner}/${here.repo}`;
    const named = hereConfig.remediation.repository;
    if (!named || named.toLowerCase() === hereName.toLowerCase()) {
      const defaultBranch =
        here.defaultBranch ??
        (await here.octokit.request("GET /repos/{owner}/{repo}", { owner: here.owner, repo: here.repo })).data
          .default_branch;
      return { ok: true, ...here, fullName: hereName, defaultBranch, config: hereConfig };
    }
    const [owner, repo] = named.split("/") as [string, string];
    let inst: { id: number; octokit: GitHubOctokit };
    try {
      inst = await installationOctokit(owner, repo);
    } catch (err) {
      if ((err as { status?: number }).status !== 404) throw err;
      return {
        ok: false,
        message: `gitops-medic is not installed on ${named} (remediation.repository in ${hereName}'s .github/medic.yml)`,
      };
    }
    const [{ data }, loaded] = await Promise.all([
      inst.octokit.request("GET /repos/{owner}/{repo}", { owner, repo }),
      loadRepoConfig(configReader(inst.octokit, owner, repo)),
    ]);
    // Fail closed: the GitOps repository's broken file may be the one that disables a runbook.
    if (!loaded.ok) return { ok: false, message: `${named}: ${describeConfigError(loaded)}` };
    return {
      ok: true,
      owner,
      repo,
      fullName: named,
      installation: inst.id,
      octokit: inst.octokit,
      defaultBranch: data.default_branch,
      config: loaded.config,
    };
  }

  /**
   * The incident flow's `matchRunbook` hook: the runbook the planner will choose, from the runbooks on
   * the repository's default branch and its `.github/medic.yml`, so the issue opens with `runbook:<id>`.
   */
  const matchRunbook = async (incident: Incident, where: { repo: string }) => {
    const [owner, name] = where.repo.split("/") as [string, string];
    const { id: installation, octokit } = await installationOctokit(owner, name);
    const loaded = await loadRepoConfig(configReader(octokit, owner, name));
    if (!loaded.ok) return { id: null, reason: describeConfigError(loaded) };
    const target = await gitOpsTarget(loaded.config, { owner, repo: name, installation, octokit });
    if (!target.ok) return { id: null, reason: target.message };
    const queue = createWriteQueue({
      budget: deps.writeBudget,
      scope: `installation:${target.installation}`,
      clock: deps.clock,
      logger: deps.logger,
    });
    const git = createGitHubGitData(target.octokit, target, queue.run.bind(queue));
    return matchIncidentRunbook(
      {
        defaultBranch: createGitHubRepoSnapshot(git, target.defaultBranch, cache),
        bundledRunbooks: await runbooks(),
        registryCache,
        config: target.config,
        cluster: opts.cluster ?? null,
        clock: deps.clock,
        logger: deps.logger,
      },
      incident,
    );
  };

  /** `/remediate [RUNBOOK]` and `/rollback` on an incident issue: plan and open (or refresh) its PR. */
  const remediateIssue = async (ctx: ActionContext, runbook: string | null): Promise<ActionResult> => {
    const { id: installation, octokit } = await installationOctokit(ctx.owner, ctx.repo);
    const [{ data: repository }, { data: issue }] = await Promise.all([
      octokit.request("GET /repos/{owner}/{repo}", { owner: ctx.owner, repo: ctx.repo }),
      octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}", {
        owner: ctx.owner,
        repo: ctx.repo,
        issue_number: ctx.number,
      }),
    ]);
    if (!labelNames(issue as IssueLike).includes(INCIDENT_LABEL)) {
      return {
        ok: false,
        message: `#${ctx.number} is not an incident issue (no \`${INCIDENT_LABEL}\` label).`,
      };
    }
    const config = configReader(octokit, ctx.owner, ctx.repo);
    const res = await remediate(
      octokit,
      { owner: ctx.owner, repo: ctx.repo, defaultBranch: repository.default_branch, installation },
      issue as IssueLike,
      {
        requester: ctx.actor,
        ...(runbook ? { runbook } : {}),
        mode: "create-or-update",
      },
      config,
    );
    return describeResult(res);
  };

  return {
    matchRunbook,
    remediate: (ctx, invocation) => remediateIssue(ctx, invocation.args.runbook),
    // The crashloop-rollback runbook picks the previous image from the manifest's git history (never one a
    // reverted rollout quarantined). It cannot be pinned to a revision yet, so `to REVISION` is refused
    // with what to do instead rather than rolling back somewhere the person did not ask for.
    rollback: async (ctx, invocation) =>
      invocation.args.to === null
        ? remediateIssue(ctx, "crashloop-rollback")
        : {
            ok: false,
            message: `\`/rollback to ${invocation.args.to}\` is not supported yet: nothing was done. \`/rollback\` opens a PR back to the previous image from the manifest's history; to pin ${invocation.args.to}, open a PR that sets that image.`,
          },
  };
}

function describeResult(res: OpenRemediationPrResult | { kind: "skipped"; message: string }): ActionResult {
  switch (res.kind) {
    case "opened":
      return { ok: true, message: `Opened remediation pull request #${res.number}: ${res.url}` };
    case "updated":
      return { ok: true, message: `Updated remediation pull request #${res.number}: ${res.url}` };
    case "resumed":
    case "unchanged":
      return { ok: true, message: `Remediation pull request #${res.number} is already open: ${res.url}` };
    case "stopped":
      return { ok: false, message: `No remediation pull request: ${res.message}.` };
    case "no-plan":
    case "skipped":
      return { ok: false, message: `No remediation pull request: ${res.message}` };
  }
}

/** `context.config` for a repository outside a webhook (Probot's config plugin on the installation octokit). */
function configReader(octokit: GitHubOctokit, owner: string, repo: string): Pick<Context, "config"> {
  return {
    config: async (name: string) =>
      (await octokit.config.get({ owner, repo, path: `.github/${name}` })).config,
  } as unknown as Pick<Context, "config">;
}

function labelNames(issue: IssueLike): string[] {
  return (issue.labels ?? []).map((l) => (typeof l === "string" ? l : (l.name ?? "")));
}

function runbookLabel(issue: IssueLike): string | undefined {
  return labelNames(issue)
    .find((l) => l.startsWith("runbook:"))
    ?.slice("runbook:".length);
}

/**
 * The incident behind an issue: the bot's own issues carry their state in a hidden block; an issue a
 * person filed is read from its form (an unreadable one is left to the incident flow's acknowledgement).
 */
function incidentFromIssue(issue: IssueLike, botLogin: string): Incident | null {
  if (issue.user?.login === botLogin) return parseIncidentState(issue.body);
  const manual = parseManualIncident({
    number: issue.number,
    title: issue.title,
    body: issue.body ?? null,
    createdAt: issue.created_at,
    author: issue.user?.login ?? "unknown",
  });
  return manual.problems.length === 0 ? manual.incident : null;
}
