import type { FileWrite, GitCommit } from "./git-data.js";
import type { GitOpsRepo } from "./gitops-repo.js";

/** An open pull request as the listing returns it. */
export interface PullRequestSummary {
  number: number;
  url: string;
  /** Login of the PR author. */
  author: string;
  body: string;
  headRef: string;
  headSha: string;
  baseRef: string;
  labels: string[];
  requestedUsers: string[];
  requestedTeams: string[];
  draft: boolean;
}

/** The base a commit is built on: a commit of the base branch and its root tree. */
export interface BaseRevision {
  branch: string;
  commitSha: string;
  treeSha: string;
}

/** The base branch as read for a plan: files through `GitOpsRepo`, plus the commit and tree they came from. */
export interface BaseSnapshot extends GitOpsRepo {
  base(): Promise<BaseRevision>;
  /** The blob SHA of a file (a runbook's version), or null when absent. */
  blobSha(path: string): Promise<string | null>;
}

export interface CommitChangesInput {
  /** Branch to write, e.g. `medic/<runbook>/<key>`; never the base branch. */
  branch: string;
  base: BaseRevision;
  files: readonly FileWrite[];
  message: string;
  /**
   * What the caller knows of the branch: `absent` (create it; an existing branch comes back as
   * `branch-exists` so the caller can look at its head), or `bot-owned` with the head it checked
   * (the only case in which the branch is moved by force).
   */
  branchState: { kind: "absent" } | { kind: "bot-owned"; headSha: string };
}

export type CommitChangesResult =
  | { ok: true; commitSha: string; branch: "created" | "updated" }
  /** The branch exists already; the commit was written and can be reused once the caller checked the head. */
  | { ok: false; reason: "branch-exists"; commitSha: string; treeSha: string; message: string }
  | { ok: false; reason: "conflict"; status: number; message: string };

export interface PullRequestInput {
  /** The PR to update, or null to open one. */
  existing: number | null;
  branch: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
}

export type PullRequestResult =
  | { ok: true; number: number; url: string; created: boolean }
  | { ok: false; reason: "invalid"; status: number; message: string };

/**
 * Pull requests and the writer behind them, generic over "a set of file changes + a branch + a PR body
 * carrying a hidden marker": remediation, revert and tuning PRs all go through `commitChanges` and
 * `openOrUpdatePullRequest`. Every write passes the installation's write budget.
 */
export interface ChangeRequests {
  /** `owner/name`. */
  readonly name: string;
  readonly owner: string;
  /** Open PRs whose head is `branch` in this repository (a listing, never search: search lags). */
  findOpenPullRequest(branch: string): Promise<PullRequestSummary | null>;
  /** Open PRs carrying `label` opened by `author` (for the open-PR limit). */
  countOpenPullRequests(filter: { label: string; author: string }): Promise<number>;
  /** The commit a branch points at, or null when it does not exist. */
  getBranchSha(branch: string): Promise<string | null>;
  /** The head commit of a PR, to tell the bot's commits from a person's. */
  getCommit(sha: string): Promise<GitCommit>;
  /** One tree and one commit with every file, then the branch created or (bot-owned only) moved to it. */
  commitChanges(input: CommitChangesInput): Promise<CommitChangesResult>;
  /** Moves a branch the caller has checked is the bot's own to `sha` (a forced update). */
  moveBranch(
    branch: string,
    sha: string,
  ): Promise<{ ok: true } | { ok: false; reason: "conflict"; status: number; message: string }>;
  /** Opens the PR, or rewrites title and body of `existing`; "already exists" is resolved by a re-list. */
  openOrUpdatePullRequest(input: PullRequestInput): Promise<PullRequestResult>;
  addLabels(issueNumber: number, labels: readonly string[]): Promise<void>;
  removeLabel(issueNumber: number, label: string): Promise<void>;
  requestReviewers(
    pullNumber: number,
    reviewers: { users: readonly string[]; teams: readonly string[] },
  ): Promise<void>;
  /** Whether an issue or PR has a comment by `author` containing `marker` (a listing of its comments). */
  hasComment(issueNumber: number, marker: string, author: string): Promise<boolean>;
  comment(issueNumber: number, body: string): Promise<void>;
  /** One pull request (open or not). */
  getPullRequest(number: number): Promise<PullRequestSummary & { state: string }>;
  /** Every check run on a commit, and its combined commit status. */
  getChecks(sha: string): Promise<{
    runs: { name: string; status: string; conclusion: string | null }[];
    statuses: { state: string; total: number };
  }>;
  /**
   * Merges only if the head is still `sha` (GitHub answers 409 otherwise): the SHA that passed the checks
   * is the SHA that merges. Refusals (moved head, not mergeable, protection) are values.
   */
  mergePullRequest(
    number: number,
    sha: string,
  ): Promise<{ ok: true } | { ok: false; status: number; message: string }>;
}
