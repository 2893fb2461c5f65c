import { describe, expect, it } from "vitest";
import { createWriteQueue, rateLimitWait } from "../../../src/adapters/github/write-queue.js";
import { createMemoryWriteBudget } from "../../../src/adapters/memory/create-memory-write-budget.js";
import { createVirtualTime } from "../../../src/adapters/memory/create-virtual-time.js";
import { silentLogger } from "../../../src/workflows/ports/logger.js";

const NOW = Date.parse("2026-11-27T10:00:00Z");
const err = (status: number, headers: Record<string, string> = {}, message = "") => ({
  status,
  message,
  response: { headers },
});

describe("rateLimitWait", () => {
  it.each([
    [
      "retry-after wins",
      err(403, { "retry-after": "30", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "0" }),
      30_000,
    ],
    ["429 with retry-after", err(429, { "retry-after": "5" }), 5_000],
    [
      "primary limit spent: wait for the reset",
      err(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 120) }),
      120_000,
    ],
    [
      "secondary limit without headers: a minute",
      err(403, {}, "You have exceeded a secondary rate limit"),
      60_000,
    ],
    ["429 without headers: a minute", err(429), 60_000],
    ["a plain 403 is a permission problem", err(403, {}, "Resource not accessible by integration"), null],
    ["a 5xx is not a rate limit", err(502), null],
    ["not an HTTP error", new Error("boom"), null],
  ])("%s", (_name, e, expected) => {
    expect(rateLimitWait(e, NOW)).toBe(expected);
  });
});

describe("createWriteQueue", () => {
  it("pauses the scope after a secondary limit and retries once it passed", async () => {
    const vt = createVirtualTime(NOW);
    const budget = createMemoryWriteBudget({ clock: vt.clock, sleep: vt.sleep });
    const queue = createWriteQueue({
      budget,
      scope: "installation:1",
      clock: vt.clock,
      logger: silentLogger,
    });
    const attempts: number[] = [];
    const done = queue.run("create issue", async () => {
      attempts.push(vt.clock.now() - NOW);
      if (attempts.length === 1) throw err(403, { "retry-after": "45" }, "secondary rate limit");
      return "ok";
    });
    await vt.run(NOW + 120_000);
    expect(await done).toBe("ok");
    expect(attempts).toEqual([0, 45_000]);
  });

  it("does not retry other errors", async () => {
    const vt = createVirtualTime(NOW);
    const budget = createMemoryWriteBudget({ clock: vt.clock, sleep: vt.sleep });
    const queue = createWriteQueue({ budget, scope: "s", clock: vt.clock, logger: silentLogger });
    let calls = 0;
    await expect(
      queue.run("x", async () => {
        calls++;
        throw err(422, {}, "Validation Failed");
      }),
    ).rejects.toMatchObject({ status: 422 });
    expect(calls).toBe(1);
  });
});
