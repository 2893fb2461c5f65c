/**
 * Coalesces dashboard updates: the first event for a repository schedules one update `delayMs` later;
 * events until it starts join it. One edit for a burst of events instead of one per event.
 */
export interface DashboardScheduler {
  schedule(key: string, run: () => Promise<void>): void;
  /** Runs every scheduled update now and waits for them (shutdown, tests). */
  flush(): Promise<void>;
}

export function createDashboardScheduler(opts: {
  delayMs: (key: string) => number;
  onError: (key: string, err: unknown) => void;
}): DashboardScheduler {
  const pending = new Map<string, { timer: NodeJS.Timeout; run: () => Promise<void> }>();
  const running = new Set<Promise<void>>();
  const start = (key: string) => {
    const p = pending.get(key);
    if (!p) return;
    clearTimeout(p.timer);
    pending.delete(key);
    const job = p.run().catch((err) => opts.onError(key, err));
    running.add(job);
    void job.finally(() => running.delete(job));
  };
  return {
    schedule(key, run) {
      const p = pending.get(key);
      if (p) {
        p.run = run; // the latest context wins; the timer stays
        return;
      }
      const timer = setTimeout(() => start(key), opts.delayMs(key));
      timer.unref?.();
      pending.set(key, { timer, run });
    },
    async flush() {
      for (const key of [...pending.keys()]) start(key);
      await Promise.all([...running]);
    },
  };
}
