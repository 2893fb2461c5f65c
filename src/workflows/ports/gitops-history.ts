import type { FileRevision } from "../../core/runbook/plan-facts.js";

export type { FileRevision } from "../../core/runbook/plan-facts.js";

/**
 * Read access to the GitOps repository's history: where a last good image is found when Argo CD's
 * history does not record images. Local: `git log` / `git show`; GitHub: the commits and contents APIs.
 */
export interface GitOpsHistory {
  /** Versions of one file, newest first, at most `limit` commits that changed it. */
  fileHistory(path: string, limit: number): Promise<FileRevision[]>;
  /** A file's text at a revision (commit SHA or ref); `null` when absent there or the revision is unknown. */
  readFileAt(revision: string, path: string): Promise<string | null>;
}
