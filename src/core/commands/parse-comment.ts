import type { CommandPlace } from "./command-spec.js";
import { COMMANDS, findCommandSpec, type Invocation } from "./registry.js";
import { suggestCommand } from "./suggest-command.js";
import { clip } from "./validate-args.js";

/** At most this many commands run from one comment; the rest are refused in the reply. */
export const MAX_COMMANDS_PER_COMMENT = 10;

/** Something in a comment that looked like a command for the bot but cannot run. */
export type CommandProblem =
  | { kind: "unknown"; line: number; text: string; suggestion: string }
  | {
      kind: "invalid-args";
      line: number;
      text: string;
      command: string;
      message: string;
      usage: readonly string[];
    }
  | { kind: "wrong-place"; line: number; text: string; command: string; places: readonly CommandPlace[] }
  | { kind: "too-many"; line: number; text: string };

/**
 * Like atlantis' comment parser, one of three outcomes: run commands (possibly with problems to reply
 * about), only reply (nothing valid, but something was clearly meant for the bot), or ignore.
 */
export type ParseCommentResult =
  | { kind: "ignore" }
  | { kind: "reply"; problems: CommandProblem[] }
  | { kind: "commands"; commands: Invocation[]; problems: CommandProblem[] };

const KNOWN = COMMANDS.map((c) => c.name);

/**
 * Finds slash commands in a comment body. A command is a line that starts (after at most three spaces)
 * with `/word`; lines inside fenced code, indented code, block quotes (`> /approve` quotes someone) and
 * HTML comments are never commands. Arguments are validated by each command; nothing reaches a shell.
 */
export function parseComment(body: string, place: CommandPlace): ParseCommentResult {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  const commands: Invocation[] = [];
  const problems: CommandProblem[] = [];
  const seen = new Set<string>();
  let fence: { ch: string; len: number } | null = null;
  let inHtmlComment = false;
  for (const [i, raw] of lines.entries()) {
    const lineNo = i + 1;
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(raw);
      if (close && close[1]![0] === fence.ch && close[1]!.length >= fence.len) fence = null;
      continue;
    }
    if (inHtmlComment) {
      if (raw.includes("-->")) inHtmlComment = false;
      continue;
    }
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
    if (open) {
      fence = { ch: open[1]![0]!, len: open[1]!.length };
      continue;
    }
    if (raw.includes("<!--")) {
      // Anything on a line that opens an HTML comment is hidden or mixed with hidden text: never a command.
      if (!raw.slice(raw.indexOf("<!--") + 4).includes("-->")) inHtmlComment = true;
      continue;
    }
    const m = /^ {0,3}\/([^ \t]+)(?:[ \t]+(.*))?$/.exec(raw);
    if (!m) continue;
    const word = m[1]!;
    const argText = (m[2] ?? "").trimEnd();
    const text = raw.trim();
    const spec = /^[A-Za-z]+$/.test(word) ? findCommandSpec(word.toLowerCase()) : undefined;
    if (!spec) {
      const suggestion = suggestCommand(word, KNOWN);
      if (suggestion) problems.push({ kind: "unknown", line: lineNo, text: clip(text, 60), suggestion });
      continue;
    }
    if (!spec.places.includes(place)) {
      problems.push({
        kind: "wrong-place",
        line: lineNo,
        text: clip(text, 60),
        command: spec.name,
        places: spec.places,
      });
      continue;
    }
    const args = spec.parseArgs(argText);
    if (!args.ok) {
      problems.push({
        kind: "invalid-args",
        line: lineNo,
        text: clip(text, 60),
        command: spec.name,
        message: args.message,
        usage: spec.usage,
      });
      continue;
    }
    const key = `${spec.name} ${JSON.stringify(args.value)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (commands.length >= MAX_COMMANDS_PER_COMMENT) {
      problems.push({ kind: "too-many", line: lineNo, text: clip(text, 60) });
      continue;
    }
    commands.push({ name: spec.name, args: args.value, line: lineNo, text: clip(text, 200) } as Invocation);
  }
  if (commands.length > 0) return { kind: "commands", commands, problems };
  if (problems.length > 0) return { kind: "reply", problems };
  return { kind: "ignore" };
}
