import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RedisCoordination } from "../../../src/adapters/redis/create-redis-coordination.js";
import { startTestRedis, type TestRedis } from "./redis-server.js";
import { allHealthy, replicas } from "./replicas.js";

let redis: TestRedis;
let fleet: RedisCoordination[];

beforeAll(async () => {
  redis = await startTestRedis();
  fleet = replicas(redis.url, 3, { keyPrefix: "dedupe-test:" });
  await allHealthy(fleet);
});

afterAll(async () => {
  await Promise.all(fleet?.map((c) => c.close()) ?? []);
  await redis?.stop();
});

describe("Redis delivery de-duplication across three replicas", () => {
  it("runs each of 50 deliveries once when all three replicas receive all of them at once", async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `delivery-a-${i}`);
    const sideEffects = new Map<string, string[]>();
    // What a webhook handler does: drop repeats, serialise per incident key, then write.
    const receive = async (replica: number, id: string) => {
      const c = fleet[replica]!;
      if (!(await c.dedupe.firstSeen(id, 3_600_000))) return;
      await c.lock.withLock(`incident-${Number(id.split("-").pop()) % 7}`, async () => {
        await new Promise((r) => setTimeout(r, 1));
        sideEffects.set(id, [...(sideEffects.get(id) ?? []), `replica-${replica}`]);
      });
    };
    await Promise.all(ids.flatMap((id) => [0, 1, 2].map((r) => receive(r, id))));
    expect([...sideEffects.keys()].sort()).toEqual([...ids].sort());
    expect([...sideEffects.values()].filter((who) => who.length !== 1)).toEqual([]);
  });

  it("answers true once per id, for repeats in a row and at once", async () => {
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) => fleet[i % 3]!.dedupe.firstSeen("delivery-b", 60_000)),
    );
    answers.push(await fleet[0]!.dedupe.firstSeen("delivery-b", 60_000));
    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  it("lets a forgotten delivery run again (processing failed, GitHub redelivers)", async () => {
    expect(await fleet[0]!.dedupe.firstSeen("delivery-c", 60_000)).toBe(true);
    expect(await fleet[1]!.dedupe.firstSeen("delivery-c", 60_000)).toBe(false);
    await fleet[2]!.dedupe.forget("delivery-c");
    expect(await fleet[1]!.dedupe.firstSeen("delivery-c", 60_000)).toBe(true);
  });

  it("forgets an id after its TTL", async () => {
    expect(await fleet[0]!.dedupe.firstSeen("delivery-d", 150)).toBe(true);
    expect(await fleet[1]!.dedupe.firstSeen("delivery-d", 150)).toBe(false);
    await new Promise((r) => setTimeout(r, 250));
    expect(await fleet[2]!.dedupe.firstSeen("delivery-d", 150)).toBe(true);
  });
});
