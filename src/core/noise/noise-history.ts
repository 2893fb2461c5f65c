import type { Severity } from "../incident/incident.js";

/** One firing of an incident: from its opening (or reopening) to its resolution, in epoch milliseconds. */
export interface Episode {
  start: number;
  /** Null while still firing. */
  end: number | null;
}

/**
 * What the noise analysis needs to know about one incident issue. Built from a recorded export
 * (`buildNoiseHistory`) or from the live issues list; the analysis never sees GitHub.
 */
export interface IncidentHistory {
  number: number;
  /** Incident key (episodes of issues with the same key follow one another). */
  key: string;
  /** The alert name (`alertname` label of the incident's root signal). */
  alertname: string;
  severity: Severity | null;
  /** The opening and every reopening, oldest first. */
  episodes: Episode[];
  /** Times a person or a remediation acted on the incident (comments, commands, linked PRs). */
  actions: number[];
  /** Whether a remediation PR was ever opened for the incident. */
  remediated: boolean;
}
