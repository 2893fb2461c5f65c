import type { Clock } from "../../workflows/ports/clock.js";
import type { WriteBudget } from "../../workflows/ports/coordination.js";
import type { Logger } from "../../workflows/ports/logger.js";

/** Bounded retries of one write after a rate limit (each waits for the pause it was told). */
const MAX_RATE_LIMIT_RETRIES = 5;
/** GitHub's advice when a secondary limit names no time: wait at least a minute. */
const SECONDARY_DEFAULT_MS = 60_000;

export interface WriteQueue {
  /**
   * Runs one content-creating request inside the installation's budget (≤80/min, ≤500/h). A rate-limit
   * answer pauses the whole scope until `retry-after` / `x-ratelimit-reset` (else a minute) and retries.
   */
  run<T>(what: string, fn: () => Promise<T>): Promise<T>;
}

/** The write queue of one installation (`scope`, e.g. `installation:42`), over a shared `WriteBudget`. */
export function createWriteQueue(opts: {
  budget: WriteBudget;
  scope: string;
  clock: Clock;
  logger: Logger;
}): WriteQueue {
  return {
    async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        await opts.budget.acquire(opts.scope);
        try {
          return await fn();
        } catch (err) {
          const waitMs = rateLimitWait(err, opts.clock.now());
          if (waitMs === null || attempt >= MAX_RATE_LIMIT_RETRIES) throw err;
          opts.logger.warn({ scope: opts.scope, what, waitMs, attempt }, "github rate limit: pausing writes");
          await opts.budget.pauseUntil(opts.scope, opts.clock.now() + waitMs);
        }
      }
    },
  };
}

/**
 * How long GitHub asks us to wait, from an octokit `RequestError`: `retry-after` (seconds), else
 * `x-ratelimit-reset` when the primary limit is spent, else a minute for a secondary limit; null when
 * the error is not a rate limit (a plain 403 is a permission problem, not a reason to wait).
 */
export function rateLimitWait(err: unknown, now: number): number | null {
  const e = err as {
    status?: number;
    message?: string;
    response?: { headers?: Record<string, string | number | undefined> };
  };
  if (e?.status !== 403 && e?.status !== 429) return null;
  const h = e.response?.headers ?? {};
  const retryAfter = Number(h["retry-after"]);
  if (h["retry-after"] !== undefined && Number.isFinite(retryAfter))
    return Math.max(1_000, retryAfter * 1000);
  const reset = Number(h["x-ratelimit-reset"]);
  if (String(h["x-ratelimit-remaining"]) === "0" && Number.isFinite(reset))
    return Math.max(1_000, reset * 1000 - now);
  if (e.status === 429 || /secondary rate limit|abuse/i.test(e.message ?? "")) return SECONDARY_DEFAULT_MS;
  return null;
}
