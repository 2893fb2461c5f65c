/**
 * Git objects and refs of one repository (GitHub's Git Data API). Reads are cheap and cacheable by SHA;
 * every write is one content-creating request. Branch names are given without `refs/heads/`.
 */

/** A git author or committer. */
export interface GitPerson {
  name: string;
  email: string;
}

/** A commit as the Git Data API returns it. */
export interface GitCommit {
  sha: string;
  treeSha: string;
  parents: string[];
  author: GitPerson;
  committer: GitPerson;
  message: string;
}

/** One entry of a recursive tree listing. */
export interface GitTreeEntry {
  path: string;
  /** `100644` file, `100755` executable, `120000` symlink, `040000` tree, `160000` submodule. */
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  size?: number;
}

export interface GitTree {
  sha: string;
  entries: GitTreeEntry[];
  /** GitHub cuts recursive listings at 100,000 entries / 7 MB; callers must not treat missing as absent. */
  truncated: boolean;
}

/** One file to write in a commit: new text, or `null` to delete it. */
export interface FileWrite {
  path: string;
  content: string | null;
}

export type RefWriteResult =
  | { ok: true }
  /** `exists`: the branch is already there (create); `conflict`: 409/422 on update (moved, protected, rules). */
  | { ok: false; reason: "exists" | "conflict"; status: number; message: string };

export interface GitData {
  /** `owner/name`, for messages. */
  readonly name: string;
  /** The commit a branch points at, or null when the branch does not exist. */
  getBranchSha(branch: string): Promise<string | null>;
  getCommit(sha: string): Promise<GitCommit>;
  /** A recursive listing of the tree of a commit (or tree) SHA. */
  getTree(sha: string): Promise<GitTree>;
  /** A blob's content as UTF-8 text. */
  getBlobText(sha: string): Promise<string>;
  /** A tree on top of `baseTreeSha` with the files written inline (no separate blob requests). */
  createTree(baseTreeSha: string, files: readonly FileWrite[]): Promise<string>;
  createCommit(input: { message: string; treeSha: string; parents: string[] }): Promise<string>;
  createBranch(branch: string, sha: string): Promise<RefWriteResult>;
  /** Moves a branch; `force` allows a non-fast-forward move (only ever on the bot's own branch). */
  updateBranch(branch: string, sha: string, force: boolean): Promise<RefWriteResult>;
}
