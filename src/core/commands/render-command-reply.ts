import { escapeMarkdown } from "../markdown/escape-markdown.js";
import { renderTemplate } from "../markdown/render-template.js";
import { type CommandRecord, formatCommandRecord } from "./command-record.js";
import type { CommandProblem } from "./parse-comment.js";

/** What happened to one command line. */
export interface CommandOutcome {
  line: number;
  /** The command as written (untrusted: escaped when rendered). */
  text: string;
  status: "done" | "refused";
  /** Markdown the bot wrote itself (may contain untrusted parts only if escaped by the caller). */
  message: string;
  /** The record that makes a stateful command take effect. */
  record?: CommandRecord;
}

const PLACE = { pull_request: "pull requests", issue: "incident issues" } as const;

/** A parse problem as a refused outcome, with "did you mean" for typos. */
export function problemOutcome(p: CommandProblem): CommandOutcome {
  switch (p.kind) {
    case "unknown":
      return {
        line: p.line,
        text: p.text,
        status: "refused",
        message: `unknown command. Did you mean \`/${p.suggestion}\`?`,
      };
    case "invalid-args":
      return {
        line: p.line,
        text: p.text,
        status: "refused",
        message: `${escapeMarkdown(p.message, 200)}. Usage: ${p.usage.map((u) => `\`${u}\``).join(" or ")}`,
      };
    case "wrong-place":
      return {
        line: p.line,
        text: p.text,
        status: "refused",
        message: `\`/${p.command}\` works only on ${p.places.map((x) => PLACE[x]).join(" and ")}`,
      };
    case "too-many":
      return {
        line: p.line,
        text: p.text,
        status: "refused",
        message: "too many commands in one comment (at most 10)",
      };
  }
}

/**
 * The one reply to a command comment: a line per command (done or refused, with why), the hidden records
 * that make stateful commands take effect, and a marker naming the comment (so a redelivery finds it).
 */
export function renderCommandReply(
  commentId: number,
  outcomes: readonly CommandOutcome[],
  template: string,
  extra = "",
): string {
  const lines = [...outcomes]
    .sort((a, b) => a.line - b.line)
    .map((o) => {
      const icon = o.status === "done" ? "✅" : "❌";
      // Quoted user text stays in a code span and can neither open nor close an HTML comment.
      const quoted = o.text
        .replace(/`/g, "'")
        .replace(/\s+/g, " ")
        .slice(0, 80)
        .replace(/<!--/g, "<!\u200b--")
        .replace(/-->/g, "--\u200b>");
      const shown = `\`${quoted}\``;
      return `- ${icon} ${shown}: ${o.message}`;
    });
  const records = outcomes.flatMap((o) => (o.record ? [formatCommandRecord(o.record)] : []));
  const footer = [extra, ...records, `<!-- medic:reply ${commentId} -->`].filter((x) => x !== "").join("\n");
  return renderTemplate(template, { lines: lines.join("\n"), footer }, "command-reply.md");
}

/** Whether the bot already replied to comment `commentId` (a redelivered webhook must not reply twice). */
export function hasReplyFor(body: string, commentId: number): boolean {
  return body.includes(`<!-- medic:reply ${commentId} -->`);
}
