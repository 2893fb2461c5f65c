import type { IncidentFacts } from "./analyze-incident.js";
import type { DoraIncidentReport } from "./evidence-pack.js";

const HOUR = 3_600_000;

/**
 * A draft major-incident report in the structure of DORA (Regulation (EU) 2022/2554) Art. 19 and the RTS on
 * reporting (Delegated Regulation (EU) 2025/301): initial notification (Art. 2), intermediate report (Art. 3),
 * final report (Art. 4), with the classification criteria of Delegated Regulation (EU) 2024/1772 Art. 1–7.
 * It fills what the repository history shows and lists what only the reporting entity can complete.
 * Deadlines follow Art. 5 of 2025/301: initial within 4 h of classification and 24 h of detection,
 * intermediate within 72 h of the initial notification, final within one month of the intermediate report.
 */
export function buildDoraReport(
  i: IncidentFacts,
  ctx: {
    majorBasis: string;
    recurring: number[];
    rootCauseShas: string[];
    rootCauseFixedAt: number | null;
    labels: Record<string, string>;
  },
): DoraIncidentReport {
  const iso = (t: number) => new Date(t).toISOString();
  const durationMs = (i.resolvedAt ?? Number.NaN) - i.startedAt;
  const resolved = i.resolvedAt !== null && durationMs >= 0;
  const initialDue = Math.min(i.classifiedAt + 4 * HOUR, i.detectedAt + 24 * HOUR);
  const intermediateDue = initialDue + 72 * HOUR;
  const finalDue = resolved
    ? new Date(intermediateDue).setUTCMonth(new Date(intermediateDue).getUTCMonth() + 1)
    : null;
  const hours = (ms: number) => `${Math.round((ms / HOUR) * 10) / 10} h`;
  const infra = Object.entries(ctx.labels)
    .filter(([k]) => k !== "alertname" && k !== "severity")
    .map(([k, v]) => `${k}=${v}`);
  const actions = i.timeline
    .filter((t) => t.kind === "audit" || t.kind === "comment" || t.kind === "referenced")
    .map((t) => ({ at: t.at, text: t.actor ? `${t.actor}: ${t.text}` : t.text }));
  const toComplete = [
    "classification.clientsCounterpartsTransactions",
    "classification.reputationalImpact",
    "classification.geographicalSpread",
    "classification.dataLosses",
    "classification.criticalServicesAffected",
    "classification.economicImpact",
    "initial.memberStatesAffected",
    "initial.businessContinuityActivated",
    "intermediate.reportedToOtherAuthorities",
    "final.costsAndLosses",
  ];
  if (ctx.rootCauseShas.length === 0) toComplete.push("final.rootCauses");
  if (!resolved) toComplete.push("intermediate.recoveredAt", "final.resolvedAt");
  return {
    incident: i.number,
    key: i.key,
    classification: {
      basis: ctx.majorBasis,
      clientsCounterpartsTransactions: {
        met: null,
        detail: "number of clients, financial counterparts and transactions affected: to assess",
      },
      reputationalImpact: { met: null, detail: "media coverage, complaints, regulatory impact: to assess" },
      durationAndDowntime: resolved
        ? {
            met: durationMs > 24 * HOUR ? true : null,
            detail: `incident duration ${hours(durationMs)} (start ${iso(i.startedAt)} → resolved ${iso(i.resolvedAt!)}); threshold: longer than 24 h, or downtime of critical services longer than 2 h — assess downtime`,
          }
        : { met: null, detail: `open since ${iso(i.startedAt)}` },
      geographicalSpread: { met: null, detail: "Member States affected: to assess" },
      dataLosses: {
        met: null,
        detail: "availability, authenticity, integrity, confidentiality of data: to assess",
      },
      criticalServicesAffected: {
        met: null,
        detail: `affected: ${infra.join(", ") || "see incident"}; whether it supports critical or important functions: to assess`,
      },
      economicImpact: { met: null, detail: "direct and indirect costs: to assess" },
    },
    initial: {
      incidentReferenceCode: `${i.key}#${i.number}`,
      detectedAt: iso(i.detectedAt),
      classifiedAt: iso(i.classifiedAt),
      description: i.title,
      howDiscovered:
        i.startSource === "incident-state" || i.startSource === "audit-record"
          ? "monitoring alert (Alertmanager) turned into an incident issue by gitops-medic"
          : "incident issue opened by a person",
      origin:
        ctx.rootCauseShas.length > 0
          ? `change ${ctx.rootCauseShas.map((s) => s.slice(0, 12)).join(", ")}`
          : null,
      memberStatesAffected: null,
      businessContinuityActivated: null,
      dueBy: iso(initialDue),
    },
    intermediate: {
      occurredAt: iso(i.startedAt),
      recoveredAt: resolved ? iso(i.resolvedAt!) : null,
      incidentType:
        ctx.rootCauseShas.length > 0 ? "change-related (process failure)" : "operational (to refine)",
      affectedInfrastructure: infra,
      actionsTaken: actions,
      reportedToOtherAuthorities: null,
      dueBy: iso(intermediateDue),
    },
    final: {
      rootCauses: ctx.rootCauseShas.map((s) => `change ${s}`),
      resolvedAt: resolved ? iso(i.resolvedAt!) : null,
      rootCauseAddressedAt: ctx.rootCauseFixedAt !== null ? iso(ctx.rootCauseFixedAt) : null,
      resolution: resolved
        ? `resolved after ${hours(durationMs)}${i.reopened > 0 ? `, reopened ${i.reopened}×` : ""}; see actions taken`
        : "not resolved yet",
      costsAndLosses: null,
      recurringIncidents: ctx.recurring,
      dueBy: finalDue === null ? null : iso(finalDue),
    },
    toComplete,
  };
}
