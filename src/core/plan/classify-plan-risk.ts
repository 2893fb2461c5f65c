import type { RiskLevel } from "../runbook/runbook.js";
import type { Change, PlannedImperativeStep, PlanRisk } from "./remediation-plan.js";

/** Files that hold the bot's own guardrails: changing them is destructive whatever the change. */
const GUARDRAIL_PATHS = [
  /^\.github\/medic\.ya?ml$/,
  /^\.github\/medic\//,
  /^(\.github\/|docs\/)?CODEOWNERS$/,
  /^policies\//,
  /^runbooks\//,
];

/**
 * The plan's risk: never lower than the runbook's declared risk, any destructive step, or a change that an
 * action flagged (e.g. replicas dropping). Every reason is listed so reviewers see why, not just a verdict.
 */
export function classifyPlanRisk(input: {
  runbookId: string;
  declared: RiskLevel;
  changes: readonly Change[];
  steps: readonly PlannedImperativeStep[];
  /** Reasons raised by actions while computing changes (each makes the plan destructive). */
  flagged: readonly string[];
}): PlanRisk {
  const reasons: string[] = [];
  if (input.declared === "destructive") reasons.push(`runbook ${input.runbookId} is declared destructive`);
  for (const s of input.steps) {
    if (s.risk === "destructive")
      reasons.push(`imperative step "${s.id}" (${s.action}) is destructive: ${s.description}`);
  }
  for (const c of input.changes) {
    if (GUARDRAIL_PATHS.some((re) => re.test(c.path))) {
      reasons.push(`${c.path} holds the bot's own guardrails (config, runbooks, policies or CODEOWNERS)`);
    }
    if (c.before !== null && c.after.trim() === "") reasons.push(`${c.path} would be emptied`);
  }
  reasons.push(...input.flagged);
  if (reasons.length > 0) return { level: "destructive", reasons };
  const what = input.changes.length > 0 ? `${input.changes.length} file change(s)` : "no file changes";
  const imperative = input.steps.length > 0 ? ` and ${input.steps.length} safe imperative step(s)` : "";
  return {
    level: "safe",
    reasons: [
      `${what}${imperative}; no step or change is destructive (runbook ${input.runbookId} is declared safe)`,
    ],
  };
}
