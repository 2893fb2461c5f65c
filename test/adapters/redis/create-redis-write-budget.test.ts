import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RedisCoordination } from "../../../src/adapters/redis/create-redis-coordination.js";
import { manualClock } from "../../../src/workflows/ports/clock.js";
import { startTestRedis, type TestRedis } from "./redis-server.js";
import { allHealthy, replicas } from "./replicas.js";

let redis: TestRedis;
let reader: Redis;
const open: RedisCoordination[] = [];

const T0 = Date.parse("2026-11-27T00:00:00Z");
// Sleeps are cut to 2 ms of real time: the test moves the manual clock, so a replica told to wait
// 40 s just asks again soon and gets the answer the moved clock gives.
const shortSleep = (_ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new Error("closed"));
    setTimeout(resolve, 2);
  });

beforeAll(async () => {
  redis = await startTestRedis();
  reader = new Redis(redis.url);
});

afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  reader?.disconnect();
  await redis?.stop();
});

function fleetWith(prefix: string, clock: ReturnType<typeof manualClock>) {
  const fleet = replicas(redis.url, 3, { keyPrefix: prefix, clock, sleep: shortSleep });
  open.push(...fleet);
  return fleet;
}

/** Largest number of grants in any closed interval of `windowMs` (both ends included). */
function maxInWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let max = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi]! - t[lo]! > windowMs) lo++;
    max = Math.max(max, hi - lo + 1);
  }
  return max;
}

describe("Redis write budget shared by three replicas (GitHub: 80 per 60 s, 500 per 3600 s)", () => {
  it("keeps 540 concurrent writes from three replicas within both windows, and grants them all", async () => {
    const clock = manualClock(T0);
    const fleet = fleetWith("budget-a:", clock);
    await allHealthy(fleet);
    const total = 540;
    let done = 0;
    const all = Promise.all(
      Array.from({ length: total }, (_, i) =>
        fleet[i % 3]!.writeBudget.acquire("installation-42").then(() => {
          done++;
        }),
      ),
    );
    // Grant times are the scores Redis recorded (the clock value each grant was decided at). The
    // minute window keeps a grant for 60 s of clock time; reading it at every 5 s step misses none.
    const grants = new Map<string, number>();
    const collect = async () => {
      const flat = await reader.zrange("budget-a:budget:{installation-42}:w1", 0, -1, "WITHSCORES");
      for (let i = 0; i < flat.length; i += 2) grants.set(flat[i]!, Number(flat[i + 1]));
    };
    const deadline = Date.now() + 80_000;
    // Move the clock only once the replicas have taken what the current time allows (no grant for
    // 15 ms of real time), so a busy machine cannot make the fleet look slower than it is.
    const settle = async () => {
      let last = -1;
      while (last !== done && Date.now() < deadline) {
        last = done;
        await new Promise((r) => setTimeout(r, 15));
      }
    };
    while (done < total && Date.now() < deadline) {
      await settle();
      await collect();
      clock.advance(5_000);
    }
    await all;
    await collect();
    const times = [...grants.values()];
    expect(done).toBe(total);
    expect(times).toHaveLength(total);
    expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(80);
    expect(maxInWindow(times, 3_600_000)).toBeLessThanOrEqual(500);
    // Not merely slow: the fleet used the budget (80 at once, then 80 per minute up to 500).
    const sorted = [...times].sort((a, b) => a - b);
    expect(sorted.filter((t) => t === sorted[0])).toHaveLength(80);
    expect(sorted[80]! - sorted[0]!).toBeGreaterThan(60_000);
    expect(sorted[80]! - sorted[0]!).toBeLessThanOrEqual(70_000);
    expect(sorted[500]! - sorted[0]!).toBeGreaterThan(3_600_000);
    expect(sorted[500]! - sorted[0]!).toBeLessThanOrEqual(3_610_000);
  }, 120_000);

  it("holds every replica's writes while another replica's pause (retry-after) runs", async () => {
    const clock = manualClock(T0);
    const fleet = fleetWith("budget-b:", clock);
    await allHealthy(fleet);
    await fleet[0]!.writeBudget.pauseUntil("installation-7", T0 + 30_000);
    // An earlier pause never shortens a later one.
    await fleet[2]!.writeBudget.pauseUntil("installation-7", T0 + 10_000);
    let granted = false;
    const waiting = fleet[1]!.writeBudget.acquire("installation-7").then(() => {
      granted = true;
    });
    for (const t of [5_000, 15_000, 29_999]) {
      clock.set(T0 + t);
      await new Promise((r) => setTimeout(r, 20));
      expect(granted).toBe(false);
    }
    clock.set(T0 + 30_000);
    await waiting;
    expect(granted).toBe(true);
    // Another scope was never paused.
    await fleet[2]!.writeBudget.acquire("installation-8");
  });

  it("counts per scope: one installation's budget does not spend another's", async () => {
    const clock = manualClock(T0);
    const fleet = fleetWith("budget-c:", clock);
    await allHealthy(fleet);
    await Promise.all(Array.from({ length: 80 }, (_, i) => fleet[i % 3]!.writeBudget.acquire("a")));
    let otherDone = false;
    await fleet[0]!.writeBudget.acquire("b").then(() => {
      otherDone = true;
    });
    expect(otherDone).toBe(true);
    let extra = false;
    const p = fleet[1]!.writeBudget.acquire("a").then(() => {
      extra = true;
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(extra).toBe(false);
    clock.advance(60_001);
    await p;
    expect(extra).toBe(true);
  });
});
