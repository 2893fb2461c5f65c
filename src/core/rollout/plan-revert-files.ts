/** One file the merge changed: its text before the merge (first parent), after it, and on the branch now. */
export interface MergedFile {
  path: string;
  /** Text at the merge's first parent; null when the merge added the file. */
  before: string | null;
  /** Text at the merge commit; null when the merge deleted the file. */
  merged: string | null;
  /** Text on the base branch now; null when absent. */
  current: string | null;
}

export type PlanRevertFilesResult =
  | { ok: true; files: { path: string; content: string | null }[] }
  | { ok: false; reason: "nothing-to-revert" | "changed-since"; message: string; paths: string[] };

/**
 * The file writes that undo a merge. A file changed again after the merge is not overwritten: the revert
 * is refused (a person merges by hand), because restoring the old text would also undo the later change.
 */
export function planRevertFiles(files: readonly MergedFile[]): PlanRevertFilesResult {
  if (files.length === 0) {
    return { ok: false, reason: "nothing-to-revert", message: "the merge changed no files", paths: [] };
  }
  const moved = files.filter((f) => f.current !== f.merged).map((f) => f.path);
  if (moved.length > 0) {
    return {
      ok: false,
      reason: "changed-since",
      message: `changed again after the merge: ${moved.join(", ")}`,
      paths: moved,
    };
  }
  return { ok: true, files: files.map((f) => ({ path: f.path, content: f.before })) };
}
