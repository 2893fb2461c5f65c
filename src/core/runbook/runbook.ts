import { z } from "zod";
import { Duration } from "../util/duration.js";

/** Built-in file-change actions a runbook step may name; each is a pure function over repository text. */
export const FILE_ACTIONS = [
  "rollback-image",
  "set-replicas",
  "scale-hpa",
  "expand-pvc",
  "add-job",
  "add-worker",
  "rate-limit-ingress",
  "suggest-waf-rule",
] as const;
export type FileAction = (typeof FILE_ACTIONS)[number];

/**
 * Imperative steps: planned here, executed later through the Kubernetes API only once the plan's approval
 * gate is satisfied. Their risk is fixed by the engine, never by the runbook author.
 */
export const IMPERATIVE_ACTIONS = [
  "cordon",
  "uncordon",
  "drain",
  "rollout-restart",
  "rollout-abort",
  "rollout-retry",
  "rollout-promote",
] as const;
export type ImperativeAction = (typeof IMPERATIVE_ACTIONS)[number];

export type RiskLevel = "safe" | "destructive";

/**
 * The inherent risk of each step kind. Drain evicts every pod of a node and `rollout-abort` sends traffic
 * back mid-rollout: both can cause an outage, so they are destructive whatever the runbook says.
 */
export const STEP_RISK: Record<FileAction | ImperativeAction, RiskLevel> = {
  "rollback-image": "safe",
  "set-replicas": "safe",
  "scale-hpa": "safe",
  "expand-pvc": "safe",
  "add-job": "safe",
  "add-worker": "safe",
  "rate-limit-ingress": "safe",
  "suggest-waf-rule": "safe",
  cordon: "safe",
  uncordon: "safe",
  drain: "destructive",
  "rollout-restart": "safe",
  "rollout-abort": "destructive",
  "rollout-retry": "safe",
  "rollout-promote": "destructive",
};

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A label selector on the incident's labels, in Alertmanager matcher terms. */
export const LabelMatcher = z.strictObject({
  /** Label name, e.g. `condition`. */
  name: z.string().min(1).max(100),
  /** `=` equal, `!=` not equal, `=~` full regex match, `!~` no full regex match. */
  op: z.enum(["=", "!=", "=~", "!~"]).default("="),
  /** Value or RE2-style regular expression (anchored on both ends, as Alertmanager does). */
  value: z.string().max(500),
});
export type LabelMatcher = z.infer<typeof LabelMatcher>;

/** When a runbook applies. Every given condition must hold; more conditions make a more specific match. */
export const RunbookMatch = z.strictObject({
  /** Alert names (the `alertname` label) this runbook handles; any of them matches. */
  alertnames: z.array(z.string().min(1).max(200)).min(1).max(50),
  /** Further label selectors on the incident; all must hold. */
  labels: z.array(LabelMatcher).max(20).default([]),
  /**
   * Kubernetes reasons seen in the cluster facts: a pod's waiting or last-terminated reason
   * (`CrashLoopBackOff`, `OOMKilled`, `Error`), or a node condition that is `True` (`MemoryPressure`).
   * Any of them matches; when the cluster is unknown this condition cannot hold.
   */
  reasons: z.array(z.string().min(1).max(100)).max(20).default([]),
});
export type RunbookMatch = z.infer<typeof RunbookMatch>;

/** How a parameter value is checked before any step sees it. */
export const ParameterType = z.enum([
  "dns1123-label",
  "dns1123-subdomain",
  "repo-path",
  "string",
  "integer",
  "quantity",
]);
export type ParameterType = z.infer<typeof ParameterType>;

/** A runbook parameter bound from the incident, the repository configuration or a default. */
export const RunbookParameter = z.strictObject({
  /** Name used in step inputs as `{{name}}`. */
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, "letters, digits and _; starts with a letter"),
  /** What the value must look like: DNS-1123 names, a path inside the repository, a string, … */
  type: ParameterType.default("string"),
  /**
   * Where the value comes from, tried in order: `label:NAME` (incident label), `annotation:NAME`,
   * `config` (`.github/medic.yml` `runbooks.parameters.<runbook>.<name>`), `fact:pod.owner.name` style facts.
   */
  from: z.array(z.string().regex(/^(label:[\w.-]+|annotation:[\w.-]+|config|fact:[\w.]+)$/)).default([]),
  /** Value used when no source has one. */
  default: z.string().max(500).optional(),
  /** A missing value is an error (the plan names the parameter and its sources). */
  required: z.boolean().default(true),
  /** Extra regular expression the value must fully match (type `string`). */
  pattern: z.string().max(500).optional(),
  /** One line for people: what the parameter is. */
  description: z.string().max(500).default(""),
});
export type RunbookParameter = z.infer<typeof RunbookParameter>;

