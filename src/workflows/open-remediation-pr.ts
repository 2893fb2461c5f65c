import { CODEOWNERS_PATHS, type Codeowners, parseCodeowners } from "../core/approval/parse-codeowners.js";
import { parseRemediationMarker } from "../core/approval/remediation-marker.js";
import { appendAuditBlock } from "../core/audit/append-audit-block.js";
import type { AuditOutcome } from "../core/audit/audit-record.js";
import type { RemediationConfig } from "../core/config/sections/remediation.js";
import { hashPlan } from "../core/plan/hash-plan.js";
import type { RemediationPlan } from "../core/plan/remediation-plan.js";
import { buildRemediationBranch } from "../core/remediation/build-remediation-branch.js";
import { buildRemediationLabels, missingLabels } from "../core/remediation/build-remediation-labels.js";
import { buildRemediationTitle } from "../core/remediation/build-remediation-title.js";
import { checkChangePaths } from "../core/remediation/check-change-paths.js";
import {
  type DecideInput,
  decideRemediationAction,
  HANDS_OFF_LABEL,
  type HeadOwner,
  isBotCommit,
  type RemediationAction,
} from "../core/remediation/decide-remediation-action.js";
import { renderRemediationBody } from "../core/remediation/render-remediation-body.js";
import {
  noticeMarker,
  type RemediationNotice,
  renderRemediationNotice,
} from "../core/remediation/render-remediation-notice.js";
import { selectReviewers } from "../core/remediation/select-reviewers.js";
import type { AuditEntry, AuditSink } from "./ports/audit-sink.js";
import { type AutomationSwitch, describePause } from "./ports/automation-switch.js";
import type { BaseSnapshot, ChangeRequests, PullRequestSummary } from "./ports/change-requests.js";
import type { Clock } from "./ports/clock.js";
import type { Logger } from "./ports/logger.js";

/** The planner's answer (the runbook helper's `planRemediation`, adapted by the caller). */
export type PlanOutcome =
  | { ok: true; plan: RemediationPlan }
  /** `notify`: a runbook matched but could not plan — worth a note on the incident (once). */
  | { ok: false; reason: string; notify?: { runbook: string } };

/** The incident the PR belongs to. */
export interface IncidentRef {
  key: string;
  number: number;
  /**
   * `owner/name` of the incident issue's repository when it is not the PR's (incidents in
   * `INCIDENT_REPO`, manifests in the GitOps repository); absent ⇒ the same repository.
   */
  repo?: string;
  url: string;
  title: string;
  severity?: string;
  status?: string;
  startsAt?: string;
}

export interface OpenRemediationPrDeps {
  changeRequests: ChangeRequests;
  /** Reads the base branch afresh; called a second time to regenerate after a conflict. */
  openSnapshot(): BaseSnapshot;
  /** Plans against the given files (the runbook helper's planning workflow). */
  plan(repo: BaseSnapshot): Promise<PlanOutcome>;
  /** `templates/remediation-pr.md`. */
  template: string;
  /** The app's bot account: `<slug>[bot]` and, when known, its user id (commit e-mail). */
  bot: { login: string; userId?: number };
  config: RemediationConfig;
  /**
   * Comments on the incident issue (notices: opened, no plan, conflict, limit), when the incident lives in
   * another repository than the PR; `changeRequests` otherwise.
   */
  incidentComments?: Pick<ChangeRequests, "comment" | "hasComment">;
  /** The kill switch ("pause all automation" on the dashboard): while on, nothing is written. */
  automation?: AutomationSwitch;
  /**
   * Evidence records of every outcome (opened, updated, resumed, stopped, not planned): the hidden block
   * ends the PR body and the bot's incident/PR comment, and the record goes to the ledger of `repo`.
   * Without it nothing is recorded — callers should always pass it.
   */
  audit?: { sink: AuditSink; clock: Clock; repo: string; deliveryId?: string };
  /**
   * Called when a PR was opened or updated to a new plan, with a line for the incident's timeline
   * (optional: no tracker, no entry). A failure must not throw: the PR stands either way.
   */
  recordTimeline?(detail: string, url: string): Promise<void>;
  logger: Logger;
}

