import { parseRevertMarker } from "../../core/rollout/revert-marker.js";
import type { RevertHistory, RevertRecord } from "../../workflows/ports/rollout-watch.js";
import type { GitHubOctokit, GitHubRepoRef } from "./git-data.js";

/** Revert PRs are found among the newest PRs; one page is plenty for a one-hour window. */
const PAGE = 50;

/**
 * Revert PRs of the repository (open, closed or merged) from a listing sorted by creation — never search,
 * which lags. Only PRs on `medic/revert/` branches opened by the bot count, read from their marker.
 */
export function createGitHubRevertHistory(
  octokit: GitHubOctokit,
  repo: GitHubRepoRef,
  opts: { botLogin?: string } = {},
): RevertHistory {
  return {
    async listSince(sinceMs) {
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/pulls", {
        owner: repo.owner,
        repo: repo.repo,
        state: "all",
        sort: "created",
        direction: "desc",
        per_page: PAGE,
      });
      const out: RevertRecord[] = [];
      for (const pr of data) {
        const created = Date.parse(pr.created_at);
        if (created < sinceMs) break;
        if (!pr.head.ref.startsWith("medic/revert/")) continue;
        const byBot = opts.botLogin ? pr.user?.login === opts.botLogin : pr.user?.type === "Bot";
        if (!byBot) continue;
        const marker = parseRevertMarker(pr.body);
        if (!marker) continue;
        for (const application of marker.applications.length > 0 ? marker.applications : ["terraform"]) {
          out.push({ application, at: created, pr: pr.number, mergeSha: marker.mergeSha });
        }
      }
      return out;
    },
  };
}
