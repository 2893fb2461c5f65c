import { renderAuditBlock } from "./audit-block.js";
import type { AuditRecordInput } from "./audit-record.js";

/** GitHub's limit on issue/PR bodies, comments and check summaries (characters). */
export const GITHUB_TEXT_LIMIT = 65_535;

/**
 * Ends `text` with the record's hidden audit block. The block must be the LAST thing in the text
 * (`parseAuditBlock` reads only a trailing one) and must survive GitHub's length limit, so when text and
 * block do not fit together it is the text that is cut, never the block.
 */
export function appendAuditBlock(text: string, record: AuditRecordInput, limit = GITHUB_TEXT_LIMIT): string {
  const block = renderAuditBlock(record);
  const body = text.trimEnd();
  const room = limit - block.length - 2;
  if (room < 0) throw new RangeError(`audit block of ${block.length} characters exceeds the ${limit} limit`);
  if (body.length <= room) return `${body}\n\n${block}`;
  const note = "\n\n… (cut to fit GitHub's limit)";
  return `${body.slice(0, Math.max(0, room - note.length))}${note}\n\n${block}`;
}
