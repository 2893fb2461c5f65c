import { stripUnsafeCharacters } from "./escape-markdown.js";

/**
 * Renders untrusted multi-line text as a fenced code block that the text cannot close: the fence is one
 * backtick longer than the longest backtick run inside. Mentions and HTML do not render inside a fence, but
 * `<!--` is still broken up so that a naive reader of the raw body never sees a `<!-- medic: -->` marker.
 */
export function renderCodeBlock(text: string, maxLength = 4000): string {
  let t = stripUnsafeCharacters(text).replace(/\r\n?/g, "\n");
  if (t.length > maxLength) t = `${t.slice(0, maxLength)}\n… (${text.length - maxLength} more characters)`;
  t = t.replace(/<!--/g, "<!\u200b--").replace(/-->/g, "--\u200b>");
  const longest = Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}text\n${t}\n${fence}`;
}
