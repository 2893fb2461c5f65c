import type { KeyedLock } from "../../workflows/ports/coordination.js";

/**
 * Serialises work per key inside one process: each caller waits for the previous holder of the same key.
 * Keys with nobody waiting are dropped, so memory is bounded by the keys in use. Several replicas need
 * the Redis lock instead.
 */
export function createMemoryKeyedLock(): KeyedLock & { readonly held: number } {
  const tails = new Map<string, Promise<unknown>>();
  return {
    get held() {
      return tails.size;
    },
    withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const prev = tails.get(key) ?? Promise.resolve();
      const run = prev.then(fn, fn);
      const tail = run.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return run;
    },
  };
}
