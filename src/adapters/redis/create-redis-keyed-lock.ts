import { randomUUID } from "node:crypto";
import type { KeyedLock } from "../../workflows/ports/coordination.js";
import { createMemoryKeyedLock } from "../memory/create-memory-keyed-lock.js";
import { closedError, type RedisContext, retryRedis } from "./retry-redis.js";

export interface RedisKeyedLockOptions {
  /** Lock lifetime in Redis; renewed every third of it while the holder runs. A crashed holder's lock frees after this. */
  ttlMs: number;
  /** Longest wait for a lock another replica holds before giving up with an error. */
  waitMs: number;
}

/**
 * Per-key mutual exclusion across replicas: `SET`-if-absent with a random token and a TTL, renewed
 * while held, released by a script that deletes only the holder's own token. Waiting for Redis to
 * come back does not count against `waitMs` (the work simply pauses); contention does.
 */
export function createRedisKeyedLock(ctx: RedisContext, opts: RedisKeyedLockOptions): KeyedLock {
  // One local caller per key polls Redis; the others wait in order in this process.
  const local = createMemoryKeyedLock();
  return {
    withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
      return local.withLock(key, async () => {
        const redisKey = `${ctx.prefix}lock:{${key}}`;
        const token = randomUUID();
        await acquire(ctx, redisKey, token, opts);
        const renew = setInterval(
          () => {
            // A closed coordination (the pod is stopping) renews nothing; the TTL frees the lock.
            if (ctx.signal.aborted) return clearInterval(renew);
            ctx.redis.medicLockExtend(redisKey, token, opts.ttlMs).then(
              (held) => {
                if (held !== 1)
                  ctx.logger.error({ key }, "lock expired while held; another replica may run the same key");
              },
              (err: Error) => ctx.logger.warn({ key, error: err.message }, "lock renewal failed; retrying"),
            );
          },
          Math.max(10, Math.floor(opts.ttlMs / 3)),
        );
        renew.unref();
        try {
          return await fn();
        } finally {
          clearInterval(renew);
          // Bounded: if Redis is gone, the TTL frees the lock anyway.
          await retryRedis(ctx, "lock release", () => ctx.redis.medicLockRelease(redisKey, token), 5).catch(
            (err: Error) =>
              ctx.logger.warn({ key, error: err.message }, "lock release failed; it expires by TTL"),
          );
        }
      });
    },
  };
}

async function acquire(ctx: RedisContext, redisKey: string, token: string, opts: RedisKeyedLockOptions) {
  let contended = 0;
  let delay = 10;
  for (;;) {
    const got = await retryRedis(ctx, "lock acquire", () =>
      ctx.redis.medicLockAcquire(redisKey, token, opts.ttlMs),
    );
    if (got === 1) return;
    if (contended >= opts.waitMs) {
      throw new Error(`lock ${redisKey} still held by another replica after ${opts.waitMs} ms`);
    }
    if (ctx.signal.aborted) throw closedError();
    const wait = delay / 2 + Math.random() * delay;
    await ctx.sleep(wait, ctx.signal);
    contended += wait;
    delay = Math.min(delay * 2, 250);
  }
}
