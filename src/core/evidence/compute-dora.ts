import type { IncidentMeasure } from "./measure-incident.js";
import { median, percentile, WEEK_MS, weeksBetween } from "./stats.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A deployment to production, as the DORA keys see it. */
export interface DeploymentSample {
  /** When it reached production. */
  at: number;
  /** Whether it caused a failure needing remediation (incident root cause, revert, failed status). */
  failed: boolean;
  /** Lead time of each change it shipped (first commit → deployed); negative ones are already dropped. */
  leadTimesMs: number[];
}

export type FrequencyBucket = "daily" | "weekly" | "monthly" | "yearly";
export type DurationBucket =
  | "less than one day"
  | "one day to one week"
  | "one week to one month"
  | "one to six months"
  | "more than six months";
export type FailureBucket = "0-15%" | "16-45%" | "46-100%";

export interface WeeklyPoint {
  /** Monday 00:00 UTC. */
  weekStart: number;
  deployments: number;
  failedDeployments: number;
  /** failed / deployments, null when no deployments. */
  changeFailureRate: number | null;
  leadTimeMedianMs: number | null;
  /** Incidents detected that week. */
  incidents: number;
  mttdMedianMs: number | null;
  mttrMedianMs: number | null;
  timeToRestoreMedianMs: number | null;
}

export interface DoraMetrics {
  deploymentFrequency: {
    deployments: number;
    days: number;
    perDay: number;
    perWeek: number;
    bucket: FrequencyBucket | null;
  };
  leadTime: { changes: number; medianMs: number | null; p90Ms: number | null; bucket: DurationBucket | null };
  changeFailureRate: {
    deployments: number;
    failed: number;
    rate: number | null;
    bucket: FailureBucket | null;
  };
  timeToRestore: { incidents: number; medianMs: number | null; bucket: DurationBucket | null };
  weekly: WeeklyPoint[];
}

/** Four Keys' buckets for lead time and time to restore (median below one day, week, month, six months). */
export function durationBucket(ms: number | null): DurationBucket | null {
  if (ms === null) return null;
  if (ms < DAY) return "less than one day";
  if (ms < 7 * DAY) return "one day to one week";
  if (ms < 730 * HOUR) return "one week to one month";
  if (ms < 6 * 730 * HOUR) return "one to six months";
  return "more than six months";
}

export function failureBucket(rate: number | null): FailureBucket | null {
  if (rate === null) return null;
  return rate <= 0.15 ? "0-15%" : rate <= 0.45 ? "16-45%" : "46-100%";
}

/**
 * Four Keys' deployment-frequency bucket over the range: daily when the median week has deployments on at
 * least 3 days, weekly when most weeks have one, monthly when most months have one, else yearly.
 */
export function frequencyBucket(
  deployTimes: readonly number[],
  since: number,
  until: number,
): FrequencyBucket | null {
  if (deployTimes.length === 0) return null;
  const weeks = weeksBetween(since, until);
  const daysPerWeek = weeks.map(
    (w) => new Set(deployTimes.filter((t) => t >= w && t < w + WEEK_MS).map((t) => Math.floor(t / DAY))).size,
  );
  if ((median(daysPerWeek) ?? 0) >= 3) return "daily";
  if ((median(daysPerWeek.map((d) => (d > 0 ? 1 : 0))) ?? 0) >= 1) return "weekly";
  const months = new Map<string, number>();
  for (let t = since; t < until; t += DAY) months.set(new Date(t).toISOString().slice(0, 7), 0);
  for (const t of deployTimes) {
    const k = new Date(t).toISOString().slice(0, 7);
    if (months.has(k)) months.set(k, (months.get(k) ?? 0) + 1);
  }
  if ((median([...months.values()]) ?? 0) >= 1) return "monthly";
  return "yearly";
}

/**
 * The four keys over [since, until): deployment frequency, lead time for changes (median), change failure
 * rate (failed deployments / deployments) and time to restore (median over incidents detected in the range
 * and resolved before its end). Samples outside the range are ignored.
 */
export function computeDora(input: {
  deployments: readonly DeploymentSample[];
  incidents: readonly IncidentMeasure[];
  /** Detection time of each incident, by number (for the weekly series). */
  detectedAt: ReadonlyMap<number, number>;
  since: number;
  until: number;
}): DoraMetrics {
  const { since, until } = input;
  const deps = input.deployments.filter((d) => d.at >= since && d.at < until);
  const incidents = input.incidents.filter((i) => i.inRange);
  const days = (until - since) / DAY;
  const leadTimes = deps.flatMap((d) => d.leadTimesMs);
  const failed = deps.filter((d) => d.failed).length;
  const rate = deps.length > 0 ? failed / deps.length : null;
  const restores = incidents.map((i) => i.timeToRestoreMs).filter((v): v is number => v !== null);
  const restoreMedian = median(restores);
  const leadMedian = median(leadTimes);

  const weekly = weeksBetween(since, until).map((w): WeeklyPoint => {
    const inWeek = (t: number) => t >= w && t < w + WEEK_MS && t >= since && t < until;
    const wd = deps.filter((d) => inWeek(d.at));
    const wi = incidents.filter((i) => inWeek(input.detectedAt.get(i.number) ?? Number.NaN));
    const wf = wd.filter((d) => d.failed).length;
    const nn = (xs: (number | null)[]) => median(xs.filter((v): v is number => v !== null));
    return {
      weekStart: w,
      deployments: wd.length,
      failedDeployments: wf,
      changeFailureRate: wd.length > 0 ? wf / wd.length : null,
      leadTimeMedianMs: median(wd.flatMap((d) => d.leadTimesMs)),
      incidents: wi.length,
      mttdMedianMs: nn(wi.map((i) => i.mttdMs)),
      mttrMedianMs: nn(wi.map((i) => i.mttrMs)),
      timeToRestoreMedianMs: nn(wi.map((i) => i.timeToRestoreMs)),
    };
  });

  return {
    deploymentFrequency: {
      deployments: deps.length,
      days,
      perDay: days > 0 ? deps.length / days : 0,
      perWeek: days > 0 ? (deps.length / days) * 7 : 0,
      bucket: frequencyBucket(
        deps.map((d) => d.at),
        since,
        until,
      ),
    },
    leadTime: {
      changes: leadTimes.length,
      medianMs: leadMedian,
      p90Ms: percentile(leadTimes, 0.9),
      bucket: durationBucket(leadMedian),
    },
    changeFailureRate: { deployments: deps.length, failed, rate, bucket: failureBucket(rate) },
    timeToRestore: {
      incidents: restores.length,
      medianMs: restoreMedian,
      bucket: durationBucket(restoreMedian),
    },
    weekly,
  };
}