/** A step that changes files in the GitOps repository through a built-in action. */
export const FileChangeStep = z.strictObject({
  /** Step id, unique in the runbook. */
  id: z.string().regex(DNS1123_LABEL, "a DNS-1123 label"),
  /** One line for the plan and the pull request. */
  title: z.string().max(200).optional(),
  /** The built-in action that computes the change. */
  action: z.enum(FILE_ACTIONS),
  /** Action inputs; strings may use `{{parameter}}`. */
  with: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** When the action finds nothing to do, skip the step (true) or fail the plan (false). */
  optional: z.boolean().default(false),
});
export type FileChangeStep = z.infer<typeof FileChangeStep>;

/** A step that acts on the cluster (cordon, drain, …): planned now, run only after approval. */
export const ImperativeStep = z.strictObject({
  /** Step id, unique in the runbook. */
  id: z.string().regex(DNS1123_LABEL, "a DNS-1123 label"),
  /** One line for the plan and the pull request. */
  title: z.string().max(200).optional(),
  /** The imperative operation. */
  imperative: z.enum(IMPERATIVE_ACTIONS),
  /** Operation inputs; strings may use `{{parameter}}`. */
  with: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});
export type ImperativeStep = z.infer<typeof ImperativeStep>;

/** One ordered step. */
export const RunbookStep = z.union([FileChangeStep, ImperativeStep]);
export type RunbookStep = z.infer<typeof RunbookStep>;

/** Guardrails; a plan that would exceed one is refused and names the limit. */
export const RunbookLimits = z.strictObject({
  /** Minimum time between two runs on the same target. */
  cooldown: Duration.default("30m"),
  /** Maximum runs on the same target within 24 hours. */
  maxRunsPerTargetPerDay: z.number().int().min(1).max(100).default(3),
  /** Blast radius: no change may set replicas (or an HPA bound) above this. */
  maxReplicas: z.number().int().min(1).max(10_000).optional(),
  /** Blast radius: no volume may be requested larger than this Kubernetes quantity (e.g. `500Gi`). */
  maxVolumeSize: z
    .string()
    .regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/, "a Kubernetes quantity such as 500Gi")
    .optional(),
  /** Blast radius: the worker count may not go above this. */
  maxWorkers: z.number().int().min(1).max(10_000).optional(),
});
export type RunbookLimits = z.infer<typeof RunbookLimits>;

/** An approved runbook: `runbooks/<id>.yaml` (bundled) or `.github/medic/runbooks/<id>.yaml` (default branch). */
export const Runbook = z.strictObject({
  /** Unique id, a DNS-1123 label; also the file name. */
  id: z.string().regex(DNS1123_LABEL, "a DNS-1123 label").max(63),
  /** One line for people. */
  title: z.string().min(1).max(200),
  /** What it does and when, for the PR body and the docs. */
  description: z.string().max(5_000).default(""),
  /** Version of the runbook (semantic version); recorded in every plan. */
  version: z.string().regex(/^\d+\.\d+\.\d+([-+][\w.-]+)?$/, "a semantic version such as 1.2.0"),
  /** When the runbook applies. */
  match: RunbookMatch,
  /** Values bound from the incident, validated before any step runs. */
  parameters: z.array(RunbookParameter).max(30).default([]),
  /** Ordered steps: file changes and imperative operations. */
  steps: z.array(RunbookStep).min(1).max(20),
  /** Cooldown, runs per day and blast-radius limits. */
  limits: RunbookLimits.prefault({}),
  /** Declared risk; it may not be lower than the most destructive step's. */
  risk: z.enum(["safe", "destructive"]),
});
export type Runbook = z.infer<typeof Runbook>;

/** True when the step acts on the cluster rather than on files. */
export function isImperativeStep(step: RunbookStep): step is ImperativeStep {
  return "imperative" in step;
}

/** The inherent risk of a step. */
export function stepRisk(step: RunbookStep): RiskLevel {
  return STEP_RISK[isImperativeStep(step) ? step.imperative : step.action];
}
