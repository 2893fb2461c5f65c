import { AuditRecord, type AuditRecordInput } from "./audit-record.js";
import { canonicalJson } from "./canonical-json.js";

const OPEN = "<!-- medic:audit ";
const CLOSE = " -->";

/**
 * Renders a record as the hidden block that ends a bot comment or check summary:
 * `<!-- medic:audit {...} -->`. `<`, `>` and `&` are written as `\u003c`, `\u003e`, `\u0026` inside the JSON,
 * so no text in the record (an alert annotation, an override reason) can close the HTML comment early
 * (`-->`, `--!>`) or open a second block.
 */
export function renderAuditBlock(record: AuditRecordInput): string {
  const parsed = AuditRecord.parse(record);
  const json = canonicalJson(parsed).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `${OPEN}${json}${CLOSE}`;
}

/**
 * Makes user-supplied text safe to embed in a bot comment that will carry an audit block: every
 * `<!-- medic:` is broken up so it renders the same but is no longer a marker.
 */
export function neutralizeAuditMarkers(text: string): string {
  return text.replace(/<!--(\s*)medic:/gi, "&lt;!--$1medic:");
}

export type ParseAuditBlockResult =
  | { ok: true; record: AuditRecord }
  | { ok: false; reason: "absent" }
  | { ok: false; reason: "invalid"; message: string };

/**
 * Reads the audit block of a bot-written text. Only a block that ENDS the text counts (trailing whitespace
 * allowed): the bot always appends it last, so a look-alike inside quoted user text earlier in the body
 * is never taken for a record. Callers must also check that the text was written by the bot itself
 * (comment author), since anyone can type a trailing block in their own comment.
 */
export function parseAuditBlock(text: string): ParseAuditBlockResult {
  const trimmed = text.trimEnd();
  if (!trimmed.endsWith(CLOSE.trim())) return { ok: false, reason: "absent" };
  const start = trimmed.lastIndexOf(OPEN);
  if (start < 0) return { ok: false, reason: "absent" };
  const json = trimmed.slice(start + OPEN.length, trimmed.length - CLOSE.trim().length).trim();
  // A block's JSON never contains a literal `<`/`>` (they are escaped), so one that does was not rendered by us.
  if (/[<>]/.test(json))
    return { ok: false, reason: "invalid", message: "unescaped < or > inside the block" };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    return { ok: false, reason: "invalid", message: `not JSON: ${(err as Error).message}` };
  }
  const res = AuditRecord.safeParse(value);
  if (!res.success) {
    const issue = res.error.issues[0];
    return {
      ok: false,
      reason: "invalid",
      message: `field \`${issue?.path.join(".") || "(root)"}\`: ${issue?.message ?? "invalid"}`,
    };
  }
  return { ok: true, record: res.data };
}
