import type { RemediationMarker } from "../approval/remediation-marker.js";
import { parseRemediationMarker } from "../approval/remediation-marker.js";
import { parseMarker } from "../markdown/parse-marker.js";

/** The label that records "a person took this branch over": the bot leaves such a PR alone for good. */
export const HANDS_OFF_LABEL = "medic:hands-off";

/** Marker kind recording the head commit the bot last wrote (`<!-- medic:remediation-head SHA -->`). */
export const HEAD_MARKER_KIND = "remediation-head";

/** An open pull request on the remediation branch, as the listing returns it. */
export interface ObservedPullRequest {
  number: number;
  /** Login of the PR author (the bot for its own PRs). */
  author: string;
  body: string;
  headSha: string;
  labels: readonly string[];
}

/** Who made the branch's head commit. `unknown` until the commit has been looked at. */
export type HeadOwner = "bot" | "human" | "unknown";

export type RemediationAction =
  /** No PR yet: write the commit and open one. */
  | { kind: "create" }
  /** The PR is the bot's and the plan changed: new commit, move the bot's branch, rewrite the body. */
  | { kind: "update"; pullRequest: number }
  /** The PR is the bot's and already has this plan: finish whatever a crashed run left undone. */
  | { kind: "resume"; pullRequest: number; complete: boolean }
  /** The head commit is neither the one the bot recorded nor known: read it before deciding. */
  | { kind: "inspect-head"; pullRequest: number; headSha: string }
  | { kind: "stop"; reason: StopReason; pullRequest?: number; message: string };

export type StopReason =
  /** Too many remediation PRs are open in the repository (config `remediation.maxOpenPullRequests`). */
  | "limit"
  /** A PR on the bot's branch that the bot did not open, or for another incident/runbook. */
  | "foreign-pr"
  /** A person pushed to the branch: from now on it is theirs (said once on the PR). */
  | "human-pushed"
  /** Already handed over earlier (label present): nothing more to say. */
  | "hands-off";

export interface DecideInput {
  /** What this run wants the PR to carry. */
  desired: RemediationMarker;
  /** The bot's login (`<slug>[bot]`). */
  botLogin: string;
  /** The open PR found by listing the branch, or null. */
  pullRequest: ObservedPullRequest | null;
  /** Owner of the branch head, once inspected (`unknown` before). */
  headOwner: HeadOwner;
  /** Labels the PR must carry when complete. */
  wantedLabels: readonly string[];
  /** Open remediation PRs in the repository (only needed when there is no PR yet). */
  openPullRequests?: number;
  /** Config `remediation.maxOpenPullRequests`. */
  maxOpenPullRequests: number;
}

/**
 * What to do next, from what was observed. Pure: the workflow reads, calls this, acts, and calls it again
 * when it had to look closer (`inspect-head`). The bot trusts a PR only when it is the PR's author and the
 * PR's marker names the same incident and runbook; it writes to the branch only when the head commit is
 * one it recorded, or one whose author is the bot — never over a person's commit.
 */
export function decideRemediationAction(input: DecideInput): RemediationAction {
  const pr = input.pullRequest;
  if (pr === null) {
    const open = input.openPullRequests ?? 0;
    if (open >= input.maxOpenPullRequests) {
      return {
        kind: "stop",
        reason: "limit",
        message: `${open} remediation pull requests are open; the limit is ${input.maxOpenPullRequests} (remediation.maxOpenPullRequests)`,
      };
    }
    return { kind: "create" };
  }
  if (pr.author.toLowerCase() !== input.botLogin.toLowerCase()) {
    return {
      kind: "stop",
      reason: "foreign-pr",
      pullRequest: pr.number,
      message: `pull request #${pr.number} on the remediation branch was not opened by ${input.botLogin}`,
    };
  }
  const marker = parseRemediationMarker(pr.body);
  if (
    !marker.ok ||
    marker.marker.incidentKey !== input.desired.incidentKey ||
    marker.marker.runbook !== input.desired.runbook
  ) {
    return {
      kind: "stop",
      reason: "foreign-pr",
      pullRequest: pr.number,
      message: `pull request #${pr.number} does not carry the marker of this incident and runbook`,
    };
  }
  if (pr.labels.some((l) => l.toLowerCase() === HANDS_OFF_LABEL)) {
    return {
      kind: "stop",
      reason: "hands-off",
      pullRequest: pr.number,
      message: `pull request #${pr.number} was handed over to people`,
    };
  }
  const recorded = parseMarker(pr.body, HEAD_MARKER_KIND);
  const owner: HeadOwner = recorded === pr.headSha ? "bot" : input.headOwner;
  if (owner === "unknown") return { kind: "inspect-head", pullRequest: pr.number, headSha: pr.headSha };
  if (owner === "human") {
    return {
      kind: "stop",
      reason: "human-pushed",
      pullRequest: pr.number,
      message: `a person pushed ${pr.headSha.slice(0, 7)} to the branch of #${pr.number}`,
    };
  }
  if (marker.marker.planHash !== input.desired.planHash || recorded !== pr.headSha) {
    // A changed plan needs a new commit; so does a head the bot wrote but never recorded (a run that died
    // between moving the branch and rewriting the body): rewriting makes body and branch agree again.
    return { kind: "update", pullRequest: pr.number };
  }
  const have = new Set(pr.labels.map((l) => l.toLowerCase()));
  const complete = input.wantedLabels.every((l) => have.has(l.toLowerCase()));
  return { kind: "resume", pullRequest: pr.number, complete };
}

/** Git author/committer as the Git Data API returns them. */
export interface GitPerson {
  name: string;
  email: string;
}

/**
 * Whether a commit was made by the bot: its author is the bot's `users.noreply` address (commits created
 * through the API with the installation token), and its committer is the bot or GitHub's web-flow signer.
 * A person's push has their own author, so it never matches.
 */
export function isBotCommit(
  commit: { author: GitPerson; committer: GitPerson },
  bot: { login: string; userId?: number },
): boolean {
  const botEmail = (e: string) => {
    const x = e.toLowerCase();
    const login = bot.login.toLowerCase();
    return bot.userId !== undefined
      ? x === `${bot.userId}+${login}@users.noreply.github.com`
      : x.endsWith(`+${login}@users.noreply.github.com`);
  };
  const committerOk =
    botEmail(commit.committer.email) || commit.committer.email.toLowerCase() === "noreply@github.com";
  return botEmail(commit.author.email) && committerOk;
}
