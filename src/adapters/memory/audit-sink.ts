import { AuditRecord } from "../../core/audit/audit-record.js";
import { createAuditQueue } from "../../workflows/append-audit.js";
import type { AuditLedger } from "../../workflows/ports/audit-ledger.js";
import type { AuditEntry, AuditSink } from "../../workflows/ports/audit-sink.js";

export interface MemoryAuditSink extends AuditSink {
  /** Every record received, in order, with defaults applied (what a test asserts on). */
  readonly records: AuditRecord[];
  /** How many flushes appended something to the ledger. */
  readonly appends: number;
}

/**
 * An in-memory sink for tests and the offline tools. With `ledger` (e.g. a local file ledger) each flush
 * appends the queued records to it as one batch, so a test can run `medic audit verify` on what a handler
 * produced; without it, flushing only empties the queue.
 */
export function createMemoryAuditSink(opts: { ledger?: AuditLedger } = {}): MemoryAuditSink {
  const records: AuditRecord[] = [];
  const queue = opts.ledger ? createAuditQueue(opts.ledger) : null;
  let appends = 0;
  return {
    records,
    get appends() {
      return appends;
    },
    record(entry: AuditEntry) {
      const parsed = AuditRecord.parse(entry);
      records.push(parsed);
      queue?.add(parsed);
    },
    async flush() {
      while (queue && queue.size > 0) {
        const res = await queue.flush();
        if (!res?.ok) throw new Error(`audit ledger append failed: ${res ? res.reason : "nothing flushed"}`);
        appends += 1;
      }
    },
  };
}
