import type { RiskVerdict } from "./classify-risk.js";
import { type Codeowners, findOwners, type Owner } from "./parse-codeowners.js";

/**
 * Ordered like policy-bot's statuses (`skipped < pending < approved < disapproved`). `skipped` never
 * passes a gate (policy-bot #627: skipped rules let a policy pass).
 */
export const GATE_STATUSES = ["skipped", "pending", "approved", "disapproved"] as const;
export type GateStatus = (typeof GATE_STATUSES)[number];

export interface Actor {
  login: string;
  /** GitHub account type: `User`, `Bot`, `Organization`. */
  type: string;
}

export interface ReviewInput {
  id: number;
  user: Actor | null;
  state: string;
  /** The commit the review was given on. */
  commitId: string | null;
  submittedAt: string | null;
}

export interface CommitInput {
  sha: string;
  author: Actor | null;
  committer: Actor | null;
}

export interface GateInput {
  risk: RiskVerdict;
  /** CODEOWNERS from the base branch, or why it could not be used. */
  codeowners: { ok: true; codeowners: Codeowners } | { ok: false; reason: string };
  pr: { author: Actor; headSha: string };
  /** Who asked for the change (from the remediation marker); `null` when the PR has none. */
  requester: string | null;
  commits: readonly CommitInput[];
  /** Logins that pushed to the head branch (from the activity log), beyond commit authors and committers. */
  pushers?: readonly string[];
  reviews: readonly ReviewInput[];
  /** Standing `/approve` records. */
  commandApprovals: readonly { actor: string; sha: string; at: string }[];
  hold: { actor: string; at: string } | null;
  override: { actor: string; sha: string; reason: string; at: string } | null;
  /** Active team memberships found for the candidate approvers: lower-case login → lower-case `org/team`. */
  memberships: Readonly<Record<string, readonly string[]>>;
  config: { securityTeams: readonly string[]; requiredApprovals: number };
}

export interface ApproverVerdict {
  login: string;
  via: "review" | "command";
  /** Whether this approval counted towards at least one requirement. */
  counted: boolean;
  /** Why it counted or did not. */
  reason: string;
}

export interface GateRequirement {
  /** The destructive path, or `(imperative steps)` for steps outside Git. */
  path: string;
  /** Owners from CODEOWNERS as written (`@org/team`, `@user`). */
  owners: string[];
  /** CODEOWNERS line that decided the owners. */
  line?: number;
  approvedBy: string[];
  status: GateStatus;
  /** Why the requirement cannot be met at all (fail closed), when that is the case. */
  problem?: string;
}

export interface GateResult {
  status: GateStatus;
  conclusion: "success" | "failure";
  title: string;
  risk: RiskVerdict;
  requirements: GateRequirement[];
  approvers: ApproverVerdict[];
  /** Extra facts for the summary (hold, override, disapprovals, config problems). */
  notes: string[];
}

const STEPS_PATH = "(imperative steps)";

/** A GitHub login that is a bot or an app, whatever its `type` says (`name[bot]`). */
export function isBotActor(actor: Actor | null | undefined): boolean {
  if (!actor) return true;
  return actor.type === "Bot" || /\[bot\]$/i.test(actor.login);
}

/** Logins and teams whose membership the caller must look up before `evaluateGate`. */
export function gateMembershipQueries(input: Omit<GateInput, "memberships">): {
  logins: string[];
  teams: string[];
} {
  const logins = new Set<string>();
  for (const r of latestReviews(input.reviews).values()) {
    if ((r.state === "APPROVED" || r.state === "CHANGES_REQUESTED") && r.user && !isBotActor(r.user)) {
      logins.add(r.user.login.toLowerCase());
    }
  }
  for (const a of input.commandApprovals) logins.add(a.actor.toLowerCase());
  const teams = new Set(input.config.securityTeams.map(normTeam));
  if (input.codeowners.ok) {
    for (const path of input.risk.destructivePaths) {
      for (const o of findOwners(input.codeowners.codeowners, path)?.owners ?? []) {
        if (o.kind === "team") teams.add(`${o.org}/${o.team}`.toLowerCase());
      }
    }
  }
  return { logins: [...logins].sort(), teams: [...teams].sort() };
}

/**
 * The separation-of-duties gate as a pure function. A destructive change needs, for every destructive path,
 * `requiredApprovals` approvals at the head SHA from members of a security team who own that path — and
 * who are not the author, a pusher, the requester, or a bot. A hold always blocks; an override (break-glass,
 * at the head SHA) passes everything but a hold.
 */
