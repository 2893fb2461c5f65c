import { parseRemediationMarker } from "../approval/remediation-marker.js";
import { parseMarker } from "../markdown/parse-marker.js";
import { HANDS_OFF_LABEL, HEAD_MARKER_KIND } from "./decide-remediation-action.js";

export interface AutoMergeInput {
  /** Config `remediation.autoMergeSafe`. */
  enabled: boolean;
  botLogin: string;
  pr: {
    author: string;
    body: string;
    headSha: string;
    labels: readonly string[];
    draft: boolean;
    state: string;
  };
  /** The head SHA the finished checks ran on (from the event). */
  checkedSha: string;
  /** Every check run on `checkedSha`. */
  checkRuns: readonly { name: string; status: string; conclusion: string | null }[];
  /** Combined commit status of `checkedSha` (`success` | `pending` | `failure` | `error`), and how many there are. */
  statuses: { state: string; total: number };
}

export type AutoMergeDecision = { merge: true; sha: string } | { merge: false; reason: string };

/**
 * Whether a remediation PR may be merged by the bot: only when the repository opted in, the PR is the
 * bot's own safe remediation, nobody else pushed to it (its head is the commit the bot recorded), and
 * every check on exactly that head finished with success. `skipped`, `neutral` and a missing check do not
 * pass (policy-bot #627). The merge is then sent with `sha` = that head, so a push in between gets a 409.
 */
export function decideAutoMerge(input: AutoMergeInput): AutoMergeDecision {
  const { pr } = input;
  if (!input.enabled) return { merge: false, reason: "remediation.autoMergeSafe is off" };
  if (pr.state !== "open" || pr.draft) return { merge: false, reason: "the PR is not open and ready" };
  if (pr.author.toLowerCase() !== input.botLogin.toLowerCase())
    return { merge: false, reason: "not opened by the bot" };
  if (!parseRemediationMarker(pr.body).ok) return { merge: false, reason: "no valid remediation marker" };
  const labels = pr.labels.map((l) => l.toLowerCase());
  if (labels.includes(HANDS_OFF_LABEL)) return { merge: false, reason: "handed over to people" };
  if (!labels.includes("risk:safe") || labels.includes("risk:destructive")) {
    return { merge: false, reason: "only safe remediations merge automatically" };
  }
  if (parseMarker(pr.body, HEAD_MARKER_KIND) !== pr.headSha) {
    return { merge: false, reason: "the head is not the commit the bot wrote" };
  }
  if (input.checkedSha !== pr.headSha) return { merge: false, reason: "the checks ran on another commit" };
  if (input.checkRuns.length === 0) return { merge: false, reason: "no check ran on the head commit" };
  const pending = input.checkRuns.filter((r) => r.status !== "completed");
  if (pending.length > 0)
    return { merge: false, reason: `waiting for ${pending.map((r) => r.name).join(", ")}` };
  const failed = input.checkRuns.filter((r) => r.conclusion !== "success");
  if (failed.length > 0) {
    return {
      merge: false,
      reason: `not successful: ${failed.map((r) => `${r.name} (${r.conclusion})`).join(", ")}`,
    };
  }
  if (input.statuses.total > 0 && input.statuses.state !== "success") {
    return { merge: false, reason: `commit status is ${input.statuses.state}` };
  }
  return { merge: true, sha: pr.headSha };
}
