import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRedisCoordination,
  type RedisCoordination,
} from "../../../src/adapters/redis/create-redis-coordination.js";
import { startTestRedis, type TestRedis } from "./redis-server.js";
import { allHealthy, recordingLogger, replicas } from "./replicas.js";

let redis: TestRedis;
let fleet: RedisCoordination[];

beforeAll(async () => {
  redis = await startTestRedis();
  fleet = replicas(redis.url, 3, { keyPrefix: "lock-test:", lockTtlMs: 400 });
  await allHealthy(fleet);
});

afterAll(async () => {
  await Promise.all(fleet?.map((c) => c.close()) ?? []);
  await redis?.stop();
});

describe("Redis keyed lock across three replicas", () => {
  it("never lets two holders of the same key overlap, and lets other keys run meanwhile", async () => {
    let inside = 0;
    let maxInside = 0;
    const order: number[] = [];
    let otherKeyRanWhileHeld = false;
    const tasks = Array.from({ length: 30 }, (_, i) =>
      fleet[i % 3]!.lock.withLock("incident/shop/crashloop", async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        await new Promise((r) => setTimeout(r, 3));
        order.push(i);
        inside--;
      }),
    );
    const other = fleet[1]!.lock.withLock("incident/other", async () => {
      otherKeyRanWhileHeld = inside > 0 || order.length < 30;
    });
    await Promise.all([...tasks, other]);
    expect(maxInside).toBe(1);
    expect(order).toHaveLength(30);
    expect(otherKeyRanWhileHeld).toBe(true);
  });

  it("keeps renewing a lock whose holder runs longer than the TTL", async () => {
    let overlapped = false;
    let holding = false;
    const long = fleet[0]!.lock.withLock("long-job", async () => {
      holding = true;
      await new Promise((r) => setTimeout(r, 1_200)); // three TTLs
      holding = false;
    });
    await new Promise((r) => setTimeout(r, 50));
    const second = fleet[1]!.lock.withLock("long-job", async () => {
      overlapped = holding;
    });
    await Promise.all([long, second]);
    expect(overlapped).toBe(false);
  });

  it("passes the holder's error through and still releases the lock", async () => {
    await expect(
      fleet[0]!.lock.withLock("failing", async () => {
        throw new Error("runbook step failed");
      }),
    ).rejects.toThrow("runbook step failed");
    const started = Date.now();
    await fleet[1]!.lock.withLock("failing", async () => {});
    expect(Date.now() - started).toBeLessThan(300); // released, not expired by TTL
  });

  it("frees the lock of a replica that died holding it, after the TTL", async () => {
    const doomed = createRedisCoordination(redis.url, recordingLogger(), {
      keyPrefix: "lock-test:",
      lockTtlMs: 400,
    });
    await allHealthy([doomed]);
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let entered!: () => void;
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    const stuck = doomed.lock.withLock("orphan", async () => {
      entered();
      await held;
    });
    await inside;
    await doomed.close(); // the replica is gone: no more renewals, no release
    const started = Date.now();
    await fleet[2]!.lock.withLock("orphan", async () => {});
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(200);
    expect(waited).toBeLessThan(3_000);
    release();
    await stuck.catch(() => undefined);
  });

  it("gives up with an error naming the key when another replica holds it past the wait bound", async () => {
    const impatient = createRedisCoordination(redis.url, recordingLogger(), {
      keyPrefix: "lock-test:",
      lockTtlMs: 5_000,
      lockWaitMs: 200,
    });
    try {
      await allHealthy([impatient]);
      let release!: () => void;
      const holding = fleet[0]!.lock.withLock("busy", () => new Promise<void>((r) => (release = r)));
      await new Promise((r) => setTimeout(r, 50));
      await expect(impatient.lock.withLock("busy", async () => "ran")).rejects.toThrow(/busy.*still held/);
      release();
      await holding;
    } finally {
      await impatient.close();
    }
  });
});
