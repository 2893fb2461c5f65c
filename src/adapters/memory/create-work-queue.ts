/**
 * A bounded in-process queue: `push` accepts work while fewer than `maxPending` items wait, and runs up to
 * `concurrency` at once. A full queue refuses (the HTTP route answers 503 and Alertmanager retries), so an
 * alert storm cannot grow memory without bound.
 */
export function createWorkQueue(opts: {
  concurrency: number;
  maxPending: number;
  onError: (err: unknown) => void;
}) {
  const pending: (() => Promise<void>)[] = [];
  let running = 0;
  let idleWaiters: (() => void)[] = [];
  const pump = () => {
    while (running < opts.concurrency && pending.length > 0) {
      const job = pending.shift()!;
      running++;
      void job()
        .catch(opts.onError)
        .finally(() => {
          running--;
          pump();
        });
    }
    if (running === 0 && pending.length === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  };
  return {
    /** False when the queue is full (nothing was queued). */
    push(job: () => Promise<void>): boolean {
      if (pending.length >= opts.maxPending) return false;
      pending.push(job);
      queueMicrotask(pump);
      return true;
    },
    /** Resolves when nothing is queued or running. */
    idle(): Promise<void> {
      if (running === 0 && pending.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    get size(): number {
      return pending.length + running;
    },
  };
}
