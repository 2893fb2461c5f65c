/**
 * Escapes untrusted text (alert labels, annotations, issue-form answers) for one line of GitHub Markdown:
 * safe inside a sentence, a list item or a table cell.
 *
 * - HTML is inert: `<`, `>` and `&` become entities, so neither tags nor `<!-- medic: -->` markers survive.
 * - `@user`, `@org/team` and `#123` get a zero-width space after the sigil (the form Renovate uses at scale),
 *   so nobody is pinged and no issue is cross-referenced; github.com links go through redirect.github.com so
 *   they do not leave "mentioned this" back-links either.
 * - Markdown punctuation is backslash-escaped (including `|` for tables and backticks for code spans), and
 *   line breaks collapse to spaces so the text cannot open a fence, a heading or a new table row.
 * - Control and bidirectional-override characters are dropped (they can disguise what a reader sees).
 */
export function escapeMarkdown(text: string, maxLength = 1000): string {
  let t = stripUnsafeCharacters(text).replace(/\s+/g, " ").trim();
  if (t.length > maxLength) t = `${t.slice(0, Math.max(0, maxLength - 1))}…`;
  return (
    t
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/[\\`*_[\]()!|~{}]/g, (c) => `\\${c}`)
      .replace(/^([#+=-])/, "\\$1")
      .replace(/^(\d+)([.)])/, "$1\\$2")
      // `#` first: the entity inserted after `@` contains a `#` that must stay as it is.
      .replace(/#(?=\w)/g, "#&#8203;")
      .replace(/@/g, "@&#8203;")
      .replace(/\bgithub\.com\//gi, "redirect.github.com/")
  );
}

/** Removes C0/C1 controls (except whitespace) and Unicode direction overrides and isolates. */
export function stripUnsafeCharacters(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "");
}
