import type { PullRequestFile, PullRequestFiles } from "../../workflows/ports/pull-request-files.js";
import type { GitHubOctokit, GitHubRepoRef } from "./git-data.js";

/** GitHub lists at most 3,000 files of a pull request (30 pages of 100). */
const MAX_LISTED_FILES = 3_000;
/** The contents API returns files up to 1 MB inline; larger ones are not evaluated. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * `PullRequestFiles` over the REST API. Files are read by commit SHA from the base repository, which also
 * works for commits of fork pull requests (GitHub keeps them under `refs/pull/N/head`).
 */
export function createGitHubPullRequestFiles(octokit: GitHubOctokit, repo: GitHubRepoRef): PullRequestFiles {
  return {
    async listChangedFiles(number) {
      const files: PullRequestFile[] = [];
      for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, {
        ...repo,
        pull_number: number,
        per_page: 100,
      })) {
        for (const f of page.data) {
          files.push({
            path: f.filename,
            status: f.status,
            ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
          });
        }
        if (files.length >= MAX_LISTED_FILES) break;
      }
      return { files, truncated: files.length >= MAX_LISTED_FILES };
    },
    async readFile(ref, path) {
      try {
        const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref });
        if (Array.isArray(data) || data.type !== "file") return null;
        if (!("content" in data) || typeof data.content !== "string" || data.size > MAX_FILE_BYTES)
          return null;
        return Buffer.from(data.content, "base64").toString("utf8");
      } catch (err) {
        if ((err as { status?: number }).status === 404) return null;
        throw err;
      }
    },
    async listFiles(ref, folder) {
      const out: string[] = [];
      const walk = async (dir: string, depth: number): Promise<void> => {
        let data: unknown;
        try {
          ({ data } = await octokit.rest.repos.getContent({ ...repo, path: dir.replace(/\/+$/, ""), ref }));
        } catch (err) {
          if ((err as { status?: number }).status === 404) return;
          throw err;
        }
        if (!Array.isArray(data)) return;
        for (const e of data as { type: string; path: string }[]) {
          if (e.type === "file") out.push(e.path);
          else if (e.type === "dir" && depth < 5) await walk(e.path, depth + 1);
        }
      };
      await walk(folder, 0);
      return out.sort();
    },
  };
}
