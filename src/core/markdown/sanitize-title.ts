import { stripUnsafeCharacters } from "./escape-markdown.js";

/** GitHub rejects issue titles over 256 characters with a 422. */
export const MAX_TITLE_LENGTH = 256;

/**
 * Makes an issue or PR title from untrusted text: one line, no control characters, at most 256
 * characters. Titles are not rendered as Markdown, so no further escaping is needed.
 */
export function sanitizeTitle(text: string, maxLength = MAX_TITLE_LENGTH): string {
  const t = stripUnsafeCharacters(text).replace(/\s+/g, " ").trim();
  return t.length > maxLength ? `${t.slice(0, maxLength - 1)}…` : t || "(untitled)";
}
