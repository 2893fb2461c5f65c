import { randomUUID } from "node:crypto";
import type { WriteBudget } from "../../workflows/ports/coordination.js";
import { createMemoryKeyedLock } from "../memory/create-memory-keyed-lock.js";
import { type RedisContext, retryRedis } from "./retry-redis.js";

/** One sliding window: at most `limit` writes in any `windowMs`. */
export interface BudgetWindow {
  /** Writes allowed in the window. */
  limit: number;
  /** Window length in milliseconds. */
  windowMs: number;
}

export interface RedisWriteBudgetOptions {
  /** Exactly two windows, checked together (GitHub: 80 per 60 s and 500 per 3600 s). */
  windows: [BudgetWindow, BudgetWindow];
  /** Longest sleep between two checks, so a pause set by another replica is seen soon. */
  maxPollMs: number;
}

/**
 * GitHub's secondary limits for the whole fleet: each grant is a member of two sorted sets (one per
 * window) scored by time, checked and added in one Lua script so replicas cannot overshoot between
 * a check and a write. Pauses from `retry-after` / `x-ratelimit-reset` live in Redis too, so one
 * replica's 403 stops all of them. When Redis is unreachable, `acquire` waits: no write goes out
 * uncounted.
 */
export function createRedisWriteBudget(ctx: RedisContext, opts: RedisWriteBudgetOptions): WriteBudget {
  // One local caller per key polls Redis; the others wait in order in this process.
  const local = createMemoryKeyedLock();
  const keys = (scope: string) => {
    const base = `${ctx.prefix}budget:{${scope}}`;
    return { minute: `${base}:w1`, hour: `${base}:w2`, pause: `${base}:pause` };
  };
  const [w1, w2] = opts.windows;
  const now = () => (ctx.clock ? String(ctx.clock.now()) : "");
  return {
    acquire(scope) {
      return local.withLock(scope, async () => {
        const k = keys(scope);
        const id = randomUUID();
        for (;;) {
          const wait = await retryRedis(ctx, "write budget", () =>
            ctx.redis.medicBudgetAcquire(
              k.minute,
              k.hour,
              k.pause,
              now(),
              id,
              w1.limit,
              w1.windowMs,
              w2.limit,
              w2.windowMs,
            ),
          );
          if (wait <= 0) return;
          await ctx.sleep(Math.min(wait, opts.maxPollMs), ctx.signal);
        }
      });
    },
    async pauseUntil(scope, untilMs) {
      const k = keys(scope);
      await retryRedis(ctx, "write pause", () =>
        ctx.redis.medicBudgetPause(k.pause, Math.ceil(untilMs), now()),
      );
    },
  };
}