export function evaluateGate(input: GateInput): GateResult {
  const notes: string[] = [];
  const { risk } = input;
  if (input.hold) {
    notes.push(`On hold by @${input.hold.actor} since ${input.hold.at}; /hold cancel lifts it.`);
  }
  if (risk.risk === "safe") {
    return finish(input, input.hold ? "disapproved" : "approved", [], [], notes);
  }

  const securityTeams = input.config.securityTeams.map(normTeam);
  const teamsOf = (login: string) => new Set((input.memberships[login.toLowerCase()] ?? []).map(normTeam));
  const pushers = new Set<string>();
  for (const c of input.commits) {
    for (const a of [c.author, c.committer]) {
      if (a && a.login !== "web-flow") pushers.add(a.login.toLowerCase());
    }
  }
  for (const p of input.pushers ?? []) pushers.add(p.toLowerCase());
  const author = input.pr.author.login.toLowerCase();
  const requester = input.requester?.toLowerCase() ?? null;
  const head = input.pr.headSha;

  // Candidates: each person's latest review state, then standing /approve records.
  type Candidate = { login: string; via: "review" | "command"; sha: string | null; bot: boolean };
  const candidates: Candidate[] = [];
  const disapprovals: string[] = [];
  for (const r of latestReviews(input.reviews).values()) {
    if (!r.user) continue;
    if (r.state === "APPROVED") {
      candidates.push({ login: r.user.login, via: "review", sha: r.commitId, bot: isBotActor(r.user) });
    } else if (r.state === "CHANGES_REQUESTED" && !isBotActor(r.user)) {
      const teams = teamsOf(r.user.login);
      if (securityTeams.some((t) => teams.has(t))) disapprovals.push(r.user.login);
    }
  }
  const seen = new Set(candidates.map((c) => c.login.toLowerCase()));
  for (const a of input.commandApprovals) {
    const bot = /\[bot\]$/i.test(a.actor);
    if (seen.has(a.actor.toLowerCase())) {
      const existing = candidates.find((c) => c.login.toLowerCase() === a.actor.toLowerCase());
      if (existing && existing.sha !== head && a.sha === head) {
        existing.via = "command";
        existing.sha = a.sha;
      }
      continue;
    }
    candidates.push({ login: a.actor, via: "command", sha: a.sha, bot });
  }

  const approvers: ApproverVerdict[] = [];
  const eligible: { login: string; teams: Set<string> }[] = [];
  for (const c of candidates) {
    const key = c.login.toLowerCase();
    const teams = teamsOf(c.login);
    let reason: string | undefined;
    if (c.bot) reason = "bots and apps never count";
    else if (key === author) reason = "author of the pull request";
    else if (pushers.has(key)) reason = "pushed commits to the pull request";
    else if (requester !== null && key === requester) reason = "asked for this change (requester)";
    else if (c.sha !== head)
      reason = `approved ${c.sha ? c.sha.slice(0, 7) : "an unknown commit"}, not the head ${head.slice(0, 7)}`;
    else if (!securityTeams.some((t) => teams.has(t))) reason = "not a member of a security team";
    if (reason) {
      approvers.push({ login: c.login, via: c.via, counted: false, reason });
    } else {
      eligible.push({ login: c.login, teams });
      approvers.push({ login: c.login, via: c.via, counted: false, reason: "" });
    }
  }

  // One requirement per destructive path (owners from CODEOWNERS), plus one for steps outside Git.
  const requirements: GateRequirement[] = [];
  const needed = input.config.requiredApprovals;
  const paths = [...risk.destructivePaths];
  const hasPathless = risk.reasons.some((r) => !r.path);
  for (const path of paths) {
    const req: GateRequirement = { path, owners: [], approvedBy: [], status: "pending" };
    requirements.push(req);
    if (!input.codeowners.ok) {
      req.problem = input.codeowners.reason;
      continue;
    }
    const rule = findOwners(input.codeowners.codeowners, path);
    if (!rule || rule.owners.length === 0) {
      req.problem = rule
        ? `CODEOWNERS line ${rule.line} leaves ${path} without owners`
        : `no CODEOWNERS line matches ${path}`;
      if (rule) req.line = rule.line;
      continue;
    }
    req.owners = rule.owners.map((o) => o.text);
    req.line = rule.line;
    for (const e of eligible) if (owns(rule.owners, e.login, e.teams)) req.approvedBy.push(e.login);
    if (!rule.owners.some((o) => o.kind !== "email")) {
      req.problem = `CODEOWNERS line ${rule.line} names only e-mail owners, which cannot be matched to GitHub logins`;
    }
  }
  if (hasPathless) {
    const req: GateRequirement = {
      path: risk.reasons.some((r) => r.code === "imperative-step")
        ? STEPS_PATH
        : "(changes not tied to a file)",
      owners: securityTeams.map((t) => `@${t}`),
      approvedBy: eligible.map((e) => e.login),
      status: "pending",
    };
    requirements.push(req);
  }
  if (securityTeams.length === 0) {
    notes.push(
      "No security team is configured (approval.securityTeams in .github/medic.yml): nobody can approve.",
    );
  }
  if (!input.codeowners.ok)
    notes.push(`CODEOWNERS: ${input.codeowners.reason}. Destructive changes are blocked.`);
  for (const req of requirements) {
    req.status = req.problem === undefined && req.approvedBy.length >= needed ? "approved" : "pending";
  }
  for (const v of approvers) {
    if (v.reason !== "") continue;
    const paths = requirements.filter((r) => r.approvedBy.includes(v.login)).map((r) => r.path);
    v.counted = paths.length > 0;
    v.reason = v.counted
      ? `security team member, owns ${paths.join(", ")}, approved the head commit`
      : "security team member, but does not own the destructive paths";
  }

  let status: GateStatus = combine(requirements.map((r) => r.status));
  if (requirements.length === 0) status = "pending";
  if (disapprovals.length) {
    status = "disapproved";
    notes.push(
      `Changes requested by security team member(s): ${disapprovals.map((l) => `@${l}`).join(", ")}.`,
    );
  }
  if (input.override) {
    if (input.override.sha === head) {
      notes.push(`Overridden by @${input.override.actor} at ${head.slice(0, 7)}: ${input.override.reason}`);
      status = "approved";
    } else {
      notes.push(
        `An override by @${input.override.actor} was given at ${input.override.sha.slice(0, 7)}, not the head commit; it no longer applies.`,
      );
    }
  }
  if (input.hold) status = "disapproved";
  return finish(input, status, requirements, approvers, notes);
}

