import { APPROVAL_CHECK_NAME, type ApprovalCheck } from "../../workflows/ports/approvals.js";
import type { BeforeWrite, GitHubOctokit, GitHubRepoRef } from "./git-data.js";

/**
 * `ApprovalCheck` as a completed check run named `medic/approval` on the head commit. Each evaluation
 * creates a new run; GitHub and branch protection use the latest run of a name on a commit.
 * (Written here because the shared checks port of the policy area did not exist yet.)
 */
export function createGitHubApprovalCheck(
  octokit: GitHubOctokit,
  repo: GitHubRepoRef,
  beforeWrite: BeforeWrite,
): ApprovalCheck {
  return {
    async publish({ headSha, conclusion, title, summary }) {
      await beforeWrite();
      await octokit.rest.checks.create({
        ...repo,
        name: APPROVAL_CHECK_NAME,
        head_sha: headSha,
        status: "completed",
        conclusion,
        output: { title: title.slice(0, 250), summary },
      });
    },
  };
}
