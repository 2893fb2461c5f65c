import type { MedicConfig } from "../core/config/medic-config.js";
import type { Incident } from "../core/incident/incident.js";
import type { RunbookRegistry } from "../core/runbook/build-runbook-registry.js";
import type { ObservedDecision } from "../core/runbook/runbook-test-case.js";
import { buildIncidentsFromAlert } from "./build-incidents-from-alert.js";
import {
  type PlanRemediationDeps,
  type PlanRemediationOutcome,
  planRemediation,
} from "./plan-remediation.js";

/** One incident of the alert and what the runbook engine made of it. */
export interface SimulationResult {
  incident: Incident;
  /** `resolved` incidents are not planned: there is nothing left to heal. */
  outcome: PlanRemediationOutcome | { status: "resolved"; reason: string };
}

export type SimulateAlertResult =
  | { ok: true; results: SimulationResult[] }
  | { ok: false; field: string; message: string };

/**
 * The whole decision path offline for one Alertmanager notification: incidents, then for each firing
 * incident the runbook, parameters, file changes, risk and approvals — the same core the bot runs.
 */
export async function simulateAlert(
  input: { payload: unknown; registry: RunbookRegistry; config: MedicConfig; runbook?: string },
  deps: PlanRemediationDeps,
): Promise<SimulateAlertResult> {
  const built = buildIncidentsFromAlert(input.payload, input.config.incidents, deps.clock.now());
  if (!built.ok) return built;
  const results: SimulationResult[] = [];
  for (const incident of built.incidents) {
    if (incident.status === "resolved") {
      results.push({
        incident,
        outcome: {
          status: "resolved",
          reason: "every alert of the incident has resolved; nothing to remediate",
        },
      });
      continue;
    }
    const outcome = await planRemediation(
      {
        incident,
        registry: input.registry,
        config: input.config,
        ...(input.runbook ? { runbook: input.runbook } : {}),
      },
      deps,
    );
    results.push({ incident, outcome });
  }
  return { ok: true, results };
}

/**
 * The documented JSON object of one result (docs/runbooks.md, "simulate --format json"). Fields are always
 * present; those without a value are `null` or empty so consumers need no existence checks.
 */
export function simulationResultJson(r: SimulationResult): Record<string, unknown> {
  const o = r.outcome;
  const plan = o.status === "planned" ? o.plan : null;
  return {
    incident: {
      key: r.incident.key,
      title: r.incident.title,
      severity: r.incident.severity,
      status: r.incident.status,
      labels: r.incident.labels,
      signals: r.incident.signals.map((s) => ({
        name: s.name,
        status: s.status,
        labels: s.labels,
        startsAt: s.startsAt,
        fingerprint: s.fingerprint,
      })),
    },
    status: o.status,
    runbook: plan
      ? {
          id: plan.runbook.id,
          version: plan.runbook.version,
          file: plan.runbook.file,
          origin: plan.runbook.origin,
        }
      : o.status === "failed"
        ? { id: o.runbook.id, version: o.runbook.version }
        : null,
    reason:
      o.status === "planned"
        ? `runbook ${o.plan.runbook.id} ${o.plan.runbook.version} planned ${o.plan.changes.length} change(s) and ${o.plan.steps.length} imperative step(s) for ${o.plan.target}`
        : o.reason,
    failure:
      o.status === "failed"
        ? { kind: o.kind, field: o.field ?? null, candidates: o.candidates ?? [] }
        : o.status === "no-runbook"
          ? {
              kind: "no-runbook",
              field: null,
              candidates: o.candidates.map((c) => ({ id: c.id, version: c.version, failures: c.failures })),
            }
          : null,
    target: plan?.target ?? null,
    parameters: plan?.parameters ?? {},
    changes: (plan?.changes ?? []).map((c) => ({
      path: c.path,
      before: c.before,
      after: c.after,
      diff: c.diff,
      step: c.step,
      summary: c.summary,
    })),
    steps: plan?.steps ?? [],
    risk: plan?.risk ?? null,
    approvals: plan?.approvals ?? null,
    evidence: plan?.evidence ?? (o.status === "failed" ? o.evidence : []),
    suggestions: plan?.suggestions ?? [],
    undo: plan?.undo ?? [],
    planHash: o.status === "planned" ? o.planHash : null,
    cluster: "facts" in o ? o.facts : null,
    baseRevision: plan?.baseRevision ?? null,
  };
}

/** A result in the terms of runbook test expectations and demo scenarios. */
export function observeDecision(r: SimulationResult): ObservedDecision {
  const o = r.outcome;
  switch (o.status) {
    case "planned":
      return {
        status: "planned",
        runbook: o.plan.runbook.id,
        risk: o.plan.risk.level,
        reason: `planned ${o.plan.changes.length} change(s) for ${o.plan.target}`,
        changes: o.plan.changes.map((c) => ({ path: c.path, before: c.before, diff: c.diff })),
        steps: o.plan.steps.map((s) => s.action),
        securityApproval: o.plan.approvals.securityApproval,
      };
    case "failed":
      return {
        status: "failed",
        runbook: o.runbook.id,
        kind: o.kind,
        ...(o.field ? { field: o.field } : {}),
        reason: o.reason,
        changes: [],
        steps: [],
      };
    case "no-runbook":
      return { status: "no-runbook", reason: o.reason, changes: [], steps: [] };
    case "resolved":
      return { status: "resolved", reason: o.reason, changes: [], steps: [] };
  }
}
