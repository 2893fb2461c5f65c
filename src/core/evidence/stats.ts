const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** Median of the values (mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  return percentile(values, 0.5);
}

/** Linear-interpolated percentile (q in 0..1), the same method as BigQuery's PERCENTILE_CONT used by Four Keys. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

/** Start (ms) of the ISO week (Monday 00:00 UTC) that holds `t`. */
export function weekStart(t: number): number {
  const day = Math.floor(t / DAY_MS);
  // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays.
  return (day - ((day + 3) % 7)) * DAY_MS;
}

/** The week starts covering [since, until). */
export function weeksBetween(since: number, until: number): number[] {
  const out: number[] = [];
  for (let w = weekStart(since); w < until; w += WEEK_MS) out.push(w);
  return out;
}

export function toIso(t: number): string {
  return new Date(t).toISOString();
}
