import type { AuditRecordInput } from "../core/audit/audit-record.js";
import { type ChainTip, chainRecords, readChainTip } from "../core/audit/hash-chain.js";
import type { AuditLedger } from "./ports/audit-ledger.js";
import { type Logger, silentLogger } from "./ports/logger.js";

export type AppendAuditResult =
  | { ok: true; tip: ChainTip; attempts: number; version: string }
  | { ok: false; reason: "conflict"; attempts: number };

/**
 * Appends records to the ledger as ONE write (a batch is one commit on the ledger branch):
 *  1. read the ledger and its version;
 *  2. continue the chain from its last line (refusing to extend a ledger whose last line is broken);
 *  3. write the new text only if the ledger is still at the version read (compare-and-swap);
 *  4. on a conflict — another writer got there first — start again from 1 with the new tip, up to
 *     `maxAttempts` times. The records are re-chained on the fresh tip, so the chain never forks.
 */
export async function appendAudit(
  ledger: AuditLedger,
  records: readonly AuditRecordInput[],
  opts: { maxAttempts?: number; logger?: Logger; message?: string } = {},
): Promise<AppendAuditResult> {
  const maxAttempts = opts.maxAttempts ?? 5;
  const logger = opts.logger ?? silentLogger;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const { text, version } = await ledger.read();
    const tip = readChainTip(text);
    if (records.length === 0) return { ok: true, tip, attempts: attempt, version: version ?? "" };
    const next = chainRecords(tip, records);
    const base = text === "" || text.endsWith("\n") ? text : `${text}\n`;
    const message = opts.message ?? `audit: ${records.length} record(s), ${tip.count + 1}–${next.tip.count}`;
    const res = await ledger.write(base + next.lines, version, message);
    if (res.ok) return { ok: true, tip: next.tip, attempts: attempt, version: res.version };
    logger.info({ ledger: ledger.name, attempt }, "audit ledger moved while appending; re-reading");
  }
  logger.warn({ ledger: ledger.name, attempts: maxAttempts }, "audit ledger append gave up after conflicts");
  return { ok: false, reason: "conflict", attempts: maxAttempts };
}

/**
 * Batches records in memory and appends them in one commit per flush (GitHub allows ≤80 content-creating
 * requests a minute; a commit per record would spend the budget on bookkeeping). Flushes are serialised
 * within the process; across processes the compare-and-swap in `appendAudit` keeps the chain linear.
 * Records of a failed flush stay queued for the next one.
 */
export function createAuditQueue(ledger: AuditLedger, opts: { maxBatch?: number; logger?: Logger } = {}) {
  const maxBatch = opts.maxBatch ?? 100;
  let pending: AuditRecordInput[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  const flush = (): Promise<AppendAuditResult | null> => {
    const run = chain.then(async () => {
      if (pending.length === 0) return null;
      const batch = pending.slice(0, maxBatch);
      const res = await appendAudit(ledger, batch, opts.logger ? { logger: opts.logger } : {});
      if (res.ok) pending = pending.slice(batch.length);
      return res;
    });
    chain = run.catch(() => undefined);
    return run;
  };
  return {
    add(record: AuditRecordInput): void {
      pending.push(record);
    },
    get size(): number {
      return pending.length;
    },
    flush,
  };
}
