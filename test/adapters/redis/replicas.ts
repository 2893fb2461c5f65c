import {
  createRedisCoordination,
  type RedisCoordination,
  type RedisCoordinationOptions,
} from "../../../src/adapters/redis/create-redis-coordination.js";
import type { Logger } from "../../../src/workflows/ports/logger.js";

/** A logger that keeps what it was told, to assert on outages and recoveries. */
export function recordingLogger(): Logger & { entries: { level: string; msg: string; obj: object }[] } {
  const entries: { level: string; msg: string; obj: object }[] = [];
  const at = (level: string) => (obj: object, msg: string) => {
    entries.push({ level, msg, obj });
  };
  return { entries, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** `n` coordination instances, each with its own Redis connection: `n` replicas in one process. */
export function replicas(
  url: string,
  n: number,
  opts: RedisCoordinationOptions & { keyPrefix: string },
  logger: Logger = recordingLogger(),
): RedisCoordination[] {
  return Array.from({ length: n }, () => createRedisCoordination(url, logger, opts));
}

/** Waits until every replica's Redis answers. */
export async function allHealthy(list: RedisCoordination[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(list.map((c) => c.isHealthy()));
    if (states.every(Boolean)) return;
    if (Date.now() > deadline)
      throw new Error(`replicas not healthy after ${timeoutMs} ms: ${states.join(",")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
