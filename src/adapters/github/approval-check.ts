import { APPROVAL_CHECK_NAME, type ApprovalCheck } from "../../workflows/ports/approvals.js";
import { type AutomationSwitch, withPauseNotice } from "../../workflows/ports/automation-switch.js";
import { createGitHubChecks } from "./checks.js";
import type { BeforeWrite, GitHubOctokit, GitHubRepoRef } from "./git-data.js";

/**
 * `ApprovalCheck` as the completed check run `medic/approval` on the head commit, written through the
 * shared `Checks` adapter (the one `medic/policy` uses): a run left in progress on that commit is finished
 * in place, otherwise a new run is created; branch protection reads the latest run of the name.
 */
export function createGitHubApprovalCheck(
  octokit: GitHubOctokit,
  repo: GitHubRepoRef,
  beforeWrite: BeforeWrite,
  /** The kill switch: while on, the check says "automation paused". */
  automation?: AutomationSwitch,
): ApprovalCheck {
  const plain = createGitHubChecks(octokit, repo, beforeWrite);
  const checks = automation ? withPauseNotice(plain, automation) : plain;
  return {
    async publish({ headSha, conclusion, title, summary }) {
      await checks.createOrUpdate({
        name: APPROVAL_CHECK_NAME,
        headSha,
        status: "completed",
        conclusion,
        title,
        summary,
      });
    },
  };
}
