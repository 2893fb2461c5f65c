import type { Clock } from "../../workflows/ports/clock.js";
import type { DeliveryDedupe } from "../../workflows/ports/coordination.js";

/**
 * Remembers ids until their TTL in one process. At most `maxEntries` ids are kept (oldest first out), so
 * a flood of distinct ids cannot grow memory without bound.
 */
export function createMemoryDeliveryDedupe(clock: Clock, maxEntries = 100_000): DeliveryDedupe {
  const seen = new Map<string, number>();
  return {
    async firstSeen(id, ttlMs) {
      const now = clock.now();
      const until = seen.get(id);
      if (until !== undefined && until > now) return false;
      seen.delete(id);
      seen.set(id, now + ttlMs);
      while (seen.size > maxEntries) {
        const oldest = seen.keys().next().value;
        if (oldest === undefined) break;
        seen.delete(oldest);
      }
      return true;
    },
    async forget(id) {
      seen.delete(id);
    },
  };
}
