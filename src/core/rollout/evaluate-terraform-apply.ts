/** A check run on a commit. */
export interface CheckRunFact {
  name: string;
  /** `queued` | `in_progress` | `completed`. */
  status: string;
  /** `success` | `failure` | `neutral` | `cancelled` | `timed_out` | `action_required` | `skipped` | null. */
  conclusion: string | null;
  /** The check's own summary line, when it has one. */
  title?: string | null;
}

/** A commit status (the legacy statuses API, e.g. Atlantis `atlantis/apply`). */
export interface CommitStatusFact {
  context: string;
  /** `pending` | `success` | `failure` | `error`. */
  state: string;
  description?: string | null;
}

export type TerraformApplyResult =
  | { state: "missing" }
  | { state: "pending"; detail: string }
  | { state: "success"; detail: string }
  | { state: "failure"; detail: string };

const FAILED_CONCLUSIONS = new Set(["failure", "timed_out", "cancelled", "action_required"]);

/**
 * The Terraform apply result reported on a merge commit by the team's automation, under the configured
 * check-run or commit-status name (`rollout.terraformApplyCheck`). A check run wins over a status of the
 * same name; the newest status of a context is the first one GitHub lists. `skipped` and `neutral` are
 * not a success: nothing was applied, so the watch keeps waiting until its timeout.
 */
export function evaluateTerraformApply(
  name: string,
  runs: readonly CheckRunFact[],
  statuses: readonly CommitStatusFact[],
): TerraformApplyResult {
  const run = runs.find((r) => r.name === name);
  if (run) {
    const detail = `check run ${name}: ${run.status}${run.conclusion ? ` (${run.conclusion})` : ""}${run.title ? ` — ${run.title}` : ""}`;
    if (run.status !== "completed") return { state: "pending", detail };
    if (run.conclusion === "success") return { state: "success", detail };
    if (run.conclusion && FAILED_CONCLUSIONS.has(run.conclusion)) return { state: "failure", detail };
    return { state: "pending", detail };
  }
  const status = statuses.find((s) => s.context === name);
  if (!status) return { state: "missing" };
  const detail = `status ${name}: ${status.state}${status.description ? ` — ${status.description}` : ""}`;
  if (status.state === "success") return { state: "success", detail };
  if (status.state === "failure" || status.state === "error") return { state: "failure", detail };
  return { state: "pending", detail };
}

/** Whether a changed file is Terraform (the apply check decides, not Argo CD). */
export function isTerraformPath(path: string): boolean {
  return /\.(tf|tfvars|tf\.json|tfvars\.json)$/.test(path);
}
