import type { MedicConfig } from "../config/medic-config.js";
import type { Incident } from "../incident/incident.js";
import type { RepoFile } from "../manifest/types.js";
import { buildChange } from "../plan/build-change.js";
import { buildRequiredApprovals } from "../plan/build-required-approvals.js";
import { classifyPlanRisk } from "../plan/classify-plan-risk.js";
import type {
  EvidenceItem,
  PlannedImperativeStep,
  RemediationPlan,
  Suggestion,
} from "../plan/remediation-plan.js";
import { type ActionFailureKind, Workspace } from "./actions/action.js";
import { FILE_ACTION_FUNCTIONS } from "./actions/file-actions.js";
import type { BoundParameter } from "./bind-parameters.js";
import { expandPlaceholders } from "./bind-parameters.js";
import type { RegisteredRunbook } from "./build-runbook-registry.js";
import { checkRunLimits } from "./check-run-limits.js";
import type { PlanFacts } from "./plan-facts.js";
import { planImperativeStep } from "./plan-imperative-step.js";
import { isImperativeStep } from "./runbook.js";

export interface PlanRunbookInput {
  entry: RegisteredRunbook;
  incident: Incident;
  parameters: { values: Record<string, string>; bound: Record<string, BoundParameter> };
  /** Repository files at the base revision (the planner's whole view of the repository). */
  files: readonly RepoFile[];
  facts: PlanFacts;
  config: MedicConfig;
  baseRevision: string;
}

export type PlanFailureKind = ActionFailureKind | "cooldown" | "maxRunsPerTargetPerDay" | "no-change";

export type PlanRunbookResult =
  | { ok: true; plan: RemediationPlan }
  | {
      ok: false;
      kind: PlanFailureKind;
      /** The step that failed (runbook `steps.<i>`), when one did. */
      step?: string;
      message: string;
      candidates?: string[];
      /** What was learned before failing (shown so a person can act by hand). */
      evidence: EvidenceItem[];
    };

/**
 * Runs a matched runbook's steps in order over an in-memory copy of the repository and returns the
 * RemediationPlan, or the first failure. All or nothing: a failing step leaves no partial plan, so nothing
 * half-done can be committed.
 */
export function planRunbook(input: PlanRunbookInput): PlanRunbookResult {
  const { entry, facts, config } = input;
  const runbook = entry.runbook;
  const ws = new Workspace(input.files);
  const evidence: EvidenceItem[] = [];
  const suggestions: Suggestion[] = [];
  const flagged: string[] = [];
  const undo: string[] = [];
  const steps: PlannedImperativeStep[] = [];
  let target: string | undefined;

  for (const [name, p] of Object.entries(input.parameters.bound)) {
    evidence.push({ source: "parameter", label: name, detail: `${p.value} (from ${p.source})` });
  }

  for (const [i, step] of runbook.steps.entries()) {
    const expanded: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.with)) {
      expanded[k] = typeof v === "string" ? expandPlaceholders(v, input.parameters.values) : String(v);
    }
    if (isImperativeStep(step)) {
      const res = planImperativeStep(step, expanded, facts);
      if (!res.ok) return { ok: false, kind: "invalid", step: `steps.${i}`, message: res.reason, evidence };
      steps.push(res.step);
      for (const e of res.evidence) evidence.push({ source: "cluster", label: step.id, detail: e });
      flagged.push(...res.flagged);
      target ??= describeImperativeTarget(res.step);
      continue;
    }
    const fn = FILE_ACTION_FUNCTIONS[step.action];
    const res = fn({ runbook, step, input: expanded, files: ws, facts, config });
    if (!res.ok) {
      if (res.kind === "nothing-to-do" && step.optional) {
        evidence.push({ source: "repository", label: step.id, detail: `skipped: ${res.message}` });
        continue;
      }
      return {
        ok: false,
        kind: res.kind,
        step: `steps.${i}`,
        message: `step "${step.id}" (${step.action}): ${res.message}`,
        ...(res.candidates ? { candidates: res.candidates } : {}),
        evidence,
      };
    }
    target ??= res.target;
    evidence.push(...res.evidence);
    suggestions.push(...res.suggestions);
    flagged.push(...res.flagged);
    undo.push(...res.undo);
  }

  const planTarget = target ?? input.incident.key;
  const limit = checkRunLimits({
    runbookId: runbook.id,
    target: planTarget,
    limits: runbook.limits,
    previousRuns: facts.previousRuns,
    now: facts.now,
  });
  if (!limit.ok) return { ok: false, kind: limit.limit, message: limit.message, evidence };

  const changes = ws.edits().map(buildChange);
  if (changes.length === 0 && steps.length === 0) {
    return {
      ok: false,
      kind: "no-change",
      message: `runbook ${runbook.id} found nothing to change: the repository already has the remediated values`,
      evidence,
    };
  }
  const risk = classifyPlanRisk({ runbookId: runbook.id, declared: runbook.risk, changes, steps, flagged });
  const approvals = buildRequiredApprovals(risk, steps, config.approval.requiredApprovals);
  for (const s of steps) {
    if (s.action === "cordon")
      undo.push(`uncordon the node once healthy: kubectl uncordon ${s.target["node"]}`);
  }
  if (changes.length > 0) {
    undo.unshift(
      "revert the remediation pull request's merge commit (git revert -m 1 <merge sha>) and let Argo CD sync",
    );
  }
  return {
    ok: true,
    plan: {
      incidentKey: input.incident.key,
      runbook: {
        id: runbook.id,
        version: runbook.version,
        file: entry.file,
        origin: entry.origin,
        ...(entry.revision ? { revision: entry.revision } : {}),
      },
      target: planTarget,
      parameters: input.parameters.bound,
      changes,
      steps,
      risk,
      approvals,
      evidence,
      suggestions,
      undo,
      baseRevision: input.baseRevision,
    },
  };
}

function describeImperativeTarget(s: PlannedImperativeStep): string {
  if (s.target["node"]) return `Node ${s.target["node"]}`;
  return `${s.target["kind"] ?? "Deployment"} ${s.target["namespace"]}/${s.target["name"]}`;
}