export interface OpenRemediationPrInput {
  incident: IncidentRef;
  /** Who asked (`/remediate`), or null when the bot matched the runbook itself. */
  requester: string | null;
  /**
   * `update-only` (an incident issue edited) refreshes an open PR but never opens one: a PR a person
   * closed stays closed until the incident reopens or someone asks with `/remediate`.
   */
  mode?: "create-or-update" | "update-only";
}

export type OpenRemediationPrResult =
  | { kind: "opened" | "updated" | "resumed" | "unchanged"; number: number; url: string; branch: string }
  | { kind: "stopped"; reason: string; message: string; branch?: string; number?: number }
  | { kind: "no-plan"; message: string };

/**
 * Incident ⇒ one remediation PR, idempotently. Steps:
 * 1. plan against a snapshot of the base branch (one ref read, one tree listing, blobs on demand);
 * 2. find the open PR of the deterministic branch (a listing, never search) and decide: create, update
 *    (only a branch whose head the bot wrote), resume what a crashed run left, or stop;
 * 3. write ONE tree (files inline) and ONE commit, then create or move the branch;
 * 4. open or update the PR with the rendered body and its markers;
 * 5. comment on the incident, request reviewers from CODEOWNERS, add labels — labels last, so their
 *    presence tells a later run that everything before them happened.
 * A 409/422 on the branch re-reads the base and plans once more; a second one is reported and stops.
 */
export async function openRemediationPr(
  deps: OpenRemediationPrDeps,
  input: OpenRemediationPrInput,
): Promise<OpenRemediationPrResult> {
  const pause = await deps.automation?.paused();
  if (pause?.paused) {
    deps.logger.info({ incident: input.incident.key }, "remediation skipped: automation paused");
    emit(
      deps,
      record(deps, input, "remediation.stopped", describePause(pause), {
        status: "skipped",
        detail: "paused",
      }),
    );
    return { kind: "stopped", reason: "paused", message: describePause(pause) };
  }
  let lastConflict = "";
  for (let attempt = 1; attempt <= 2; attempt++) {
    const res = await attemptOnce(deps, input);
    if (res.kind !== "conflict") return res;
    lastConflict = res.message;
    deps.logger.warn({ attempt, branch: res.branch, message: res.message }, "remediation branch conflict");
    if (attempt === 2) {
      const rec = record(
        deps,
        input,
        "remediation.stopped",
        res.message,
        { status: "failed", detail: "conflict" },
        {
          inputs: { branch: res.branch },
        },
      );
      emit(deps, rec);
      await notifyOnce(
        deps,
        input.incident.number,
        { kind: "conflict", branch: res.branch, message: res.message },
        true,
        rec,
      );
      return { kind: "stopped", reason: "conflict", message: lastConflict, branch: res.branch };
    }
  }
  throw new Error("unreachable");
}

type AttemptResult = OpenRemediationPrResult | { kind: "conflict"; branch: string; message: string };

