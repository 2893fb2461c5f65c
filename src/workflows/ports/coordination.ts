/**
 * Coordination between concurrent deliveries and between replicas. In-memory implementations live in
 * `src/adapters/memory/`; Redis ones (for several replicas) in `src/adapters/redis/`.
 */

/** Serialises work per key (e.g. per incident key) so two deliveries never race to open two issues. */
export interface KeyedLock {
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/** Remembers webhook delivery ids (and alert notifications) for a while, to drop redeliveries. */
export interface DeliveryDedupe {
  /** True the first time `id` is seen within `ttlMs`; false for a repeat. */
  firstSeen(id: string, ttlMs: number): Promise<boolean>;
  /** Forget an id (when processing failed and a redelivery must run again). */
  forget(id: string): Promise<void>;
}

/**
 * GitHub's secondary limits on content-creating requests: ≤80 per minute and ≤500 per hour.
 * `acquire` resolves when a write may be sent now, and counts it.
 */
export interface WriteBudget {
  acquire(scope: string): Promise<void>;
  /** No writes for `scope` before `untilMs` (after `retry-after` / `x-ratelimit-reset`). */
  pauseUntil(scope: string, untilMs: number): Promise<void>;
}
