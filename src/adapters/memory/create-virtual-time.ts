import type { Clock } from "../../workflows/ports/clock.js";
import type { Sleep } from "./sleep.js";

/**
 * Simulated time for benchmarks and long scenario tests: a clock plus a scheduler. `sleep` and `at`
 * register timers; `run` lets all pending I/O and promise work settle (real macrotask turns), then jumps
 * the clock to the next timer, until no timer is left or `until` is reached. Nothing waits in real time.
 */
export function createVirtualTime(
  start: number,
  opts: {
    /**
     * A counter that grows while work makes progress (requests served, writes made). Between timers the
     * scheduler keeps yielding until it stops growing, so long promise chains finish before time jumps.
     */
    activity?: () => number;
  } = {},
) {
  let now = start;
  let seq = 0;
  const timers: { at: number; seq: number; fire: () => void }[] = [];
  const schedule = (at: number, fire: () => void) => {
    timers.push({ at: Math.max(at, now), seq: seq++, fire });
    timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
  };
  const settle = async () => {
    // Macrotask turns until nothing moves: promise chains that cross setImmediate/nextTick boundaries
    // finish before the clock jumps (bounded, so a busy loop cannot hang the scheduler).
    let quiet = 0;
    let last = opts.activity?.() ?? 0;
    for (let i = 0; i < 5_000 && quiet < 3; i++) {
      await new Promise((r) => setImmediate(r));
      const now = opts.activity?.() ?? 0;
      quiet = now === last ? quiet + 1 : 0;
      last = now;
    }
  };
  const clock: Clock = { now: () => now };
  const sleep: Sleep = (ms) => new Promise((resolve) => schedule(now + Math.max(0, ms), resolve));
  return {
    clock,
    sleep,
    /** Runs `fn` at virtual time `t`. */
    at(t: number, fn: () => void): void {
      schedule(t, fn);
    },
    /** Advances through every timer (up to `until`), settling work between them. */
    async run(until = Number.POSITIVE_INFINITY): Promise<void> {
      for (;;) {
        await settle();
        const next = timers[0];
        if (!next || next.at > until) break;
        timers.shift();
        now = next.at;
        next.fire();
      }
      await settle();
      if (until !== Number.POSITIVE_INFINITY && now < until) now = until;
    },
    /** Timers still pending. */
    pending(): number {
      return timers.length;
    },
  };
}
