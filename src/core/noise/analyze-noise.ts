import type { NoiseConfig } from "../config/sections/noise.js";
import type { Severity } from "../incident/incident.js";
import { parseDuration } from "../util/duration.js";
import type { Episode, IncidentHistory } from "./noise-history.js";

/** Per alert name: how it behaved in the analysed period. */
export interface AlertNoise {
  alertname: string;
  /** Highest severity seen. */
  severity: Severity | null;
  /** Firings (openings and reopenings) that started in the period. */
  fired: number;
  /** Firings that started within `flapWindow` after an earlier firing of the same incident key ended. */
  flapped: number;
  /** Firings that ended within `selfResolveWithin` with no action in between. */
  selfResolved: number;
  /** Incidents of this alert no remediation PR was opened for. */
  neverRemediated: number;
  /** Incidents of this alert. */
  incidents: number;
  /** Median duration of its ended firings, ms (null when none ended). */
  medianDurationMs: number | null;
  /** 90th percentile of the durations of its self-resolved firings, ms (null when none). */
  p90SelfResolvedMs: number | null;
  /** Share of firings that flapped or self-resolved (0–1). */
  noiseRatio: number;
  /** `fired >= minFirings` and `noiseRatio >= noisyRatio`. */
  noisy: boolean;
}

/** "When `source` fires, `target` fires too": an inhibition candidate. */
export interface AlertPair {
  source: string;
  target: string;
  /** Firings of `target` that started within `pairWindow` of a firing of `source`. */
  paired: number;
  /** Firings of `target`. */
  of: number;
  /** Label names both alerts share on every paired firing (the inhibit rule's `equal`). */
  equal: string[];
}

/** A change a person can ask for on the dashboard; the id is stable across runs (it names the checkbox). */
export type TuningProposal =
  | { id: string; kind: "raise-for"; alertname: string; for: string; stats: AlertNoise }
  | { id: string; kind: "lower-severity"; alertname: string; from: Severity; to: Severity; stats: AlertNoise }
  | { id: string; kind: "inhibit"; source: string; target: string; equal: string[]; pair: AlertPair };

export interface NoiseReport {
  /** Period analysed, epoch ms. */
  from: number;
  to: number;
  /** Every alert that fired in the period, noisiest first. */
  alerts: AlertNoise[];
  pairs: AlertPair[];
  proposals: TuningProposal[];
}

/** Labels of a firing, for pairing (the incident's target labels). */
export type FiringLabels = Record<string, string>;

export interface AnalyzeNoiseInput {
  incidents: readonly (IncidentHistory & { labels?: FiringLabels })[];
  config: NoiseConfig;
  /** End of the period (now); the period is `config.period` before it. */
  now: number;
}

const ORDER: Record<Severity, number> = { critical: 3, warning: 2, info: 1 };
const LOWER: Record<Severity, Severity | null> = { critical: "warning", warning: "info", info: null };
// Labels never used to tie two alerts together: they differ between alerts by design.
const NOT_EQUAL = new Set(["alertname", "severity", "prometheus", "alertstate", "__name__"]);

/**
 * Alert-noise statistics over incident histories, and the tuning proposals they justify:
 * 1. per incident key, order the firings and count flaps (a start within `flapWindow` of the previous end);
 * 2. per firing, self-resolved when it ended within `selfResolveWithin` and nobody acted in between;
 * 3. per alert name, totals, noise ratio and noisy flag (`minFirings`, `noisyRatio`);
 * 4. pairs: alert B accompanies alert A when ≥ `pairRatio` of B's firings start within `pairWindow` of an A firing;
 * 5. proposals: raise `for:` of a noisy alert past its typical self-resolving time, lower the severity of a noisy
 *    alert that was never remediated, inhibit the accompanying alert of a pair.
 */
