import { ANNOTATIONS_PER_REQUEST, type CheckAnnotation, type Checks } from "../../workflows/ports/checks.js";
import type { BeforeWrite, GitHubOctokit, GitHubRepoRef } from "./git-data.js";

/** GitHub's limits on check output (422 beyond them). */
const TITLE_LIMIT = 255;
const TEXT_LIMIT = 65_535;

/**
 * `Checks` over the Checks API. `beforeWrite` runs before every POST/PATCH (the installation's write budget).
 * `appId`, when known, makes sure only this app's runs are updated.
 */
export function createGitHubChecks(
  octokit: GitHubOctokit,
  repo: GitHubRepoRef,
  beforeWrite: BeforeWrite = async () => {},
  appId?: number,
): Checks {
  return {
    async createOrUpdate(run) {
      const annotations = (run.annotations ?? []).map(toGitHub);
      const batches: (typeof annotations)[] = [];
      for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) {
        batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
      }
      const output = (batch: typeof annotations | undefined) => ({
        title: cut(run.title, TITLE_LIMIT),
        summary: cut(run.summary, TEXT_LIMIT),
        ...(run.text ? { text: cut(run.text, TEXT_LIMIT) } : {}),
        ...(batch && batch.length > 0 ? { annotations: batch } : {}),
      });
      const state = {
        status: run.status,
        ...(run.status === "completed" && run.conclusion ? { conclusion: run.conclusion } : {}),
      };
      const { data: list } = await octokit.rest.checks.listForRef({
        ...repo,
        ref: run.headSha,
        check_name: run.name,
        filter: "latest",
      });
      const open = list.check_runs.find(
        (c) => c.status !== "completed" && (appId === undefined || c.app?.id === appId),
      );
      let id: number;
      if (open) {
        await beforeWrite();
        await octokit.rest.checks.update({
          ...repo,
          check_run_id: open.id,
          ...state,
          output: output(batches[0]),
        });
        id = open.id;
      } else {
        await beforeWrite();
        const { data } = await octokit.rest.checks.create({
          ...repo,
          name: run.name,
          head_sha: run.headSha,
          ...state,
          output: output(batches[0]),
        });
        id = data.id;
      }
      for (const batch of batches.slice(1)) {
        await beforeWrite();
        await octokit.rest.checks.update({ ...repo, check_run_id: id, output: output(batch) });
      }
      return { id };
    },
  };
}

function toGitHub(a: CheckAnnotation) {
  const sameLine = a.startLine === a.endLine;
  return {
    path: a.path,
    start_line: a.startLine,
    end_line: a.endLine,
    ...(sameLine && a.startColumn !== undefined ? { start_column: a.startColumn } : {}),
    ...(sameLine && a.endColumn !== undefined ? { end_column: a.endColumn } : {}),
    annotation_level: a.level,
    message: cut(a.message, 64 * 1024),
    ...(a.title ? { title: cut(a.title, TITLE_LIMIT) } : {}),
  };
}

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
