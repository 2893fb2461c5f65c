import { createMemoryDeliveryDedupe } from "../adapters/memory/create-memory-delivery-dedupe.js";
import { createMemoryKeyedLock } from "../adapters/memory/create-memory-keyed-lock.js";
import { createMemoryWriteBudget } from "../adapters/memory/create-memory-write-budget.js";
import { createRedisCoordination } from "../adapters/redis/create-redis-coordination.js";
import type { EnvConfig } from "../core/config/env-config.js";
import type { Clock } from "../workflows/ports/clock.js";
import type { Logger } from "../workflows/ports/logger.js";
import type { Coordination } from "./start-server.js";

/**
 * Redis when `REDIS_URL` is set (several replicas share locks, de-duplication and the write budget);
 * otherwise one process's memory — the supported shape for a single replica only (docs/production.md).
 */
export function createCoordination(
  env: Pick<EnvConfig, "REDIS_URL">,
  clock: Clock,
  logger: Logger,
): Coordination {
  if (env.REDIS_URL) return createRedisCoordination(env.REDIS_URL, logger);
  return {
    lock: createMemoryKeyedLock(),
    dedupe: createMemoryDeliveryDedupe(clock),
    writeBudget: createMemoryWriteBudget({ clock }),
    isHealthy: async () => true,
    close: async () => {},
  };
}
