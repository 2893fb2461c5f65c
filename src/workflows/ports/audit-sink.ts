import type { AuditRecordInput, AuditSubject } from "../../core/audit/audit-record.js";

/** A record as workflows emit it: the subject must name its repository, whose ledger receives it. */
export type AuditEntry = AuditRecordInput & { subject: AuditSubject & { repo: string } };

/**
 * Where the bot's Evidence records go besides the hidden block in its own text: the hash-chained ledger on
 * the `medic-audit` branch of the repository the decision concerns. Recording never waits on GitHub and never
 * fails the workflow that decided (the decision already happened and its block is already written); the sink
 * batches records and appends them as one commit per flush.
 */
export interface AuditSink {
  /**
   * Queues a record for the ledger of `entry.subject.repo`. Throws only when the record itself is invalid
   * (a programming error: callers render the same record into their block first, which validates it too).
   */
  record(entry: AuditEntry): void;
  /** Appends everything queued so far; records of a failed append stay queued for the next flush. */
  flush(): Promise<void>;
}

/** A sink that keeps nothing: for callers with no ledger (the hidden blocks are still written). */
export const discardAuditSink: AuditSink = {
  record: () => {},
  flush: async () => {},
};
