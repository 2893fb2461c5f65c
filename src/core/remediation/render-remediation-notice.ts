import { escapeMarkdown } from "../markdown/escape-markdown.js";
import { renderMarker } from "../markdown/render-marker.js";

/** Marker kind of the bot's remediation comments; the key says which notice, so each is posted once. */
export const NOTICE_MARKER_KIND = "remediation-notice";

export type RemediationNotice =
  | {
      kind: "opened";
      branch: string;
      pullRequest: number;
      url: string;
      runbook: string;
      risk: string;
      approvals: readonly string[];
      imperativeSteps: number;
    }
  | { kind: "limit"; branch: string; message: string }
  | { kind: "conflict"; branch: string; message: string }
  | { kind: "foreign-pr"; branch: string; message: string }
  | { kind: "branch-taken"; branch: string; headSha: string }
  | { kind: "human-pushed"; branch: string; headSha: string }
  | { kind: "no-plan"; runbook: string; message: string };

/** The key of a notice's marker: one per notice kind, branch (or runbook) and — when opened — PR. */
export function noticeKey(n: RemediationNotice): string {
  if (n.kind === "no-plan") return `no-plan/${n.runbook}`;
  if (n.kind === "opened") return `opened/${n.branch}#${n.pullRequest}`;
  return `${n.kind}/${n.branch}`;
}

/** The marker that makes a notice findable (and therefore posted at most once). */
export function noticeMarker(n: RemediationNotice): string {
  return renderMarker(NOTICE_MARKER_KIND, noticeKey(n));
}

/**
 * One comment on the incident issue (or, for `human-pushed`, on the PR). Error messages come from GitHub
 * or the planner and are escaped like any other untrusted text.
 */
export function renderRemediationNotice(n: RemediationNotice): string {
  const marker = noticeMarker(n);
  const b = `\`${n.kind === "no-plan" ? n.runbook : n.branch}\``;
  switch (n.kind) {
    case "opened": {
      const lines = [
        `Remediation pull request #${n.pullRequest} is open: ${n.url}`,
        "",
        `- Runbook: \`${n.runbook}\`, risk **${n.risk}**`,
        ...n.approvals.map((a) => `- ${escapeMarkdown(a, 300)}`),
        ...(n.imperativeSteps > 0
          ? [`- ${n.imperativeSteps} imperative step(s) run only after the approval gate is satisfied.`]
          : []),
      ];
      return `${marker}\n${lines.join("\n")}`;
    }
    case "limit":
      // Our own text (counts and a config field name): nothing untrusted to escape.
      return `${marker}\nNo remediation pull request was opened on ${b}: ${n.message}. Close or merge an open one and ask again with \`/remediate\`.`;
    case "conflict":
      return `${marker}\nThe remediation branch ${b} could not be written, even after re-reading the base branch and planning again: ${escapeMarkdown(n.message, 500)}. gitops-medic stopped; nothing was force-pushed.`;
    case "foreign-pr":
      return `${marker}\ngitops-medic left ${b} alone: ${n.message}.`;
    case "branch-taken":
      return `${marker}\nThe remediation branch ${b} already exists and its head \`${n.headSha.slice(0, 12)}\` was not written by gitops-medic, so the bot did not touch it and opened no pull request.`;
    case "human-pushed":
      return `${marker}\nA person pushed \`${n.headSha.slice(0, 12)}\` to ${b}: this pull request is now yours. gitops-medic will not update this branch again (new incident data will not be applied here).`;
    case "no-plan":
      return `${marker}\nRunbook ${b} matched this incident but produced no remediation: ${escapeMarkdown(n.message, 1000)}`;
  }
}
