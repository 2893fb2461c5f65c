import { appendAuditBlock } from "../core/audit/append-audit-block.js";
import type { MedicConfig } from "../core/config/medic-config.js";
import { renderDiagnosis } from "../core/diagnosis/render-diagnosis.js";
import type { Incident } from "../core/incident/incident.js";
import { gatherFacts } from "./plan-remediation.js";
import type { AuditEntry, AuditSink } from "./ports/audit-sink.js";
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
  /** Where the `incident.diagnosed` record goes besides the comment's block; absent ⇒ the block only. */
  audit?: AuditSink;
}

/**
 * `/diagnose`: read-only facts about the incident's target, gathered the way planning gathers them
 * (an unreachable cluster, a 403 or a 429 become a note, never a guess), posted as one marked comment.
 */
export async function diagnoseIncident(
  deps: DiagnoseIncidentDeps,
  input: {
    incident: Incident;
    issueNumber: number;
    /** `owner/name` of the incident's repository. */
    repo: string;
    /** Who asked (`/diagnose`). */
    actor: string;
  },
): Promise<{ posted: true; markerId: string; clusterKnown: boolean }> {
  const facts = await gatherFacts(input.incident, deps.config, deps, deps.clock.now());
  const { body, markerId } = renderDiagnosis(facts, {
    incidentKey: input.incident.key,
    cluster: deps.cluster?.name ?? "none",
    template: deps.template,
  });
  // Evidence of what the bot read and when: the facts are a snapshot, and decisions were taken on them.
  const record: AuditEntry = {
    v: 1,
    at: new Date(deps.clock.now()).toISOString(),
    actor: { kind: "user", login: input.actor },
    action: "incident.diagnosed",
    reason: "/diagnose",
    incidentKey: input.incident.key,
    subject: { kind: "issue", repo: input.repo, number: input.issueNumber },
    inputs: { cluster: deps.cluster?.name ?? "none", clusterKnown: facts.clusterKnown },
    outcome: {
      status: "ok",
      detail: facts.clusterKnown ? "cluster facts posted" : "posted without cluster facts (unavailable)",
    },
  };
  await deps.tracker.comment(input.issueNumber, appendAuditBlock(body, record), markerId);
  deps.audit?.record(record);
  return { posted: true, markerId, clusterKnown: facts.clusterKnown };
}
