import { setMaxListeners } from "node:events";
import { Redis } from "ioredis";
import type { Clock } from "../../workflows/ports/clock.js";
import type { DeliveryDedupe, KeyedLock, WriteBudget } from "../../workflows/ports/coordination.js";
import type { Logger } from "../../workflows/ports/logger.js";
import { createRedisDeliveryDedupe } from "./create-redis-delivery-dedupe.js";
import { createRedisKeyedLock } from "./create-redis-keyed-lock.js";
import { type BudgetWindow, createRedisWriteBudget } from "./create-redis-write-budget.js";
import { defineRedisScripts } from "./define-redis-scripts.js";
import { abortableSleep, type RedisContext } from "./retry-redis.js";

export interface RedisCoordinationOptions {
  /** Clock for the write-budget windows. Unset (production): Redis server time, one clock for all replicas. */
  clock?: Clock;
  /** Sleep used between polls and retries (tests shorten it); must reject when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Prefix of every key, so several installations can share one Redis. Default `medic:`. */
  keyPrefix?: string;
  /** Write-budget windows. Default GitHub's secondary limits: 80 per 60 s and 500 per 3600 s. */
  windows?: [BudgetWindow, BudgetWindow];
  /** Lock TTL (renewed while held). Default 30 s. */
  lockTtlMs?: number;
  /** Longest wait on a lock held by another replica. Default 120 s. */
  lockWaitMs?: number;
  /** Longest sleep between write-budget checks. Default 1 s. */
  maxPollMs?: number;
  /** A Redis call that takes longer fails (and is retried). Default 5 s. */
  commandTimeoutMs?: number;
}

/** The coordination ports backed by one Redis, shared by every replica that points at it. */
export interface RedisCoordination {
  lock: KeyedLock;
  dedupe: DeliveryDedupe;
  writeBudget: WriteBudget;
  /** True when Redis answers a PING now. False ⇒ not ready, and destructive steps must not run. */
  isHealthy(): Promise<boolean>;
  /** Ends waiting loops (they reject), then closes the connection. */
  close(): Promise<void>;
  /** Commands sent and not yet answered (diagnostics; the storm benchmark waits on it between time steps). */
  pendingCommands(): number;
}

/** GitHub's secondary limits on content-creating requests (docs: "Rate limits for the REST API"). */
export const GITHUB_WRITE_WINDOWS: [BudgetWindow, BudgetWindow] = [
  { limit: 80, windowMs: 60_000 },
  { limit: 500, windowMs: 3_600_000 },
];

/**
 * Locks, delivery de-duplication and the write budget over Redis at `url` (`REDIS_URL`). Connects in
 * the background and reconnects forever; until Redis answers, every operation waits (never falls
 * open). The URL may carry a password: it is never logged.
 */
export function createRedisCoordination(
  url: string,
  logger: Logger,
  opts: RedisCoordinationOptions = {},
): RedisCoordination {
  const commandTimeout = opts.commandTimeoutMs ?? 5_000;
  const client = new Redis(url, {
    // Fail fast and let our loops wait: ioredis' own offline queue would hold commands invisibly and
    // replay them in bulk; our loops back off, log the outage once, and stop on close().
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout,
    connectTimeout: commandTimeout,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
    lazyConnect: false,
  });
  const abort = new AbortController();
  // Every waiting operation listens for close(); hundreds may wait during an outage or a storm.
  setMaxListeners(0, abort.signal);
  let connectionLogged = false;
  client.on("error", (err: Error) => {
    // ioredis emits an error per failed reconnect; retryRedis logs the outage at a sane rate.
    if (!connectionLogged) logger.warn({ error: err.message }, "redis connection error");
    connectionLogged = true;
  });
  client.on("ready", () => {
    connectionLogged = false;
    logger.info({}, "redis connected");
  });
  const ctx: RedisContext = {
    redis: defineRedisScripts(client),
    logger,
    prefix: opts.keyPrefix ?? "medic:",
    clock: opts.clock,
    sleep: opts.sleep ?? abortableSleep,
    signal: abort.signal,
    failures: 0,
    lastOutageLog: 0,
  };
  return {
    lock: createRedisKeyedLock(ctx, { ttlMs: opts.lockTtlMs ?? 30_000, waitMs: opts.lockWaitMs ?? 120_000 }),
    dedupe: createRedisDeliveryDedupe(ctx),
    writeBudget: createRedisWriteBudget(ctx, {
      windows: opts.windows ?? GITHUB_WRITE_WINDOWS,
      maxPollMs: opts.maxPollMs ?? 1_000,
    }),
    async isHealthy() {
      if (abort.signal.aborted || client.status !== "ready") return false;
      try {
        return (await client.ping()) === "PONG";
      } catch {
        return false;
      }
    },
    pendingCommands() {
      return client.commandQueue.length;
    },
    async close() {
      abort.abort();
      try {
        await Promise.race([client.quit(), new Promise((r) => setTimeout(r, 1_000).unref())]);
      } catch {
        // Already disconnected: nothing to flush.
      }
      client.disconnect();
    },
  };
}
