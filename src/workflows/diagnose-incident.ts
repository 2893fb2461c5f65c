import type { MedicConfig } from "../core/config/medic-config.js";
import { renderDiagnosis } from "../core/diagnosis/render-diagnosis.js";
import type { Incident } from "../core/incident/incident.js";
import { gatherFacts } from "./plan-remediation.js";
import type { Clock } from "./ports/clock.js";
import type { Cluster } from "./ports/cluster.js";
import type { IncidentTracker } from "./ports/incident-tracker.js";
import type { Logger } from "./ports/logger.js";

export interface DiagnoseIncidentDeps {
  /** Null when no cluster is configured: the comment says so. */
  cluster: Cluster | null;
  tracker: IncidentTracker;
  config: MedicConfig;
  /** `templates/diagnosis-comment.md`. */
  template: string;
  clock: Clock;
  logger: Logger;
}

/**
 * `/diagnose`: read-only facts about the incident's target, gathered the way planning gathers them
 * (an unreachable cluster, a 403 or a 429 become a note, never a guess), posted as one marked comment.
 */
export async function diagnoseIncident(
  deps: DiagnoseIncidentDeps,
  input: { incident: Incident; issueNumber: number },
): Promise<{ posted: true; markerId: string; clusterKnown: boolean }> {
  const facts = await gatherFacts(input.incident, deps.config, deps, deps.clock.now());
  const { body, markerId } = renderDiagnosis(facts, {
    incidentKey: input.incident.key,
    cluster: deps.cluster?.name ?? "none",
    template: deps.template,
  });
  await deps.tracker.comment(input.issueNumber, body, markerId);
  return { posted: true, markerId, clusterKnown: facts.clusterKnown };
}
