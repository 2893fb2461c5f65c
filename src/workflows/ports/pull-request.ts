import type { FileChange } from "../../core/approval/classify-risk.js";
import type { CommitInput, ReviewInput } from "../../core/approval/evaluate-gate.js";

/** What the approval workflow needs to know about one pull request. */
export interface PullRequestInfo {
  number: number;
  author: { login: string; type: string };
  state: "open" | "closed";
  merged: boolean;
  headSha: string;
  /** Base branch name (CODEOWNERS, config and runbooks are read from it, never from the head). */
  baseRef: string;
  /** Head branch name and the repository it lives in (`owner/name`; a fork for fork PRs). */
  headRef: string;
  headRepo: string;
  /** The merge base of head and base: the "before" side of the diff GitHub shows. */
  mergeBaseSha: string;
  body: string;
}

/** A changed file as GitHub lists it, without content. */
export type ChangedFile = Pick<FileChange, "path" | "previousPath" | "status">;

/** Read access to a pull request (GitHub REST in production, a struct fake in tests). */
export interface PullRequestReader {
  get(number: number): Promise<PullRequestInfo>;
  /** Every changed file; `truncated` when GitHub stopped listing (3,000 files). */
  listFiles(number: number): Promise<{ files: ChangedFile[]; truncated: boolean }>;
  /** File text at a revision (commit SHA or branch); `null` when absent, binary or too large to read. */
  readFile(path: string, ref: string): Promise<string | null>;
  listCommits(number: number): Promise<CommitInput[]>;
  listReviews(number: number): Promise<ReviewInput[]>;
  /**
   * Everyone who pushed to the head branch (pushes, force-pushes, branch creation), from the repository
   * activity API; `complete: false` when it could not be read (then only commit authors and committers
   * are known).
   */
  listPushers(
    pr: Pick<PullRequestInfo, "headRef" | "headRepo">,
  ): Promise<{ logins: string[]; complete: boolean }>;
}
