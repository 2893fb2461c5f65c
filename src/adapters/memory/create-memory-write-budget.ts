import type { Clock } from "../../workflows/ports/clock.js";
import type { WriteBudget } from "../../workflows/ports/coordination.js";
import { realSleep, type Sleep } from "./sleep.js";

/** One sliding window: at most `limit` grants in any `windowMs`. */
export interface Window {
  limit: number;
  windowMs: number;
}

/** GitHub's secondary limits on content-creating requests: 80 per minute and 500 per hour. */
export const GITHUB_SECONDARY_LIMITS: readonly Window[] = [
  { limit: 80, windowMs: 60_000 },
  { limit: 500, windowMs: 3_600_000 },
];

export interface MemoryWriteBudgetOptions {
  clock: Clock;
  sleep?: Sleep;
  windows?: readonly Window[];
}

/**
 * The write budget for one process: grants are logged per scope and `acquire` waits (first come, first
 * served) until every window has room and no pause is in force. Exactly the semantics of the Redis
 * budget, without sharing between replicas.
 */
export function createMemoryWriteBudget(opts: MemoryWriteBudgetOptions): WriteBudget & {
  /** Grants in the last `windowMs` for a scope (for metrics and tests). */
  used(scope: string, windowMs: number): number;
} {
  const sleep = opts.sleep ?? realSleep;
  const windows = opts.windows ?? GITHUB_SECONDARY_LIMITS;
  const longest = Math.max(...windows.map((w) => w.windowMs));
  const grants = new Map<string, number[]>();
  const pauses = new Map<string, number>();
  const queues = new Map<string, Promise<void>>();

  /** Milliseconds until a grant is possible for `scope` (0 = now). */
  const waitFor = (scope: string, now: number): number => {
    let wait = Math.max(0, (pauses.get(scope) ?? 0) - now);
    const log = grants.get(scope) ?? [];
    while (log.length > 0 && log[0]! <= now - longest) log.shift();
    for (const w of windows) {
      const inWindow = log.filter((t) => t > now - w.windowMs);
      if (inWindow.length >= w.limit) {
        // The grant that must age out of the window for one more to fit.
        const release = inWindow[inWindow.length - w.limit]! + w.windowMs;
        wait = Math.max(wait, release - now);
      }
    }
    return wait;
  };

  return {
    acquire(scope) {
      const prev = queues.get(scope) ?? Promise.resolve();
      const mine = prev.then(async () => {
        for (;;) {
          const wait = waitFor(scope, opts.clock.now());
          if (wait <= 0) break;
          await sleep(wait);
        }
        const log = grants.get(scope) ?? [];
        log.push(opts.clock.now());
        grants.set(scope, log);
      });
      const tail = mine.catch(() => undefined);
      queues.set(scope, tail);
      void tail.then(() => {
        if (queues.get(scope) === tail) queues.delete(scope);
      });
      return mine;
    },
    async pauseUntil(scope, untilMs) {
      pauses.set(scope, Math.max(pauses.get(scope) ?? 0, untilMs));
    },
    used(scope, windowMs) {
      const now = opts.clock.now();
      return (grants.get(scope) ?? []).filter((t) => t > now - windowMs).length;
    },
  };
}
