import { formatDuration } from "../util/duration.js";
import type { AlertNoise, TuningProposal } from "./analyze-noise.js";

/** One plain-text line naming what a tuning proposal changes (the caller escapes it for Markdown). */
export function describeProposal(p: TuningProposal): string {
  switch (p.kind) {
    case "raise-for":
      return `raise for: of ${p.alertname} to ${p.for}`;
    case "lower-severity":
      return `lower severity of ${p.alertname} from ${p.from} to ${p.to}`;
    case "inhibit":
      return `inhibit ${p.target} while ${p.source} fires${p.equal.length ? ` (equal: ${p.equal.join(", ")})` : ""}`;
  }
}

/** The statistics behind a proposal, one plain-text line. */
export function describeStats(p: TuningProposal): string {
  if (p.kind === "inhibit")
    return `${p.pair.paired} of ${p.pair.of} firings of ${p.target} started within the pair window of ${p.source}`;
  return describeAlertNoise(p.stats);
}

/** `fired 12×, flapped 4, self-resolved 7, never remediated 5/5 incidents, median 3m`. */
export function describeAlertNoise(a: AlertNoise): string {
  const parts = [
    `fired ${a.fired}×`,
    `flapped ${a.flapped}`,
    `self-resolved ${a.selfResolved}`,
    `never remediated ${a.neverRemediated}/${a.incidents} incidents`,
  ];
  if (a.medianDurationMs !== null) parts.push(`median firing ${formatDuration(a.medianDurationMs)}`);
  parts.push(`noise ${Math.round(a.noiseRatio * 100)}%`);
  return parts.join(", ");
}
