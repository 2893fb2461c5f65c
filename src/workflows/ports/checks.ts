/** GitHub takes at most 50 annotations per create/update request. */
export const ANNOTATIONS_PER_REQUEST = 50;

/** One annotation on a file line of the check run. */
export interface CheckAnnotation {
  /** Repository path (POSIX). */
  path: string;
  startLine: number;
  endLine: number;
  /** Columns only count when start and end are on the same line (a GitHub rule). */
  startColumn?: number;
  endColumn?: number;
  level: "notice" | "warning" | "failure";
  title?: string;
  message: string;
}

export type CheckStatus = "queued" | "in_progress" | "completed";
export type CheckConclusion =
  | "success"
  | "failure"
  | "neutral"
  | "cancelled"
  | "skipped"
  | "timed_out"
  | "action_required";

/** A check run as the bot writes it (shared by `medic/policy` and `medic/approval`). */
export interface CheckRunInput {
  /** `medic/policy`, `medic/approval`. */
  name: string;
  headSha: string;
  status: CheckStatus;
  /** Required when `status` is `completed`. */
  conclusion?: CheckConclusion;
  title: string;
  /** Markdown, at most 65,535 characters (longer text is cut by the adapter). */
  summary: string;
  text?: string;
  /** Any number; sent in batches of `ANNOTATIONS_PER_REQUEST`. */
  annotations?: CheckAnnotation[];
}

/** Check runs on a commit. */
export interface Checks {
  /**
   * Creates the run, or updates the same-named run on that commit that is not completed yet (so a run
   * started as `in_progress` is finished in place). Annotations beyond the first 50 are appended by
   * further updates.
   */
  createOrUpdate(run: CheckRunInput): Promise<{ id: number }>;
}
