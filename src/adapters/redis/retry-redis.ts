import type { Clock } from "../../workflows/ports/clock.js";
import type { Logger } from "../../workflows/ports/logger.js";
import type { MedicRedis } from "./define-redis-scripts.js";

/** What the Redis coordination pieces share: one client, its health, and the way to stop them. */
export interface RedisContext {
  redis: MedicRedis;
  logger: Logger;
  /** Prefix of every key (`medic:`). */
  prefix: string;
  /** The caller's clock for window maths; Redis server time when unset. */
  clock: Clock | undefined;
  /** Waits `ms`; rejects when `signal` aborts (on close). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Aborted by close(): every waiting loop ends with an error instead of hanging. */
  signal: AbortSignal;
  /** Consecutive failed Redis calls (0 = the last call worked). */
  failures: number;
  /** When the current outage was last logged (to log it every 30 s, not on every retry). */
  lastOutageLog: number;
}

const BACKOFF_MS = [50, 100, 200, 400, 800, 1_000, 2_000];
const OUTAGE_LOG_EVERY_MS = 30_000;

/** Real sleep that ends early (rejecting) when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(closedError());
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(closedError());
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export function closedError(): Error {
  return new Error("redis coordination is closed");
}

/**
 * Runs `op` until Redis answers. While Redis is unreachable nothing proceeds: a write budget that
 * cannot be checked is not granted, a delivery that cannot be recorded is not processed. The wait
 * ends when Redis is back, after `maxAttempts`, or on close().
 */
export async function retryRedis<T>(
  ctx: RedisContext,
  what: string,
  op: () => Promise<T>,
  maxAttempts = Number.POSITIVE_INFINITY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (ctx.signal.aborted) throw closedError();
    try {
      const result = await op();
      if (ctx.failures > 0) {
        ctx.logger.info({ what, failedCalls: ctx.failures }, "redis reachable again, coordination resumed");
        ctx.failures = 0;
        ctx.lastOutageLog = 0;
      }
      return result;
    } catch (err) {
      if (ctx.signal.aborted) throw closedError();
      ctx.failures++;
      const now = Date.now();
      if (now - ctx.lastOutageLog >= OUTAGE_LOG_EVERY_MS) {
        ctx.lastOutageLog = now;
        ctx.logger.warn(
          { what, attempt, error: (err as Error).message },
          "redis unreachable: coordination paused until it answers",
        );
      }
      if (attempt >= maxAttempts) throw err;
      const base = BACKOFF_MS[Math.min(attempt - 1, BACKOFF_MS.length - 1)]!;
      // Jitter keeps replicas from hammering a recovering Redis in lockstep.
      await ctx.sleep(base / 2 + Math.random() * base, ctx.signal);
    }
  }
}