/**
 * All-of combination: any disapproval wins, then anything not approved (pending or skipped) keeps the gate
 * pending; only when every requirement is approved is the whole approved. Nothing at all is `skipped`.
 */
export function combine(statuses: readonly GateStatus[]): GateStatus {
  if (statuses.length === 0) return "skipped";
  if (statuses.includes("disapproved")) return "disapproved";
  return statuses.every((s) => s === "approved") ? "approved" : "pending";
}

function finish(
  input: GateInput,
  status: GateStatus,
  requirements: GateRequirement[],
  approvers: ApproverVerdict[],
  notes: string[],
): GateResult {
  const conclusion = status === "approved" ? "success" : "failure";
  let title: string;
  if (input.hold) title = `On hold by @${input.hold.actor}`;
  else if (input.risk.risk === "safe") title = "Safe change: normal review applies";
  else if (status === "approved" && input.override?.sha === input.pr.headSha)
    title = `Destructive change: overridden by @${input.override.actor}`;
  else if (status === "approved") title = "Destructive change: approved by security code owners";
  else if (status === "disapproved") title = "Destructive change: changes requested by security";
  else {
    const missing = requirements.filter((r) => r.status !== "approved");
    const blocked = missing.some((r) => r.problem);
    title = blocked
      ? "Destructive change: blocked (ownership cannot be established)"
      : `Destructive change: needs ${input.config.requiredApprovals} security code owner approval${input.config.requiredApprovals > 1 ? "s" : ""} at ${input.pr.headSha.slice(0, 7)}`;
  }
  return { status, conclusion, title, risk: input.risk, requirements, approvers, notes };
}

function latestReviews(reviews: readonly ReviewInput[]): Map<string, ReviewInput> {
  const sorted = [...reviews].sort(
    (a, b) => (a.submittedAt ?? "").localeCompare(b.submittedAt ?? "") || a.id - b.id,
  );
  const latest = new Map<string, ReviewInput>();
  for (const r of sorted) {
    if (!r.user) continue;
    // GitHub: a comment-only review does not replace an approval or a change request.
    if (r.state === "COMMENTED" || r.state === "PENDING") continue;
    latest.set(r.user.login.toLowerCase(), r);
  }
  return latest;
}

function owns(owners: readonly Owner[], login: string, teams: Set<string>): boolean {
  return owners.some((o) =>
    o.kind === "user"
      ? o.login.toLowerCase() === login.toLowerCase()
      : o.kind === "team"
        ? teams.has(`${o.org}/${o.team}`.toLowerCase())
        : false,
  );
}

function normTeam(t: string): string {
  return t.replace(/^@/, "").toLowerCase();
}