async function attemptOnce(
  deps: OpenRemediationPrDeps,
  input: OpenRemediationPrInput,
): Promise<AttemptResult> {
  const cr = deps.changeRequests;
  const { incident } = input;

  // 1. Plan.
  const snapshot = deps.openSnapshot();
  const outcome = await deps.plan(snapshot);
  if (!outcome.ok) {
    const rec = record(
      deps,
      input,
      "remediation.not-planned",
      outcome.reason,
      { status: "skipped" },
      {
        inputs: outcome.notify ? { runbook: outcome.notify.runbook } : {},
      },
    );
    emit(deps, rec);
    if (outcome.notify) {
      await notifyOnce(
        deps,
        incident.number,
        { kind: "no-plan", runbook: outcome.notify.runbook, message: outcome.reason },
        true,
        rec,
      );
    }
    return { kind: "no-plan", message: outcome.reason };
  }
  const plan = outcome.plan;
  if (plan.incidentKey !== incident.key) {
    throw new Error(`plan is for incident "${plan.incidentKey}", not "${incident.key}"`);
  }
  const paths = checkChangePaths(plan.changes.map((c) => c.path));
  if (!paths.ok) {
    deps.logger.error({ runbook: plan.runbook.id, path: paths.path, reason: paths.reason }, "plan refused");
    emit(
      deps,
      record(
        deps,
        input,
        "remediation.stopped",
        `${paths.path}: ${paths.reason}`,
        {
          status: "refused",
          detail: "unsafe-path",
        },
        { plan },
      ),
    );
    return { kind: "stopped", reason: "unsafe-path", message: `${paths.path}: ${paths.reason}` };
  }
  const planHash = hashPlan(plan);
  const branch = buildRemediationBranch(plan.runbook.id, plan.incidentKey);
  const labels = buildRemediationLabels(
    { runbookId: plan.runbook.id, risk: plan.risk.level },
    deps.config.labels,
  );
  const desired = {
    incidentKey: plan.incidentKey,
    runbook: plan.runbook.id,
    requester: input.requester,
    planHash,
  };

  // 2. Find and decide.
  const pr = await cr.findOpenPullRequest(branch);
  const decideInput: DecideInput = {
    desired,
    botLogin: deps.bot.login,
    pullRequest: pr && { ...pr },
    headOwner: "unknown",
    wantedLabels: labels,
    maxOpenPullRequests: deps.config.maxOpenPullRequests,
  };
  if (pr === null && input.mode === "update-only") {
    // Not a decision worth a record: an edited incident with no PR to refresh.
    return { kind: "stopped", reason: "no-open-pr", message: `no open pull request on ${branch}`, branch };
  }
  if (pr === null) {
    decideInput.openPullRequests = await cr.countOpenPullRequests({ label: "medic", author: deps.bot.login });
  }
  let action: RemediationAction = decideRemediationAction(decideInput);
  if (action.kind === "inspect-head") {
    const head = await cr.getCommit(action.headSha);
    const owner: HeadOwner = isBotCommit(head, deps.bot) ? "bot" : "human";
    action = decideRemediationAction({ ...decideInput, headOwner: owner });
  }
  deps.logger.info({ branch, action: action.kind, planHash }, "remediation decision");

  if (action.kind === "stop") return stop(deps, input, action, branch, pr, plan, planHash);

  const ctx: WriteContext = { deps, input, plan, planHash, branch, labels, snapshot, pr };
  if (action.kind === "resume") return resume(ctx, pr!, action.complete);
  return write(ctx, action.kind === "update" ? pr! : null);
}

interface WriteContext {
  deps: OpenRemediationPrDeps;
  input: OpenRemediationPrInput;
  plan: RemediationPlan;
  planHash: string;
  branch: string;
  labels: string[];
  snapshot: BaseSnapshot;
  pr: PullRequestSummary | null;
}

