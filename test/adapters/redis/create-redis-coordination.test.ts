import { afterAll, describe, expect, it } from "vitest";
import {
  createRedisCoordination,
  type RedisCoordination,
} from "../../../src/adapters/redis/create-redis-coordination.js";
import { startTestRedis, type TestRedis } from "./redis-server.js";
import { allHealthy, recordingLogger, replicas } from "./replicas.js";

const servers: TestRedis[] = [];
const open: RedisCoordination[] = [];
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  await Promise.all(servers.map((s) => s.stop()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Redis coordination when Redis goes away", () => {
  it("pauses writes while Redis is down, loses nothing, and resumes when it returns", async () => {
    const redis = await startTestRedis({ persistent: true });
    servers.push(redis);
    const logger = recordingLogger();
    const fleet = replicas(redis.url, 3, { keyPrefix: "outage:" }, logger);
    open.push(...fleet);
    await allHealthy(fleet);

    const writes: { id: string; replica: number; at: number }[] = [];
    const receive = async (replica: number, id: string) => {
      const c = fleet[replica]!;
      if (!(await c.dedupe.firstSeen(id, 3_600_000))) return;
      await c.lock.withLock(`key-${Number(id.slice(1)) % 5}`, async () => {
        await c.writeBudget.acquire("installation-1");
        writes.push({ id, replica, at: Date.now() });
      });
    };
    // Deliveries arrive over time at all three replicas (GitHub retries, Alertmanager HA copies).
    const ids = Array.from({ length: 40 }, (_, i) => `d${i}`);
    const inFlight: Promise<void>[] = [];
    let killedAt = 0;
    let restartedAt = 0;
    for (const [i, id] of ids.entries()) {
      if (i === 15) {
        await redis.kill();
        killedAt = Date.now();
      }
      inFlight.push(...[0, 1, 2].map((r) => receive(r, id)));
      await sleep(20);
    }
    // Still down: 25 deliveries arrived during the outage and wait.
    await sleep(300);
    expect(await Promise.all(fleet.map((c) => c.isHealthy()))).toEqual([false, false, false]);
    const writesDuringOutage = writes.filter((w) => w.at > killedAt + 50);
    expect(writesDuringOutage).toEqual([]);
    const beforeRestart = writes.length;
    expect(beforeRestart).toBeLessThanOrEqual(16);

    await redis.restart();
    restartedAt = Date.now();
    await Promise.all(inFlight);
    await allHealthy(fleet);

    // Every delivery written exactly once, the paused ones after the restart.
    expect(writes.map((w) => w.id).sort()).toEqual([...ids].sort());
    expect(new Set(writes.map((w) => w.id)).size).toBe(ids.length);
    expect(writes.slice(beforeRestart).every((w) => w.at >= restartedAt)).toBe(true);
    expect(writes.length - beforeRestart).toBeGreaterThanOrEqual(24);
    // The outage and the recovery were logged, and without the URL.
    expect(logger.entries.some((e) => e.msg.includes("redis unreachable"))).toBe(true);
    expect(logger.entries.some((e) => e.msg.includes("resumed"))).toBe(true);
  }, 30_000);

  it("reports unhealthy while the server is down, healthy again once it is back", async () => {
    const redis = await startTestRedis();
    servers.push(redis);
    const c = createRedisCoordination(redis.url, recordingLogger(), { keyPrefix: "health:" });
    open.push(c);
    await allHealthy([c]);
    expect(await c.isHealthy()).toBe(true);
    // A command in flight is visible until Redis answers it.
    const seen = c.dedupe.firstSeen("health-probe", 1_000);
    expect(c.pendingCommands()).toBeGreaterThan(0);
    expect(await seen).toBe(true);
    expect(c.pendingCommands()).toBe(0);
    await redis.kill();
    await sleep(100);
    expect(await c.isHealthy()).toBe(false);
    await redis.restart();
    await allHealthy([c]);
    expect(await c.isHealthy()).toBe(true);
  }, 20_000);

  it("close() ends waiting operations with an error instead of leaving them hanging", async () => {
    const redis = await startTestRedis();
    servers.push(redis);
    const c = createRedisCoordination(redis.url, recordingLogger(), { keyPrefix: "close:" });
    await allHealthy([c]);
    await redis.kill();
    const pending = c.writeBudget.acquire("installation-1");
    const seen = c.dedupe.firstSeen("x", 1_000);
    await sleep(100);
    await c.close();
    await expect(pending).rejects.toThrow("redis coordination is closed");
    await expect(seen).rejects.toThrow("redis coordination is closed");
    expect(await c.isHealthy()).toBe(false);
  }, 20_000);

  it("never writes the Redis password into the log", async () => {
    const logger = recordingLogger();
    const secret = ["s3cr3t", "redis", "pass"].join("-");
    const c = createRedisCoordination(`redis://:${secret}@127.0.0.1:1`, logger, { keyPrefix: "pw:" });
    const p = c.dedupe.firstSeen("y", 1_000).catch(() => undefined);
    await sleep(300);
    await c.close();
    await p;
    expect(logger.entries.length).toBeGreaterThan(0);
    expect(JSON.stringify(logger.entries)).not.toContain(secret);
  });
});
