import type { Coordination } from "../../src/server/start-server.js";

/**
 * The simplest honest coordination for server tests that do not exercise locking or budgets:
 * a real de-duplication set, pass-through lock and budget, and a health flag the test can flip.
 */
export function testCoordination(): Coordination & { healthy: boolean; seen: Set<string> } {
  const seen = new Set<string>();
  const state = {
    healthy: true,
    seen,
    lock: { withLock: <T>(_key: string, fn: () => Promise<T>) => fn() },
    dedupe: {
      async firstSeen(id: string) {
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      },
      async forget(id: string) {
        seen.delete(id);
      },
    },
    writeBudget: { async acquire() {}, async pauseUntil() {} },
    async isHealthy() {
      return state.healthy;
    },
    async close() {},
  };
  return state;
}