/** Steps 3–5 for a new PR (`existing` null) or a changed plan on the bot's own PR. */
async function write(ctx: WriteContext, existing: PullRequestSummary | null): Promise<AttemptResult> {
  const { deps, plan, branch } = ctx;
  const cr = deps.changeRequests;
  const base = await ctx.snapshot.base();
  const files = plan.changes.map((c) => ({ path: c.path, content: c.after }));
  const message = commitMessage(ctx);

  // 3. One tree, one commit, the branch.
  let headSha: string;
  const committed = await cr.commitChanges({
    branch,
    base,
    files,
    message,
    branchState: existing ? { kind: "bot-owned", headSha: existing.headSha } : { kind: "absent" },
  });
  if (committed.ok) {
    headSha = committed.commitSha;
  } else if (committed.reason === "conflict") {
    return { kind: "conflict", branch, message: committed.message };
  } else {
    // The branch exists without an open PR: a run died after creating it, or a person made it.
    const current = await cr.getBranchSha(branch);
    if (current === null) return { kind: "conflict", branch, message: committed.message };
    const head = await cr.getCommit(current);
    if (!isBotCommit(head, deps.bot)) {
      const rec = record(
        deps,
        ctx.input,
        "remediation.stopped",
        `branch ${branch} has a commit by a person`,
        { status: "refused", detail: "branch-taken" },
        { plan, planHash: ctx.planHash, branch, shas: { base: base.commitSha, head: current } },
      );
      emit(deps, rec);
      await notifyOnce(
        deps,
        ctx.input.incident.number,
        { kind: "branch-taken", branch, headSha: current },
        true,
        rec,
      );
      return {
        kind: "stopped",
        reason: "branch-taken",
        message: `branch ${branch} has a commit by a person`,
        branch,
      };
    }
    if (
      head.treeSha === committed.treeSha &&
      head.parents.length === 1 &&
      head.parents[0] === base.commitSha
    ) {
      headSha = current; // the crashed run already wrote exactly this commit: keep it
    } else {
      const moved = await cr.moveBranch(branch, committed.commitSha);
      if (!moved.ok) return { kind: "conflict", branch, message: moved.message };
      headSha = committed.commitSha;
    }
  }

  // 4. The PR, its body ending with the record of this decision.
  const reviewers = await pickReviewers(ctx);
  const rec = record(
    deps,
    ctx.input,
    existing ? "remediation.updated" : "remediation.opened",
    `runbook ${plan.runbook.id} planned ${plan.changes.length} change(s) for ${plan.target}`,
    { status: "ok", detail: existing ? `PR #${existing.number} updated` : `PR opened on ${branch}` },
    {
      plan,
      planHash: ctx.planHash,
      branch,
      shas: { base: base.commitSha, head: headSha },
      inputs: existing ? { pullRequest: existing.number } : {},
    },
  );
  const rendered = renderRemediationBody(deps.template, {
    plan,
    planHash: ctx.planHash,
    incident: ctx.input.incident,
    requester: keptRequester(existing, ctx.input.requester),
    headSha,
    unownedPaths: reviewers.unowned,
  });
  const body = rec ? appendAuditBlock(rendered, rec) : rendered;
  const opened = await cr.openOrUpdatePullRequest({
    existing: existing?.number ?? null,
    branch,
    base: base.branch,
    title: buildRemediationTitle(plan),
    body,
    draft: deps.config.draft,
  });
  if (!opened.ok) return { kind: "conflict", branch, message: opened.message };
  emit(deps, rec);

  // 5. Incident comment, reviewers, labels (last: the marker of a finished run).
  if (existing === null) {
    await notifyOnce(
      deps,
      ctx.input.incident.number,
      openedNotice(ctx, opened.number, opened.url),
      !opened.created,
      rec,
    );
    await deps.recordTimeline?.(`remediation PR #${opened.number} (${plan.runbook.id})`, opened.url);
  } else {
    // One line per plan the PR was updated to (the hash tells them apart; a repeat is not re-added).
    await deps.recordTimeline?.(
      `remediation PR #${opened.number} updated (${plan.runbook.id}, plan ${ctx.planHash.slice(0, 12)})`,
      opened.url,
    );
  }
  await cr.requestReviewers(opened.number, {
    users: reviewers.users.filter((u) => !existing?.requestedUsers.includes(u)),
    teams: reviewers.teams.filter((t) => !existing?.requestedTeams.includes(t)),
  });
  if (existing) {
    // A changed plan can change the risk or runbook: drop the bot's own stale labels, keep people's.
    for (const stale of existing.labels.filter(
      (l) => (l.startsWith("risk:") || l.startsWith("runbook:")) && !ctx.labels.includes(l),
    )) {
      await cr.removeLabel(opened.number, stale);
    }
  }
  await cr.addLabels(opened.number, missingLabels(ctx.labels, existing?.labels ?? []));
  return {
    kind: existing ? "updated" : "opened",
    number: opened.number,
    url: opened.url,
    branch,
  };
}

