/**
 * The append-only audit ledger: a JSON Lines file (one hash-chained Evidence record per line) kept on a
 * dedicated branch of the GitOps repository, or in a local file. Writers never append blindly: they read
 * the text with its version and write the whole new text only if the ledger is still at that version
 * (compare-and-swap), so two concurrent writers can never fork the chain.
 */
export interface AuditLedger {
  /** For messages: `owner/name@branch:path` or the file path. */
  readonly name: string;
  /** The ledger text ("" when it does not exist yet) and its version (commit SHA, content hash; null when absent). */
  read(): Promise<{ text: string; version: string | null }>;
  /**
   * Replaces the ledger with `text` if it is still at `expected` (null: must not exist yet).
   * `conflict` when someone else wrote in between; other failures throw.
   */
  write(
    text: string,
    expected: string | null,
    message: string,
  ): Promise<{ ok: true; version: string } | { ok: false; reason: "conflict" }>;
}