export function analyzeNoise(input: AnalyzeNoiseInput): NoiseReport {
  const { config } = input;
  const period = parseDuration(config.period)!;
  const flapWindow = parseDuration(config.flapWindow)!;
  const selfWithin = parseDuration(config.selfResolveWithin)!;
  const pairWindow = parseDuration(config.pairWindow)!;
  const from = input.now - period;
  const to = input.now;
  const inPeriod = (e: Episode) => e.start >= from && e.start <= to;

  // 1. Flaps per incident key (a recurrence in a new issue counts like a reopen).
  const byKey = new Map<string, { ep: Episode; inc: IncidentHistory }[]>();
  for (const inc of input.incidents) {
    const list = byKey.get(inc.key) ?? [];
    for (const ep of inc.episodes) list.push({ ep, inc });
    byKey.set(inc.key, list);
  }
  const flapped = new Set<Episode>();
  for (const list of byKey.values()) {
    list.sort((a, b) => a.ep.start - b.ep.start);
    for (let i = 1; i < list.length; i++) {
      const prevEnd = list[i - 1]!.ep.end;
      const start = list[i]!.ep.start;
      if (prevEnd !== null && start >= prevEnd && start - prevEnd <= flapWindow) flapped.add(list[i]!.ep);
    }
  }

  // 2–3. Per alert name.
  interface Acc {
    severity: Severity | null;
    fired: number;
    flapped: number;
    selfResolved: number;
    /** Firings that flapped or resolved by themselves (each counted once). */
    noisy: number;
    selfDurations: number[];
    durations: number[];
    incidents: Set<number>;
    neverRemediated: Set<number>;
    firings: { start: number; labels: FiringLabels }[];
  }
  const acc = new Map<string, Acc>();
  for (const inc of input.incidents) {
    const eps = inc.episodes.filter(inPeriod);
    if (eps.length === 0) continue;
    let a = acc.get(inc.alertname);
    if (!a) {
      a = {
        severity: null,
        fired: 0,
        flapped: 0,
        selfResolved: 0,
        noisy: 0,
        selfDurations: [],
        durations: [],
        incidents: new Set(),
        neverRemediated: new Set(),
        firings: [],
      };
      acc.set(inc.alertname, a);
    }
    if (inc.severity && (a.severity === null || ORDER[inc.severity] > ORDER[a.severity]))
      a.severity = inc.severity;
    a.incidents.add(inc.number);
    if (!inc.remediated) a.neverRemediated.add(inc.number);
    for (const ep of eps) {
      a.fired += 1;
      a.firings.push({ start: ep.start, labels: inc.labels ?? {} });
      const flap = flapped.has(ep);
      if (flap) a.flapped += 1;
      let selfRes = false;
      if (ep.end !== null) {
        const d = ep.end - ep.start;
        a.durations.push(d);
        const acted = inc.actions.some((t) => t >= ep.start && t <= ep.end!);
        selfRes = d <= selfWithin && !acted;
        if (selfRes) {
          a.selfResolved += 1;
          a.selfDurations.push(d);
        }
      }
      if (flap || selfRes) a.noisy += 1;
    }
  }
  const alerts: AlertNoise[] = [];
  for (const [alertname, a] of acc) {
    // A firing that both flapped and resolved by itself counts once in the ratio.
    const noiseRatio = a.fired === 0 ? 0 : a.noisy / a.fired;
    alerts.push({
      alertname,
      severity: a.severity,
      fired: a.fired,
      flapped: a.flapped,
      selfResolved: a.selfResolved,
      neverRemediated: a.neverRemediated.size,
      incidents: a.incidents.size,
      medianDurationMs: quantile(a.durations, 0.5),
      p90SelfResolvedMs: quantile(a.selfDurations, 0.9),
      noiseRatio,
      noisy: a.fired >= config.minFirings && noiseRatio >= config.noisyRatio,
    });
  }
  alerts.sort(
    (x, y) => y.noiseRatio * y.fired - x.noiseRatio * x.fired || x.alertname.localeCompare(y.alertname),
  );

  // 4. Pairs.
  for (const a of acc.values()) a.firings.sort((x, y) => x.start - y.start);
  const pairs: AlertPair[] = [];
  const names = [...acc.keys()].sort();
  for (const target of names) {
    const t = acc.get(target)!;
    if (t.fired < config.minFirings) continue;
    for (const source of names) {
      if (source === target) continue;
      const s = acc.get(source)!;
      // Never let a less severe alert silence a more severe one.
      if (rank(s.severity) < rank(t.severity)) continue;
      let paired = 0;
      let equal: Set<string> | null = null;
      for (const f of t.firings) {
        const match = nearest(s.firings, f.start, pairWindow);
        if (!match) continue;
        paired += 1;
        const shared = Object.keys(f.labels).filter(
          (k) => !NOT_EQUAL.has(k) && match.labels[k] !== undefined && match.labels[k] === f.labels[k],
        );
        equal = equal === null ? new Set(shared) : new Set(shared.filter((k) => equal!.has(k)));
      }
      if (paired / t.fired < config.pairRatio) continue;
      // Mutual pairs: the more severe (then the one that fires less often) is the source, never both ways.
      const mutual =
        s.fired >= config.minFirings && pairsBack(s, t, pairWindow) / s.fired >= config.pairRatio;
      if (mutual && !isSource(source, s, target, t)) continue;
      pairs.push({ source, target, paired, of: t.fired, equal: [...(equal ?? [])].sort() });
    }
  }

  // 5. Proposals.
  const proposals: TuningProposal[] = [];
  const maxFor = parseDuration(config.maxFor)!;
  for (const a of alerts) {
    if (!a.noisy) continue;
    if (a.p90SelfResolvedMs !== null || a.flapped > 0) {
      const basis = Math.max(a.p90SelfResolvedMs ?? 0, a.flapped > 0 ? flapWindow / 4 : 0, 60_000);
      const forMs = Math.min(maxFor, roundUpMinutes(basis * 1.5));
      proposals.push({
        id: `for:${a.alertname}`,
        kind: "raise-for",
        alertname: a.alertname,
        for: formatPromDuration(forMs),
        stats: a,
      });
    }
    const lower = a.severity ? LOWER[a.severity] : null;
    if (config.proposeSeverity && a.severity && lower && a.neverRemediated === a.incidents) {
      proposals.push({
        id: `severity:${a.alertname}`,
        kind: "lower-severity",
        alertname: a.alertname,
        from: a.severity,
        to: lower,
        stats: a,
      });
    }
  }
  for (const p of pairs) {
    proposals.push({
      id: `inhibit:${p.source}:${p.target}`,
      kind: "inhibit",
      source: p.source,
      target: p.target,
      equal: p.equal,
      pair: p,
    });
  }
  return { from, to, alerts, pairs, proposals };
}

