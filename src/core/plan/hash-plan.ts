import type { RemediationPlan } from "./remediation-plan.js";
import { sha256Hex } from "./sha256-hex.js";

/**
 * A stable hash of what the plan would do: runbook, target, file changes and imperative steps, with keys
 * sorted. Evidence wording and suggestions are left out so that rewording a message does not make an
 * unchanged remediation look new; the PR marker carries this hash to detect a changed plan.
 */
export function hashPlan(plan: RemediationPlan): string {
  const normalised = {
    incidentKey: plan.incidentKey,
    runbook: { id: plan.runbook.id, version: plan.runbook.version },
    target: plan.target,
    changes: [...plan.changes]
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((c) => ({ path: c.path, before: c.before, after: c.after })),
    steps: plan.steps.map((s) => ({ id: s.id, action: s.action, target: s.target })),
    risk: plan.risk.level,
  };
  return sha256Hex(stableStringify(normalised));
}

/** JSON with object keys sorted at every level. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}