/** Same plan on the bot's PR: do whatever a crashed run did not get to (labels are written last). */
async function resume(ctx: WriteContext, pr: PullRequestSummary, complete: boolean): Promise<AttemptResult> {
  const { deps } = ctx;
  if (complete) return { kind: "unchanged", number: pr.number, url: pr.url, branch: ctx.branch };
  const cr = deps.changeRequests;
  const rec = record(
    deps,
    ctx.input,
    "remediation.resumed",
    `finishing what an interrupted run left undone on PR #${pr.number}`,
    { status: "ok" },
    {
      plan: ctx.plan,
      planHash: ctx.planHash,
      branch: ctx.branch,
      shas: { head: pr.headSha },
      inputs: { pullRequest: pr.number },
    },
  );
  emit(deps, rec);
  await notifyOnce(deps, ctx.input.incident.number, openedNotice(ctx, pr.number, pr.url), true, rec);
  const reviewers = await pickReviewers(ctx);
  await cr.requestReviewers(pr.number, {
    users: reviewers.users.filter((u) => !pr.requestedUsers.includes(u)),
    teams: reviewers.teams.filter((t) => !pr.requestedTeams.includes(t)),
  });
  await cr.addLabels(pr.number, missingLabels(ctx.labels, pr.labels));
  return { kind: "resumed", number: pr.number, url: pr.url, branch: ctx.branch };
}

async function stop(
  deps: OpenRemediationPrDeps,
  input: OpenRemediationPrInput,
  action: Extract<RemediationAction, { kind: "stop" }>,
  branch: string,
  pr: PullRequestSummary | null,
  plan: RemediationPlan,
  planHash: string,
): Promise<AttemptResult> {
  const cr = deps.changeRequests;
  const rec = record(
    deps,
    input,
    "remediation.stopped",
    action.message,
    { status: action.reason === "hands-off" ? "skipped" : "refused", detail: action.reason },
    {
      plan,
      planHash,
      branch,
      ...(pr ? { shas: { head: pr.headSha } } : {}),
      inputs: action.pullRequest !== undefined ? { pullRequest: action.pullRequest } : {},
    },
  );
  emit(deps, rec);
  const result = {
    kind: "stopped" as const,
    reason: action.reason,
    message: action.message,
    branch,
    ...(action.pullRequest !== undefined ? { number: action.pullRequest } : {}),
  };
  switch (action.reason) {
    case "hands-off":
      return result;
    case "human-pushed": {
      // Said once on the PR, then the label makes every later run stop at the listing.
      const notice: RemediationNotice = { kind: "human-pushed", branch, headSha: pr!.headSha };
      if (!(await cr.hasComment(pr!.number, noticeMarker(notice), deps.bot.login))) {
        const text = renderRemediationNotice(notice);
        await cr.comment(pr!.number, rec ? appendAuditBlock(text, rec) : text);
      }
      await cr.addLabels(pr!.number, [HANDS_OFF_LABEL]);
      return result;
    }
    case "limit":
    case "foreign-pr":
      await notifyOnce(
        deps,
        input.incident.number,
        { kind: action.reason, branch, message: action.message },
        true,
        rec,
      );
      return result;
  }
}

/** Posts a notice on the incident unless it is there already (`check` false: known not to be there). */
async function notifyOnce(
  deps: OpenRemediationPrDeps,
  issue: number,
  notice: RemediationNotice,
  check = true,
  rec: AuditEntry | null = null,
): Promise<void> {
  const cr = deps.incidentComments ?? deps.changeRequests;
  if (check && (await cr.hasComment(issue, noticeMarker(notice), deps.bot.login))) return;
  const text = renderRemediationNotice(notice);
  await cr.comment(issue, rec ? appendAuditBlock(text, rec) : text);
}