function pairsBack(
  s: { firings: { start: number }[] },
  t: { firings: { start: number }[] },
  window: number,
): number {
  return s.firings.filter((f) => nearest(t.firings, f.start, window) !== undefined).length;
}

/** A firing of `sorted` (by start) starting within `window` of `at`: a binary search, not a scan. */
function nearest<F extends { start: number }>(
  sorted: readonly F[],
  at: number,
  window: number,
): F | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.start < at - window) lo = mid + 1;
    else hi = mid;
  }
  const f = sorted[lo];
  return f && f.start <= at + window ? f : undefined;
}

function isSource(
  a: string,
  accA: { severity: Severity | null; fired: number },
  b: string,
  accB: { severity: Severity | null; fired: number },
): boolean {
  const sa = accA.severity ? ORDER[accA.severity] : 0;
  const sb = accB.severity ? ORDER[accB.severity] : 0;
  if (sa !== sb) return sa > sb;
  if (accA.fired !== accB.fired) return accA.fired < accB.fired;
  return a < b;
}

function rank(s: Severity | null): number {
  return s ? ORDER[s] : 0;
}

function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const idx = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, idx))]!;
}

function roundUpMinutes(ms: number): number {
  return Math.ceil(ms / 60_000) * 60_000;
}

/** Prometheus duration text for whole minutes (`90m` ⇒ `1h30m`). */
export function formatPromDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m}m`;
  return m === 0 ? `${h}h` : `${h}h${m}m`;
}
