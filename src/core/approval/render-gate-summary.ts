import { escapeMarkdown } from "../markdown/escape-markdown.js";
import { renderTemplate } from "../markdown/render-template.js";
import type { GateResult } from "./evaluate-gate.js";

/** GitHub rejects check-run summaries over 65,535 characters. */
const MAX_SUMMARY = 60_000;

/**
 * The `medic/approval` check summary (from `templates/approval-check.md`): who counted and why each other
 * approval did not. Everything that comes from the repository or from people is escaped.
 */
export function renderGateSummary(result: GateResult, headSha: string, template: string): string {
  const verdict =
    result.conclusion === "success"
      ? `✅ **${escapeMarkdown(result.title)}**`
      : `❌ **${escapeMarkdown(result.title)}**`;
  const reasons =
    result.risk.reasons.length === 0
      ? "No destructive change found in the diff."
      : result.risk.reasons
          .slice(0, 100)
          .map((r) => `- \`${r.code}\`${r.path ? ` ${code(r.path)}` : ""}: ${escapeMarkdown(r.message, 300)}`)
          .join("\n") +
        (result.risk.reasons.length > 100 ? `\n- … ${result.risk.reasons.length - 100} more` : "");
  const requirements =
    result.requirements.length === 0
      ? result.risk.risk === "safe"
        ? "None beyond normal review."
        : "None could be built."
      : [
          "| path | owners (CODEOWNERS line) | approved by | status |",
          "|---|---|---|---|",
          ...result.requirements
            .slice(0, 200)
            .map(
              (r) =>
                `| ${code(r.path)} | ${r.owners.map(escapeOwner).join(" ") || "—"}${r.line ? ` (line ${r.line})` : ""} | ${
                  r.approvedBy.map((l) => `@${l}`).join(" ") || "—"
                } | ${r.problem ? `blocked: ${escapeMarkdown(r.problem, 300)}` : r.status} |`,
            ),
        ].join("\n");
  const approvers =
    result.approvers.length === 0
      ? "No approvals yet."
      : result.approvers
          .map(
            (a) =>
              `- @${a.login} (${a.via === "review" ? "review" : "/approve"}): ${a.counted ? "counted" : "not counted"} — ${escapeMarkdown(a.reason, 300)}`,
          )
          .join("\n");
  const notes = result.notes.map((n) => `> ${escapeMarkdown(n, 1200)}`).join("\n>\n");
  const text = renderTemplate(
    template,
    {
      verdict,
      risk: result.risk.risk,
      reasons,
      requirements,
      approvers,
      notes: notes ? `${notes}\n` : "",
      headSha: `\`${headSha.slice(0, 12)}\``,
    },
    "approval-check.md",
  );
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY)}\n\n… (truncated)` : text;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|")}\``;
}

/** Owners render as written but without pinging anyone from a check summary. */
function escapeOwner(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}
