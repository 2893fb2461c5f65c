const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const DURATION = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * A Go `time.ParseDuration` text (`1h30m`, `300ms`, `0`) in milliseconds, or `undefined`. Kyverno compares
 * durations this way; a bare number other than `0` is not a duration (Go requires a unit).
 */
export function parseGoDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === "0" || t === "+0" || t === "-0") return 0;
  if (!DURATION.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(PART)) total += Number(m[1]) * (UNIT_MS[m[2] ?? ""] ?? 0);
  return t.startsWith("-") ? -total : total;
}
