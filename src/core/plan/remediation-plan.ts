import type { RiskLevel } from "../runbook/runbook.js";

/** One file edit of a plan. `before` is null for a new file. */
export interface Change {
  /** POSIX path relative to the repository root. */
  path: string;
  before: string | null;
  after: string;
  /** Unified diff (`diff`'s `createTwoFilesPatch`, `a/` and `b/` prefixes). */
  diff: string;
  /** Step that made the change. */
  step: string;
  /** One line: what changed and why (e.g. `image checkout 1.4.2 → 1.4.1`). */
  summary: string;
}

/** A cluster operation the plan asks for; it runs only after the approval gate is satisfied. */
export interface PlannedImperativeStep {
  /** Runbook step id. */
  id: string;
  /** `cordon`, `drain`, `rollout-restart`, … */
  action: string;
  /** Resolved inputs (e.g. node name, grace period). */
  target: Record<string, string>;
  risk: RiskLevel;
  /** Human-readable description, including the kubectl equivalent. */
  description: string;
}

/** A fact the plan relied on, for the PR body and the audit record. */
export interface EvidenceItem {
  /** Where it came from: `alert`, `cluster`, `argocd`, `git`, `repository`, `parameter`. */
  source: string;
  /** Short label, e.g. `last termination`. */
  label: string;
  /** The fact, redacted. */
  detail: string;
}

/** Something a person should consider; never applied by the bot (e.g. a WAF rule, a memory limit raise). */
export interface Suggestion {
  title: string;
  /** Plain text or a snippet (code, rule) to paste. */
  body: string;
}

/** Who must approve before merge and before imperative steps run. */
export interface RequiredApprovals {
  /** True when a security CODEOWNER must approve at the head SHA (destructive plans). */
  securityApproval: boolean;
  /** Number of qualifying approvals the gate needs. */
  count: number;
  /** True when imperative steps wait for an approval before running. */
  beforeImperativeSteps: boolean;
  /** Why each requirement applies. */
  reasons: string[];
}

export interface PlanRisk {
  level: RiskLevel;
  reasons: string[];
}

/** What a runbook would do for an incident: pure data, rendered for the CLI, PR bodies and the audit log. */
export interface RemediationPlan {
  incidentKey: string;
  runbook: { id: string; version: string; file: string; origin: string; revision?: string };
  /** The target the plan acts on, e.g. `Deployment shop/checkout`, `Node worker-2`. */
  target: string;
  /** Bound parameters with their sources. */
  parameters: Record<string, { value: string; source: string }>;
  changes: Change[];
  steps: PlannedImperativeStep[];
  risk: PlanRisk;
  approvals: RequiredApprovals;
  evidence: EvidenceItem[];
  suggestions: Suggestion[];
  /** How to undo the plan once merged (and its imperative steps once run). */
  undo: string[];
  /** Revision of the repository the plan was computed against. */
  baseRevision: string;
}
