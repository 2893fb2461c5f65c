import type { CommitInput, ReviewInput } from "../../core/approval/evaluate-gate.js";
import type { ChangedFile, PullRequestInfo, PullRequestReader } from "../../workflows/ports/pull-request.js";
import { type GitHubOctokit, type GitHubRepoRef, statusOf } from "./git-data.js";

/** Larger files are not read (GitHub's contents API stops returning content at 1 MB). */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * `PullRequestReader` over the REST API. The "before" side is the merge base (what GitHub's diff shows),
 * found with the compare API; listings are paginated to the end.
 */
export function createGitHubPullRequestReader(
  octokit: GitHubOctokit,
  repo: GitHubRepoRef,
): PullRequestReader {
  return {
    async get(number): Promise<PullRequestInfo> {
      const { data: pr } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
      const { data: cmp } = await octokit.rest.repos.compareCommitsWithBasehead({
        ...repo,
        basehead: `${pr.base.sha}...${pr.head.sha}`,
        per_page: 1,
      });
      return {
        number,
        author: { login: pr.user?.login ?? "ghost", type: pr.user?.type ?? "User" },
        state: pr.state === "open" ? "open" : "closed",
        merged: pr.merged ?? false,
        headSha: pr.head.sha,
        headRef: pr.head.ref,
        headRepo: pr.head.repo?.full_name ?? `${repo.owner}/${repo.repo}`,
        baseRef: pr.base.ref,
        mergeBaseSha: cmp.merge_base_commit.sha,
        body: pr.body ?? "",
      };
    },
    async listFiles(number) {
      const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
        ...repo,
        pull_number: number,
        per_page: 100,
      });
      const out: ChangedFile[] = files.map((f) => ({
        path: f.filename,
        ...(f.previous_filename ? { previousPath: f.previous_filename } : {}),
        status: f.status,
      }));
      // The endpoint lists at most 3,000 files; more cannot be seen at all.
      return { files: out, truncated: out.length >= 3000 };
    },
    async readFile(path, ref) {
      try {
        const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref });
        if (Array.isArray(data) || data.type !== "file") return null;
        const file = data as { content?: string; encoding?: string; size?: number };
        if (
          (file.size ?? 0) > MAX_FILE_BYTES ||
          typeof file.content !== "string" ||
          file.encoding !== "base64"
        )
          return null;
        return Buffer.from(file.content, "base64").toString("utf8");
      } catch (err) {
        if (statusOf(err) === 404) return null;
        throw err;
      }
    },
    async listCommits(number): Promise<CommitInput[]> {
      const commits = await octokit.paginate(octokit.rest.pulls.listCommits, {
        ...repo,
        pull_number: number,
        per_page: 100,
      });
      return commits.map((c) => ({
        sha: c.sha,
        author: c.author ? { login: c.author.login, type: c.author.type } : null,
        committer: c.committer ? { login: c.committer.login, type: c.committer.type } : null,
      }));
    },
    async listPushers({ headRef, headRepo }) {
      const [owner, name] = headRepo.split("/") as [string, string];
      try {
        const list = await octokit.paginate(octokit.rest.repos.listActivities, {
          owner,
          repo: name,
          ref: `refs/heads/${headRef}`,
          per_page: 100,
        });
        const logins = new Set<string>();
        for (const a of list) {
          if (["push", "force_push", "branch_creation"].includes(a.activity_type) && a.actor)
            logins.add(a.actor.login);
        }
        return { logins: [...logins], complete: true };
      } catch (err) {
        // 403/404: no access to the head repository's activity (e.g. a fork). Anything else is unexpected.
        const status = statusOf(err);
        if (status === 403 || status === 404) return { logins: [], complete: false };
        throw err;
      }
    },
    async listReviews(number): Promise<ReviewInput[]> {
      const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
        ...repo,
        pull_number: number,
        per_page: 100,
      });
      return reviews.map((r) => ({
        id: r.id,
        user: r.user ? { login: r.user.login, type: r.user.type } : null,
        state: r.state,
        commitId: r.commit_id ?? null,
        submittedAt: r.submitted_at ?? null,
      }));
    },
  };
}
