/**
 * GitHub Deployments of a repository: the rollout watch's public record. A watch is one deployment of the
 * merge SHA (task `medic:watch-rollout`), its statuses say what Argo said; a restarted bot finds unfinished
 * watches by listing deployments and reading their payload and statuses.
 */

/** GitHub deployment status states. */
export type DeploymentStatusState = "queued" | "in_progress" | "success" | "failure" | "error" | "inactive";

export interface DeploymentRecord {
  id: number;
  sha: string;
  environment: string;
  task: string;
  /** The JSON payload written at creation (validated by the reader). */
  payload: unknown;
  /** Epoch ms. */
  createdAt: number;
}

export interface DeploymentStatusRecord {
  state: DeploymentStatusState;
  description: string;
  /** Epoch ms. */
  createdAt: number;
}

export interface Deployments {
  /** The deployment of `sha` with `task`, or null. */
  find(sha: string, task: string): Promise<DeploymentRecord | null>;
  /** The newest deployments with `task` (one page). */
  listRecent(task: string): Promise<DeploymentRecord[]>;
  create(input: {
    sha: string;
    environment: string;
    task: string;
    description: string;
    payload: Record<string, unknown>;
  }): Promise<DeploymentRecord>;
  /** Statuses of a deployment, newest first. */
  listStatuses(id: number): Promise<DeploymentStatusRecord[]>;
  /** Adds a status; `description` is cut to GitHub's 140 characters by the adapter. */
  addStatus(
    id: number,
    status: { state: DeploymentStatusState; description: string; logUrl?: string },
  ): Promise<void>;
}

/** Check runs and commit statuses on a commit (the Terraform apply result). */
export interface CommitChecks {
  listCheckRuns(
    sha: string,
  ): Promise<{ name: string; status: string; conclusion: string | null; title?: string | null }[]>;
  /** Statuses, newest first, as GitHub lists them. */
  listCommitStatuses(sha: string): Promise<{ context: string; state: string; description?: string | null }[]>;
}
