import { classifyRisk, type FileChange, type RiskVerdict } from "../core/approval/classify-risk.js";
import {
  evaluateGate,
  type GateInput,
  type GateResult,
  gateMembershipQueries,
} from "../core/approval/evaluate-gate.js";
import { CODEOWNERS_PATHS, parseCodeowners } from "../core/approval/parse-codeowners.js";
import { parseRemediationMarker } from "../core/approval/remediation-marker.js";
import { renderGateSummary } from "../core/approval/render-gate-summary.js";
import { appendAuditBlock } from "../core/audit/append-audit-block.js";
import { readCommandState } from "../core/commands/command-record.js";
import type { ApprovalConfig } from "../core/config/sections/approval.js";
import type { ApprovalCheck, TeamDirectory } from "./ports/approvals.js";
import type { AuditEntry, AuditSink } from "./ports/audit-sink.js";
import type { Clock } from "./ports/clock.js";
import type { Conversation } from "./ports/commands.js";
import type { Logger } from "./ports/logger.js";
import type { PullRequestReader } from "./ports/pull-request.js";

export interface EvaluateApprovalDeps {
  pulls: PullRequestReader;
  conversation: Pick<Conversation, "listComments">;
  teams: TeamDirectory;
  check: ApprovalCheck;
  logger: Logger;
  /** The bot's own login (`<slug>[bot]`): only its comments carry command records. */
  botLogin: string;
  /** `templates/approval-check.md`. */
  template: string;
  /** Every evaluation leaves an Evidence record: hidden block in the check summary + the ledger. */
  audit: AuditSink;
  clock: Clock;
  /** `owner/name` of the pull request's repository (the ledger's home). */
  repo: string;
  /** `X-GitHub-Delivery` of the event that triggered the evaluation. */
  deliveryId?: string;
}

export type EvaluateApprovalResult =
  | { kind: "skipped"; reason: string }
  | { kind: "evaluated"; headSha: string; gate: GateResult };

/** Files at which the diff is too large to judge file by file: GitHub lists at most 3,000. */
const MAX_FILES = 3_000;

/**
 * Re-evaluates the `medic/approval` check of one pull request from scratch: nothing is cached between
 * runs, so a review, a push, a hold or an edit to the base branch's CODEOWNERS is always seen.
 */
