import type {
  CommitChecks,
  DeploymentRecord,
  DeploymentStatusState,
  Deployments,
} from "../../workflows/ports/deployments.js";
import { type GitHubOctokit, type GitHubRepoRef, runWriteNow, type WriteRunner } from "./git-data.js";

/** GitHub rejects deployment status descriptions over 140 characters (422). */
const MAX_DESCRIPTION = 140;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

interface RawDeployment {
  id: number;
  sha: string;
  environment: string;
  task: string;
  payload: unknown;
  created_at: string;
}

const toRecord = (d: RawDeployment): DeploymentRecord => ({
  id: d.id,
  sha: d.sha,
  environment: d.environment,
  task: d.task,
  // GitHub returns the payload as an object, or as a string when it was created as one.
  payload: typeof d.payload === "string" ? safeJson(d.payload) : d.payload,
  createdAt: Date.parse(d.created_at),
});

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

/**
 * `Deployments` and `CommitChecks` over GitHub's REST API. Deployments are created with
 * `auto_merge: false` and `required_contexts: []`: the watch records what happened to a merge that
 * already landed, so GitHub must neither merge the default branch into it nor wait for checks.
 */
export function createGitHubDeployments(
  octokit: GitHubOctokit,
  repo: GitHubRepoRef,
  write: WriteRunner = runWriteNow,
): Deployments & CommitChecks {
  const { owner, repo: name } = repo;
  return {
    async find(sha, task) {
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments", {
        owner,
        repo: name,
        sha,
        task,
        per_page: 10,
      });
      const d = (data as RawDeployment[]).find((x) => x.sha === sha && x.task === task);
      return d ? toRecord(d) : null;
    },
    async listRecent(task) {
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/deployments", {
        owner,
        repo: name,
        task,
        per_page: 30,
      });
      return (data as RawDeployment[]).filter((d) => d.task === task).map(toRecord);
    },
    async create(input) {
      const { data } = await write("create deployment", () =>
        octokit.request("POST /repos/{owner}/{repo}/deployments", {
          owner,
          repo: name,
          ref: input.sha,
          task: input.task,
          environment: input.environment,
          description: cut(input.description, MAX_DESCRIPTION),
          payload: input.payload as { [key: string]: unknown },
          auto_merge: false,
          required_contexts: [],
          production_environment: false,
          transient_environment: false,
        }),
      );
      if (!("id" in data))
        throw new Error(`GitHub did not create a deployment of ${input.sha}: ${JSON.stringify(data)}`);
      return toRecord(data as unknown as RawDeployment);
    },
    async listStatuses(id) {
      const { data } = await octokit.request(
        "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
        {
          owner,
          repo: name,
          deployment_id: id,
          per_page: 100,
        },
      );
      return data.map((s) => ({
        state: s.state as DeploymentStatusState,
        description: s.description ?? "",
        createdAt: Date.parse(s.created_at),
      }));
    },
    async addStatus(id, status) {
      await write("create deployment status", () =>
        octokit.request("POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
          owner,
          repo: name,
          deployment_id: id,
          state: status.state,
          description: cut(status.description, MAX_DESCRIPTION),
          ...(status.logUrl ? { log_url: status.logUrl } : {}),
          auto_inactive: false,
        }),
      );
    },
    async listCheckRuns(sha) {
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
        owner,
        repo: name,
        ref: sha,
        per_page: 100,
      });
      return data.check_runs.map((r) => ({
        name: r.name,
        status: r.status,
        conclusion: r.conclusion,
        title: r.output?.title ?? null,
      }));
    },
    async listCommitStatuses(sha) {
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/statuses", {
        owner,
        repo: name,
        ref: sha,
        per_page: 100,
      });
      return data.map((s) => ({ context: s.context, state: s.state, description: s.description }));
    },
  };
}
