import { describe, expect, it } from "vitest";
import { createMemoryDeliveryDedupe } from "../../../src/adapters/memory/create-memory-delivery-dedupe.js";
import { createMemoryKeyedLock } from "../../../src/adapters/memory/create-memory-keyed-lock.js";
import { createMemoryWriteBudget } from "../../../src/adapters/memory/create-memory-write-budget.js";
import { createVirtualTime } from "../../../src/adapters/memory/create-virtual-time.js";

const T0 = Date.parse("2026-11-27T10:00:00Z");

/** The most grants in any sliding window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("createMemoryWriteBudget", () => {
  it("keeps 1,000 requested writes at ≤80 per minute and ≤500 per hour, first come first served", async () => {
    const vt = createVirtualTime(T0);
    const budget = createMemoryWriteBudget({ clock: vt.clock, sleep: vt.sleep });
    const granted: { i: number; at: number }[] = [];
    for (let i = 0; i < 1000; i++)
      void budget.acquire("installation:1").then(() => granted.push({ i, at: vt.clock.now() }));
    await vt.run(T0 + 3 * 3_600_000);
    const times = granted.map((g) => g.at);
    expect(granted).toHaveLength(1000);
    expect(granted.map((g) => g.i)).toEqual([...Array(1000).keys()]);
    expect(maxInWindow(times, 60_000)).toBe(80);
    expect(maxInWindow(times, 3_600_000)).toBe(500);
    // The 501st write waits for the first hour's oldest grant to age out.
    expect(times[500]! - T0).toBe(3_600_000);
  });

  it("waits out a pause from retry-after, per scope", async () => {
    const vt = createVirtualTime(T0);
    const budget = createMemoryWriteBudget({ clock: vt.clock, sleep: vt.sleep });
    await budget.pauseUntil("installation:1", T0 + 90_000);
    const at: Record<string, number> = {};
    void budget.acquire("installation:1").then(() => {
      at["paused"] = vt.clock.now();
    });
    void budget.acquire("installation:2").then(() => {
      at["other"] = vt.clock.now();
    });
    await vt.run(T0 + 200_000);
    expect(at).toEqual({ other: T0, paused: T0 + 90_000 });
  });
});

describe("createMemoryKeyedLock", () => {
  it("serialises work per key and lets other keys run", async () => {
    const lock = createMemoryKeyedLock();
    const log: string[] = [];
    const step = (name: string, ms: number) => () =>
      new Promise<void>((r) =>
        setTimeout(() => {
          log.push(name);
          r();
        }, ms),
      );
    await Promise.all([
      lock.withLock("a", step("a1", 30)),
      lock.withLock("a", step("a2", 1)),
      lock.withLock("b", step("b1", 10)),
      lock.withLock("a", () => Promise.reject(new Error("boom"))).catch(() => log.push("a3 failed")),
      lock.withLock("a", step("a4", 1)),
    ]);
    expect(log).toEqual(["b1", "a1", "a2", "a3 failed", "a4"]);
    expect(lock.held).toBe(0);
  });
});

describe("createMemoryDeliveryDedupe", () => {
  it("drops repeats within the TTL and forgets on request", async () => {
    let now = T0;
    const dedupe = createMemoryDeliveryDedupe({ now: () => now }, 2);
    expect(await dedupe.firstSeen("x", 60_000)).toBe(true);
    expect(await dedupe.firstSeen("x", 60_000)).toBe(false);
    now += 60_000;
    expect(await dedupe.firstSeen("x", 60_000)).toBe(true);
    await dedupe.forget("x");
    expect(await dedupe.firstSeen("x", 60_000)).toBe(true);
    // Bounded: the oldest id falls out first.
    await dedupe.firstSeen("y", 60_000);
    await dedupe.firstSeen("z", 60_000);
    expect(await dedupe.firstSeen("x", 60_000)).toBe(true);
  });
});
