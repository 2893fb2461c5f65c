/** The times of one incident the metrics need (ms since the epoch). */
export interface IncidentTimes {
  number: number;
  startedAt: number;
  detectedAt: number;
  resolvedAt: number | null;
  /** When the change named as its root cause was deployed (Four Keys starts the clock there when earlier). */
  rootCauseDeployedAt?: number | null;
}

/** One incident's measured durations; a null duration is excluded from the medians, and `notes` say why. */
export interface IncidentMeasure {
  number: number;
  /** Whether the incident was detected inside [since, until) and so counts in the range's metrics. */
  inRange: boolean;
  /** Time to detect: impact start → incident issue opened. */
  mttdMs: number | null;
  /** Time to resolve: impact start → resolved. */
  mttrMs: number | null;
  /** DORA time to restore (Four Keys): min(impact start, root-cause deployment) → resolved. */
  timeToRestoreMs: number | null;
  notes: string[];
}

/**
 * Measures one incident against a range. Open incidents (or ones resolved at/after `until`) have no MTTR;
 * times that run backwards (clock skew between Alertmanager, the cluster and GitHub) are excluded with a
 * note, never reported as negative durations.
 */
export function measureIncident(i: IncidentTimes, since: number, until: number): IncidentMeasure {
  const notes: string[] = [];
  const inRange = i.detectedAt >= since && i.detectedAt < until;
  let mttdMs: number | null = i.detectedAt - i.startedAt;
  if (mttdMs < 0) {
    notes.push("detected before its recorded start (clock skew?): MTTD excluded");
    mttdMs = null;
  }
  let mttrMs: number | null = null;
  let timeToRestoreMs: number | null = null;
  if (i.resolvedAt === null) {
    notes.push("open at the end of the range: no MTTR");
  } else if (i.resolvedAt >= until) {
    notes.push("resolved after the end of the range: no MTTR in this range");
  } else if (i.resolvedAt < i.startedAt) {
    notes.push("resolved before its recorded start (clock skew?): MTTR excluded");
  } else {
    mttrMs = i.resolvedAt - i.startedAt;
    const from =
      i.rootCauseDeployedAt != null && i.rootCauseDeployedAt < i.startedAt
        ? i.rootCauseDeployedAt
        : i.startedAt;
    timeToRestoreMs = i.resolvedAt - from;
  }
  return { number: i.number, inRange, mttdMs, mttrMs, timeToRestoreMs, notes };
}
