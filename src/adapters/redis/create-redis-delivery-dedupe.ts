import { randomUUID } from "node:crypto";
import type { DeliveryDedupe } from "../../workflows/ports/coordination.js";
import { type RedisContext, retryRedis } from "./retry-redis.js";

/**
 * Delivery ids shared by replicas, each kept for its TTL. While Redis is unreachable `firstSeen`
 * waits: answering "new" could run a delivery twice, answering "seen" could drop it.
 */
export function createRedisDeliveryDedupe(ctx: RedisContext): DeliveryDedupe {
  const key = (id: string) => `${ctx.prefix}delivery:{${id}}`;
  return {
    async firstSeen(id, ttlMs) {
      // The token makes a resent command (reply lost in a reconnect) still answer "first" to its caller.
      const token = randomUUID();
      const ttl = Math.max(1, Math.round(ttlMs));
      const first = await retryRedis(ctx, "delivery dedupe", () =>
        ctx.redis.medicDedupeFirstSeen(key(id), token, ttl),
      );
      return first === 1;
    },
    async forget(id) {
      await retryRedis(ctx, "delivery forget", () => ctx.redis.del(key(id)));
    },
  };
}