export async function evaluateApproval(
  deps: EvaluateApprovalDeps,
  config: ApprovalConfig,
  number: number,
): Promise<EvaluateApprovalResult> {
  // 1. The pull request; closed ones are left alone.
  const pr = await deps.pulls.get(number);
  if (pr.state !== "open") return { kind: "skipped", reason: "pull request is not open" };

  // 2. The remediation marker: requester and imperative steps (a PR without one is requester-less).
  const marker = parseRemediationMarker(pr.body);
  if (!marker.ok && marker.reason !== "missing") {
    deps.logger.warn({ pr: number, problem: marker.message }, "remediation marker unreadable");
  }
  const requester = marker.ok ? marker.marker.requester : null;
  const steps = marker.ok ? (marker.marker.steps ?? []) : [];

  // 3. Classify the real diff (before = merge base, after = head).
  const risk = await classifyPullRequest(deps.pulls, pr.mergeBaseSha, pr.headSha, number, steps, config);

  // 4. CODEOWNERS from the base branch (only needed when something is destructive).
  const codeowners: GateInput["codeowners"] =
    risk.risk === "destructive"
      ? await readCodeowners(deps.pulls, pr.baseRef)
      : { ok: false, reason: "not read: the change is safe" };

  // 5. Reviews, pushers and the bot's own command records.
  const [reviews, commits, comments, pushers] = await Promise.all([
    deps.pulls.listReviews(number),
    deps.pulls.listCommits(number),
    deps.conversation.listComments(number),
    deps.pulls.listPushers(pr),
  ]);
  if (!pushers.complete) deps.logger.warn({ pr: number, headRepo: pr.headRepo }, "push activity unreadable");
  const state = readCommandState(comments, deps.botLogin);
  const base: Omit<GateInput, "memberships"> = {
    risk,
    codeowners,
    pr: { author: pr.author, headSha: pr.headSha },
    requester,
    commits,
    pushers: pushers.logins,
    reviews,
    commandApprovals: [...state.approvals.values()],
    hold: state.hold,
    override: state.override,
    config: { securityTeams: config.securityTeams, requiredApprovals: config.requiredApprovals },
  };

  // 6. Team membership of the candidate approvers, live (cached at most 60 s by the adapter).
  const memberships: Record<string, string[]> = {};
  if (risk.risk === "destructive") {
    const q = gateMembershipQueries(base);
    await Promise.all(
      q.logins.flatMap((login) =>
        q.teams.map(async (team) => {
          const [org, slug] = team.split("/") as [string, string];
          if (!(await deps.teams.isActiveMember(org, slug, login))) return;
          memberships[login] ??= [];
          memberships[login].push(team);
        }),
      ),
    );
  }

  // 7. Decide and publish.
  const gate = evaluateGate({ ...base, memberships });
  const record: AuditEntry = {
    v: 1,
    at: new Date(deps.clock.now()).toISOString(),
    actor: { kind: "bot", login: deps.botLogin },
    action: "approval.evaluated",
    reason: gate.title,
    ...(deps.deliveryId ? { deliveryId: deps.deliveryId } : {}),
    ...(marker.ok ? { incidentKey: marker.marker.incidentKey } : {}),
    subject: { kind: "pull_request", repo: deps.repo, number },
    shas: { head: pr.headSha, base: pr.mergeBaseSha },
    inputs: {
      risk: risk.risk,
      riskReasons: risk.reasons.map((r) => r.code),
      destructivePaths: risk.destructivePaths,
      author: pr.author.login,
      requester,
      ...(marker.ok ? { runbook: marker.marker.runbook } : {}),
      codeowners: codeowners.ok ? "read" : codeowners.reason,
      requirements: gate.requirements.map((r) => ({
        path: r.path,
        status: r.status,
        approvedBy: r.approvedBy,
      })),
      approvers: gate.approvers.map((a) => ({
        login: a.login,
        via: a.via,
        counted: a.counted,
        reason: a.reason,
      })),
      hold: state.hold,
      override: state.override,
    },
    outcome: { status: gate.conclusion === "success" ? "ok" : "refused", detail: gate.status },
  };
  deps.audit.record(record);
  await deps.check.publish({
    headSha: pr.headSha,
    conclusion: gate.conclusion,
    title: gate.title,
    summary: appendAuditBlock(renderGateSummary(gate, pr.headSha, deps.template), record),
  });
  deps.logger.info(
    { pr: number, headSha: pr.headSha, risk: risk.risk, status: gate.status, reasons: risk.reasons.length },
    "approval evaluated",
  );
  return { kind: "evaluated", headSha: pr.headSha, gate };
}

async function classifyPullRequest(
  pulls: PullRequestReader,
  baseSha: string,
  headSha: string,
  number: number,
  steps: { kind: string; target?: string }[],
  config: ApprovalConfig,
): Promise<RiskVerdict> {
  const { files, truncated } = await pulls.listFiles(number);
  const changes: FileChange[] = [];
  // Few files at a time: a large PR must not burst GitHub's concurrency limit.
  for (let i = 0; i < files.length; i += 8) {
    const batch = files.slice(i, i + 8);
    changes.push(
      ...(await Promise.all(
        batch.map(async (f): Promise<FileChange> => {
          const before =
            f.status === "added" || f.status === "copied"
              ? ""
              : await pulls.readFile(f.previousPath ?? f.path, baseSha);
          const after = f.status === "removed" ? "" : await pulls.readFile(f.path, headSha);
          return { ...f, before, after };
        }),
      )),
    );
  }
  const verdict = classifyRisk(changes, steps, {
    replicaDropThreshold: config.replicaDropThreshold,
    guardrailPaths: config.guardrailPaths,
  });
  if (truncated || files.length >= MAX_FILES) {
    verdict.risk = "destructive";
    verdict.reasons.push({
      code: "unclassified",
      message: `the pull request changes more files than GitHub lists (${files.length}); the rest cannot be judged`,
    });
  }
  return verdict;
}

async function readCodeowners(pulls: PullRequestReader, baseRef: string): Promise<GateInput["codeowners"]> {
  for (const path of CODEOWNERS_PATHS) {
    const text = await pulls.readFile(path, baseRef);
    if (text === null) continue;
    const parsed = parseCodeowners(text, path);
    if (parsed.errors.length > 0) {
      const e = parsed.errors[0]!;
      return {
        ok: false,
        reason: `${path} on ${baseRef} has ${parsed.errors.length} invalid line(s) (line ${e.line}: ${e.message})`,
      };
    }
    return { ok: true, codeowners: parsed };
  }
  return { ok: false, reason: `no CODEOWNERS file on ${baseRef} (.github/, root or docs/)` };
}
