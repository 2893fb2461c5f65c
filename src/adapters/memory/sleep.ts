/** Waits `ms` milliseconds: real timers in production, a virtual scheduler in benchmarks. */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