/** The Evidence record of one remediation outcome, or null when the caller wired no audit sink. */
function record(
  deps: OpenRemediationPrDeps,
  input: OpenRemediationPrInput,
  action: string,
  reason: string,
  outcome: AuditOutcome,
  more: {
    plan?: RemediationPlan;
    planHash?: string;
    branch?: string;
    shas?: Record<string, string>;
    inputs?: Record<string, unknown>;
  } = {},
): AuditEntry | null {
  const audit = deps.audit;
  if (!audit) return null;
  const { plan } = more;
  return {
    v: 1,
    at: new Date(audit.clock.now()).toISOString(),
    actor: { kind: "bot", login: deps.bot.login },
    action,
    reason: reason.slice(0, 4000),
    ...(audit.deliveryId ? { deliveryId: audit.deliveryId } : {}),
    incidentKey: input.incident.key,
    ...(plan ? { runbook: { id: plan.runbook.id, version: plan.runbook.version } } : {}),
    subject: { kind: "issue", repo: input.incident.repo ?? audit.repo, number: input.incident.number },
    // Only real commit SHAs (a fake or abbreviated-by-name revision stays out rather than failing the run).
    shas: Object.fromEntries(Object.entries(more.shas ?? {}).filter(([, v]) => /^[0-9a-f]{7,64}$/.test(v))),
    inputs: {
      requester: input.requester,
      mode: input.mode ?? "create-or-update",
      ...(plan
        ? {
            target: plan.target,
            risk: plan.risk.level,
            approvals: plan.approvals.reasons,
            changes: plan.changes.map((c) => c.path),
            imperativeSteps: plan.steps.length,
          }
        : {}),
      ...(more.planHash ? { planHash: more.planHash } : {}),
      ...(more.branch ? { branch: more.branch } : {}),
      ...more.inputs,
    },
    outcome: outcome.detail ? { ...outcome, detail: outcome.detail.slice(0, 2000) } : outcome,
  };
}

function emit(deps: OpenRemediationPrDeps, rec: AuditEntry | null): void {
  if (rec) deps.audit?.sink.record(rec);
}

function openedNotice(ctx: WriteContext, number: number, url: string): RemediationNotice {
  return {
    kind: "opened",
    branch: ctx.branch,
    pullRequest: number,
    url,
    runbook: ctx.plan.runbook.id,
    risk: ctx.plan.risk.level,
    approvals: ctx.plan.approvals.reasons,
    imperativeSteps: ctx.plan.steps.length,
  };
}

async function pickReviewers(ctx: WriteContext) {
  let codeowners: Codeowners | null = null;
  for (const path of CODEOWNERS_PATHS) {
    const text = await ctx.snapshot.readFile(path);
    if (text !== null) {
      codeowners = parseCodeowners(text, path);
      break;
    }
  }
  return selectReviewers({
    codeowners,
    paths: ctx.plan.changes.map((c) => c.path),
    org: ctx.deps.changeRequests.owner,
    exclude: [ctx.input.requester, keptRequester(ctx.pr, ctx.input.requester), ctx.deps.bot.login],
  });
}

/**
 * The requester recorded on an existing PR survives an update: the approval gate refuses the requester's
 * own approval, so an automatic refresh (no requester) must never erase who asked.
 */
function keptRequester(existing: PullRequestSummary | null, requester: string | null): string | null {
  if (!existing) return requester;
  const marker = parseRemediationMarker(existing.body);
  return (marker.ok ? marker.marker.requester : null) ?? requester;
}

function commitMessage(ctx: WriteContext): string {
  const { plan } = ctx;
  const lines = plan.changes.map((c) => `- ${c.path}: ${c.summary}`.slice(0, 200));
  return [
    `medic(${plan.runbook.id}): ${plan.target}`.slice(0, 72),
    "",
    `Incident: ${plan.incidentKey} (${ctx.input.incident.repo ?? ""}#${ctx.input.incident.number})`,
    `Risk: ${plan.risk.level}`,
    ...lines,
    "",
    `Medic-Plan: ${ctx.planHash}`,
  ].join("\n");
}
