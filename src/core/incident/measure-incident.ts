import type { Incident } from "./incident.js";

export interface IncidentMetrics {
  /** Mean time to detect, for this incident: alert start → issue opened (ms), when known. */
  mttdMs: number | null;
  /** Mean time to resolve, for this incident: alert start → resolved (ms), when resolved. */
  mttrMs: number | null;
}

/** MTTD and MTTR of one incident episode; negative spans (clock skew) count as zero. */
export function measureIncident(inc: Incident): IncidentMetrics {
  const start = Date.parse(inc.startsAt);
  const span = (end: string | undefined) => {
    if (!end || Number.isNaN(start)) return null;
    const t = Date.parse(end);
    return Number.isNaN(t) ? null : Math.max(0, t - start);
  };
  return { mttdMs: span(inc.openedAt), mttrMs: inc.status === "resolved" ? span(inc.resolvedAt) : null };
}
