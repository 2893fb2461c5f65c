import { createHash } from "node:crypto";
import { AuditRecord, type AuditRecordInput } from "./audit-record.js";
import { canonicalJson } from "./canonical-json.js";

/** `prev` of the first line of a ledger. */
export const GENESIS_HASH = "0".repeat(64);

/** One line of the JSON Lines ledger. */
export interface LedgerEntry {
  /** 0-based position in the ledger; makes deletions and reorderings visible at the line they happen. */
  seq: number;
  /** `hash` of the previous line (GENESIS_HASH for the first). */
  prev: string;
  record: AuditRecord;
  /** sha-256 (hex) of the canonical JSON of `{seq, prev, record}`. */
  hash: string;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The hash a ledger line must carry. */
export function hashEntry(entry: Pick<LedgerEntry, "seq" | "prev" | "record">): string {
  return sha256Hex(canonicalJson({ seq: entry.seq, prev: entry.prev, record: entry.record }));
}

/** The position and hash the next line continues from. */
export interface ChainTip {
  /** Lines in the ledger so far. */
  count: number;
  /** Hash of the last line (GENESIS_HASH when empty). */
  hash: string;
}

export const EMPTY_TIP: ChainTip = { count: 0, hash: GENESIS_HASH };

/** Chains records onto a tip; returns the JSON Lines text to append (each line ends with `\n`) and the new tip. */
export function chainRecords(
  tip: ChainTip,
  records: readonly AuditRecordInput[],
): { lines: string; tip: ChainTip } {
  let { count, hash } = tip;
  let lines = "";
  for (const input of records) {
    const record = AuditRecord.parse(input);
    const entry = { seq: count, prev: hash, record };
    hash = hashEntry(entry);
    lines += `${canonicalJson({ ...entry, hash })}\n`;
    count += 1;
  }
  return { lines, tip: { count, hash } };
}

export type VerifyBreak = {
  /** 1-based line number of the first line that does not fit the chain. */
  line: number;
  kind: "unparsable" | "invalid-record" | "seq" | "prev" | "hash";
  /** What the chain requires at that line. */
  expected: string;
  /** What the line holds. */
  found: string;
  message: string;
};

export type VerifyChainResult =
  | { ok: true; tip: ChainTip }
  | { ok: false; tip: ChainTip; break: VerifyBreak };

/**
 * Verifies a JSON Lines ledger from its first line and reports the FIRST break: a line that is not JSON,
 * whose record is invalid, whose `seq` is not its position (deleted or reordered lines), whose `prev` is not
 * the previous line's hash, or whose `hash` does not match its content (an edited line). `tip` is the last
 * good position. A trailing empty line is allowed; blank lines elsewhere are breaks.
 */
export function verifyChain(text: string): VerifyChainResult {
  const rows = text.split("\n");
  if (rows.length > 0 && rows[rows.length - 1] === "") rows.pop();
  let tip: ChainTip = EMPTY_TIP;
  for (let i = 0; i < rows.length; i++) {
    const line = i + 1;
    const fail = (kind: VerifyBreak["kind"], expected: string, found: string, message: string) =>
      ({ ok: false, tip, break: { line, kind, expected, found, message } }) as const;
    let value: unknown;
    try {
      value = JSON.parse(rows[i] ?? "");
    } catch {
      return fail("unparsable", "a JSON object", truncate(rows[i] ?? ""), `line ${line} is not JSON`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return fail(
        "unparsable",
        "a JSON object",
        truncate(rows[i] ?? ""),
        `line ${line} is not a JSON object`,
      );
    }
    const v = value as Record<string, unknown>;
    if (v["seq"] !== tip.count) {
      return fail(
        "seq",
        String(tip.count),
        String(v["seq"]),
        `line ${line}: seq ${String(v["seq"])}, expected ${tip.count} (a line was deleted, inserted or moved)`,
      );
    }
    if (v["prev"] !== tip.hash) {
      return fail(
        "prev",
        tip.hash,
        String(v["prev"]),
        `line ${line}: prev does not match the hash of line ${line - 1 || "(genesis)"}`,
      );
    }
    const rec = AuditRecord.safeParse(v["record"]);
    if (!rec.success) {
      const issue = rec.error.issues[0];
      return fail(
        "invalid-record",
        "a valid audit record",
        `field ${issue?.path.join(".") || "(root)"}: ${issue?.message}`,
        `line ${line}: invalid record`,
      );
    }
    // Hash the record as stored (not the parsed one with defaults applied) so any edit shows.
    const expected = hashEntry({ seq: tip.count, prev: tip.hash, record: v["record"] as AuditRecord });
    if (v["hash"] !== expected) {
      return fail(
        "hash",
        expected,
        String(v["hash"]),
        `line ${line}: content does not match its hash (edited line)`,
      );
    }
    tip = { count: tip.count + 1, hash: expected };
  }
  return { ok: true, tip };
}

/** The tip of a ledger assumed valid up to its last line (checked: the last line's own hash). */
export function readChainTip(text: string): ChainTip {
  const rows = text.split("\n").filter((r) => r !== "");
  const last = rows[rows.length - 1];
  if (last === undefined) return EMPTY_TIP;
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(last) as Record<string, unknown>;
  } catch {
    throw new Error(`ledger line ${rows.length} is not JSON; refusing to append to a broken chain`);
  }
  const seq = v["seq"];
  const hash =
    typeof v["prev"] === "string" && typeof seq === "number"
      ? hashEntry({ seq, prev: v["prev"], record: v["record"] as AuditRecord })
      : "";
  if (seq !== rows.length - 1 || hash !== v["hash"]) {
    throw new Error(
      `ledger line ${rows.length} does not fit its own hash or position; run \`medic audit verify\``,
    );
  }
  return { count: rows.length, hash };
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
