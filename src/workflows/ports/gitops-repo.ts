/** Read access to the GitOps repository at one revision (the default branch unless said otherwise). */
export interface GitOpsRepo {
  /** A name for messages: `owner/name` on GitHub, the directory locally. */
  readonly name: string;
  /** The revision the reads see (commit SHA, or `WORKTREE` for a local directory). */
  revision(): Promise<string>;
  /** Every file path (POSIX, relative to the repo root), optionally under a prefix. */
  listFiles(prefix?: string): Promise<string[]>;
  /** File text, or `null` when the file does not exist. */
  readFile(path: string): Promise<string | null>;
}
