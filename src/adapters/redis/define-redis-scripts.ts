import type { Redis } from "ioredis";

// Every script is safe to run twice with the same arguments: ioredis resends a command whose reply was
// lost in a reconnect, so a second run must not count a write twice, drop a delivery or lose a lock.

// Milliseconds: the caller's clock when ARGV carries one, else Redis' own (one clock for all replicas).
const NOW = `
local function now_ms(arg)
  local n = tonumber(arg)
  if n then return n end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/** KEYS: lock. ARGV: token, ttl ms. 1 when the caller holds the lock now. */
const LOCK_ACQUIRE = `
local cur = redis.call('GET', KEYS[1])
if cur == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

/** KEYS: lock. ARGV: token, ttl ms. 1 when still held and extended; 0 when lost. */
const LOCK_EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

/** KEYS: lock. ARGV: token. Deletes only the caller's own lock (never one that expired and moved on). */
const LOCK_RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/** KEYS: delivery. ARGV: token, ttl ms. 1 the first time (or a resend of that first call). */
const DEDUPE_FIRST_SEEN = `
local cur = redis.call('GET', KEYS[1])
if cur == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if cur == ARGV[1] then return 1 end
return 0
`;

/**
 * KEYS: minute window, hour window, pause. ARGV: now|"", request id, then limit and window ms per
 * window (two pairs). Returns 0 when the write is granted (and counted in both windows), else the
 * milliseconds to wait before asking again. A window holds the grants of the last N ms, inclusive
 * at both ends, so no closed interval of N ms ever holds more than the limit.
 */
const BUDGET_ACQUIRE = `${NOW}
local now = now_ms(ARGV[1])
local pause = tonumber(redis.call('GET', KEYS[3]) or '0')
if pause > now then return pause - now end
if redis.call('ZSCORE', KEYS[2], ARGV[2]) then return 0 end
local wait = 0
for i = 1, 2 do
  local key = KEYS[i]
  local limit = tonumber(ARGV[1 + 2 * i])
  local window = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (now - window))
  if redis.call('ZCARD', key) >= limit then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    local w = tonumber(oldest[2]) + window - now + 1
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
for i = 1, 2 do
  redis.call('ZADD', KEYS[i], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2 + 2 * i]) + 1000)
end
return 0
`;

/** KEYS: pause. ARGV: until ms, now|"". Moves the pause later, never earlier. */
const BUDGET_PAUSE = `${NOW}
local now = now_ms(ARGV[2])
local until_ms = tonumber(ARGV[1])
if until_ms <= now then return 0 end
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ms > cur then
  redis.call('SET', KEYS[1], until_ms, 'PX', until_ms - now)
end
return 1
`;

/** An ioredis client with the coordination scripts as commands (EVALSHA, loaded on first use). */
export type MedicRedis = Redis & {
  medicLockAcquire(key: string, token: string, ttlMs: number): Promise<number>;
  medicLockExtend(key: string, token: string, ttlMs: number): Promise<number>;
  medicLockRelease(key: string, token: string): Promise<number>;
  medicDedupeFirstSeen(key: string, token: string, ttlMs: number): Promise<number>;
  medicBudgetAcquire(
    minuteKey: string,
    hourKey: string,
    pauseKey: string,
    now: string,
    id: string,
    limit1: number,
    window1: number,
    limit2: number,
    window2: number,
  ): Promise<number>;
  medicBudgetPause(pauseKey: string, untilMs: number, now: string): Promise<number>;
};

/** Registers the scripts on `redis` (idempotent per client). */
export function defineRedisScripts(redis: Redis): MedicRedis {
  const r = redis as MedicRedis;
  if (typeof r.medicLockAcquire === "function") return r;
  redis.defineCommand("medicLockAcquire", { numberOfKeys: 1, lua: LOCK_ACQUIRE });
  redis.defineCommand("medicLockExtend", { numberOfKeys: 1, lua: LOCK_EXTEND });
  redis.defineCommand("medicLockRelease", { numberOfKeys: 1, lua: LOCK_RELEASE });
  redis.defineCommand("medicDedupeFirstSeen", { numberOfKeys: 1, lua: DEDUPE_FIRST_SEEN });
  redis.defineCommand("medicBudgetAcquire", { numberOfKeys: 3, lua: BUDGET_ACQUIRE });
  redis.defineCommand("medicBudgetPause", { numberOfKeys: 1, lua: BUDGET_PAUSE });
  return r;
}
