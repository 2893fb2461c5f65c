import type {
  ChangeRequests,
  CommitChangesResult,
  PullRequestResult,
  PullRequestSummary,
} from "../../workflows/ports/change-requests.js";
import type { GitData } from "../../workflows/ports/git-data.js";
import {
  type GitHubOctokit,
  type GitHubRepoRef,
  runWriteNow,
  statusOf,
  type WriteRunner,
} from "./git-data.js";

interface PullLike {
  number: number;
  html_url: string;
  user: { login: string } | null;
  body: string | null;
  head: { ref: string; sha: string; repo: { full_name: string } | null };
  base: { ref: string };
  labels: { name?: string }[];
  requested_reviewers?: { login: string }[] | null;
  requested_teams?: { slug: string }[] | null;
  draft?: boolean;
}

/**
 * `ChangeRequests` on GitHub: the generic writer (one tree with every file inline, one commit, one ref
 * write, then the PR) used by remediation, revert and tuning PRs. Reads never use search (it lags behind
 * writes by seconds to minutes, which would duplicate PRs on a quick redelivery).
 */
export function createGitHubChangeRequests(
  octokit: GitHubOctokit,
  repo: GitHubRepoRef,
  git: GitData,
  write: WriteRunner = runWriteNow,
): ChangeRequests {
  const { owner, repo: name } = repo;
  const full = `${owner}/${name}`;

  async function findOpenPullRequest(branch: string): Promise<PullRequestSummary | null> {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/pulls", {
      owner,
      repo: name,
      head: `${owner}:${branch}`,
      state: "open",
      per_page: 10,
    });
    // `head=owner:branch` already filters, but a fork's PR can never be ours: check the head repository.
    const pr = (data as PullLike[]).find(
      (p) => p.head.ref === branch && p.head.repo?.full_name.toLowerCase() === full.toLowerCase(),
    );
    return pr ? toSummary(pr) : null;
  }

  return {
    name: full,
    owner,
    findOpenPullRequest,
    async countOpenPullRequests(filter) {
      // One page is enough: the limit is at most 100, so a full page already answers "at or over it".
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
        owner,
        repo: name,
        state: "open",
        labels: filter.label,
        per_page: 100,
      });
      return data.filter((i) => i.pull_request && i.user?.login.toLowerCase() === filter.author.toLowerCase())
        .length;
    },
    getCommit: (sha) => git.getCommit(sha),
    getBranchSha: (branch) => git.getBranchSha(branch),
    async commitChanges(input): Promise<CommitChangesResult> {
      if (input.branch === input.base.branch)
        throw new Error("commitChanges: refusing to write the base branch");
      const treeSha = await git.createTree(input.base.treeSha, input.files);
      const commitSha = await git.createCommit({
        message: input.message,
        treeSha,
        parents: [input.base.commitSha],
      });
      if (input.branchState.kind === "absent") {
        const res = await git.createBranch(input.branch, commitSha);
        if (res.ok) return { ok: true, commitSha, branch: "created" };
        if (res.reason === "exists") {
          return { ok: false, reason: "branch-exists", commitSha, treeSha, message: res.message };
        }
        return { ok: false, reason: "conflict", status: res.status, message: res.message };
      }
      const res = await git.updateBranch(input.branch, commitSha, true);
      if (res.ok) return { ok: true, commitSha, branch: "updated" };
      return { ok: false, reason: "conflict", status: res.status, message: res.message };
    },
    async moveBranch(branch, sha) {
      const res = await git.updateBranch(branch, sha, true);
      if (res.ok) return { ok: true };
      return { ok: false, reason: "conflict", status: res.status, message: res.message };
    },
    async openOrUpdatePullRequest(input): Promise<PullRequestResult> {
      let existing = input.existing;
      if (existing === null) {
        try {
          const { data } = await write("open pull request", () =>
            octokit.request("POST /repos/{owner}/{repo}/pulls", {
              owner,
              repo: name,
              title: input.title,
              head: input.branch,
              base: input.base,
              body: input.body,
              draft: input.draft,
            }),
          );
          return { ok: true, number: data.number, url: data.html_url, created: true };
        } catch (err) {
          const status = statusOf(err);
          if (status !== 422) throw err;
          const message = err instanceof Error ? err.message.split("\n")[0]! : String(err);
          // A POST that succeeded but answered 5xx, retried elsewhere: find it and update instead.
          const found = /already exists/i.test(message) ? await findOpenPullRequest(input.branch) : null;
          if (!found) return { ok: false, reason: "invalid", status, message };
          existing = found.number;
        }
      }
      const { data } = await write("update pull request", () =>
        octokit.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
          owner,
          repo: name,
          pull_number: existing,
          title: input.title,
          body: input.body,
        }),
      );
      return { ok: true, number: data.number, url: data.html_url, created: false };
    },
    async addLabels(issueNumber, labels) {
      if (labels.length === 0) return;
      await write("add labels", () =>
        octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
          owner,
          repo: name,
          issue_number: issueNumber,
          labels: [...labels],
        }),
      );
    },
    async removeLabel(issueNumber, label) {
      try {
        await write("remove label", () =>
          octokit.request("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", {
            owner,
            repo: name,
            issue_number: issueNumber,
            name: label,
          }),
        );
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
    },
    async requestReviewers(pullNumber, reviewers) {
      if (reviewers.users.length === 0 && reviewers.teams.length === 0) return;
      try {
        await write("request reviewers", () =>
          octokit.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
            owner,
            repo: name,
            pull_number: pullNumber,
            reviewers: [...reviewers.users],
            team_reviewers: [...reviewers.teams],
          }),
        );
      } catch (err) {
        // 422: a code owner without access to the repository (or the PR author) cannot be requested.
        // The PR stays valid; people see the CODEOWNERS line in the body. Anything else is unexpected.
        if (statusOf(err) !== 422) throw err;
      }
    },
    async hasComment(issueNumber, marker, author) {
      const comments = await octokit.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        owner,
        repo: name,
        issue_number: issueNumber,
        per_page: 100,
      });
      return comments.some(
        (c) => c.user?.login.toLowerCase() === author.toLowerCase() && (c.body ?? "").includes(marker),
      );
    },
    async getPullRequest(number) {
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
        owner,
        repo: name,
        pull_number: number,
      });
      return { ...toSummary(data as PullLike), state: data.state };
    },
    async getChecks(sha) {
      const runs = await octokit.paginate("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
        owner,
        repo: name,
        ref: sha,
        per_page: 100,
      });
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/status", {
        owner,
        repo: name,
        ref: sha,
      });
      return {
        runs: runs.map((r) => ({ name: r.name, status: r.status, conclusion: r.conclusion ?? null })),
        statuses: { state: data.state, total: data.total_count },
      };
    },
    async mergePullRequest(number, sha) {
      try {
        await write("merge pull request", () =>
          octokit.request("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge", {
            owner,
            repo: name,
            pull_number: number,
            sha,
            merge_method: "squash",
          }),
        );
        return { ok: true };
      } catch (err) {
        const status = statusOf(err);
        if (status === undefined || !MERGE_REFUSALS.has(status)) throw err;
        return {
          ok: false,
          status,
          message: err instanceof Error ? err.message.split("\n")[0]! : String(err),
        };
      }
    },
    async comment(issueNumber, body) {
      await write("comment", () =>
        octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
          owner,
          repo: name,
          issue_number: issueNumber,
          body,
          // A comment POST is not idempotent: plugin-retry would repeat it after a 5xx that may have
          // succeeded. Fail instead; the next run finds the comment by its marker before posting.
          request: { retries: 0 },
        }),
      );
    },
  };
}

/** Pulls API answers on merge refusals: not mergeable (405), head moved (409), protection/validation (422). */
const MERGE_REFUSALS = new Set([405, 409, 422]);

function toSummary(p: PullLike): PullRequestSummary {
  return {
    number: p.number,
    url: p.html_url,
    author: p.user?.login ?? "",
    body: p.body ?? "",
    headRef: p.head.ref,
    headSha: p.head.sha,
    baseRef: p.base.ref,
    labels: p.labels.flatMap((l) => (l.name ? [l.name] : [])),
    requestedUsers: (p.requested_reviewers ?? []).map((u) => u.login),
    requestedTeams: (p.requested_teams ?? []).map((t) => t.slug),
    draft: p.draft ?? false,
  };
}
