import type { Incident } from "../core/incident/incident.js";

/** What the runbook matcher found: a runbook id, or none and why. */
export type RunbookAnswer = { id: string } | { id: null; reason: string };

/** Where an incident issue lives. */
export interface IncidentIssueRef {
  repo: string;
  number: number;
  url: string;
}

/**
 * Extension points of the incident flow. The runbook matcher (`src/core/runbook/`) and the remediation
 * work plug in here; without hooks incidents are tracked and nothing else happens.
 */
export interface IncidentHooks {
  /**
   * The id of the approved runbook that matches the incident, or null — or `{ id: null, reason }` to say
   * why none did (shown in the issue body). Called before an issue is opened or reopened, with the
   * repository (`owner/name`) the issue lives in; the id becomes the `runbook:<id>` label. A throw is
   * logged and treated as no match.
   */
  matchRunbook?(incident: Incident, where: { repo: string }): Promise<string | null | RunbookAnswer>;
  /** After an issue was opened or reopened (diagnosis, remediation PR). A throw is logged only. */
  onOpened?(incident: Incident, issue: IncidentIssueRef): Promise<void>;
  /** After an incident resolved. A throw is logged only. */
  onResolved?(incident: Incident, issue: IncidentIssueRef): Promise<void>;
}
