import type { ConditionBlock } from "./evaluate-conditions.js";
import type {
  KyvernoPolicy,
  MatchBlock,
  PolicyRule,
  ResourceFilter,
  ValidateBlock,
} from "./kyverno-policy.js";
import { kindOfSelector } from "./match-resource.js";
import { hasVariables } from "./substitute-variables.js";

/** Kyverno's default Pod controllers for auto-generated rules. */
export const DEFAULT_AUTOGEN_CONTROLLERS = [
  "DaemonSet",
  "Deployment",
  "Job",
  "StatefulSet",
  "ReplicaSet",
  "ReplicationController",
  "CronJob",
] as const;

/** A rule ready to evaluate: a policy's own rule or one Kyverno would auto-generate for Pod controllers. */
export interface ComputedRule {
  policy: KyvernoPolicy;
  /** The rule as written (autogen rules point at their Pod rule). */
  source: PolicyRule;
  /** `require-requests`, `autogen-require-requests`, `autogen-cronjob-require-requests`. */
  name: string;
  autogen?: "controllers" | "cronjob";
  match: MatchBlock;
  exclude?: MatchBlock;
  preconditions?: ConditionBlock;
  validate?: ValidateBlock;
  unsupported?: string;
  /** Bare kinds the rule can match, for indexing; `*` when a selector has a wildcard kind. */
  kinds: Set<string> | "*";
  /** Whether pattern, conditions or message use `{{ }}` variables (so the variable context is needed). */
  usesVariables: boolean;
}

/**
 * Expands a policy into the rules Kyverno evaluates: each rule, plus `autogen-<rule>` (Deployment, DaemonSet,
 * StatefulSet, Job, ReplicaSet, ReplicationController; pattern under `spec.template`) and
 * `autogen-cronjob-<rule>` (CronJob; under `spec.jobTemplate.spec.template`) for rules that match only Pods
 * and do not filter by name, selector or annotations, as Kyverno's auto-gen does.
 */
export function computeRules(policy: KyvernoPolicy): ComputedRule[] {
  const out: ComputedRule[] = [];
  for (const rule of policy.rules) {
    out.push(finish({ policy, source: rule, name: rule.name, ...copy(rule) }));
    const controllers = autogenControllers(policy, rule);
    const plain = controllers.filter((c) => c !== "CronJob");
    if (plain.length > 0) {
      out.push(finish(generate(policy, rule, "controllers", plain)));
    }
    if (controllers.includes("CronJob")) out.push(finish(generate(policy, rule, "cronjob", ["CronJob"])));
  }
  return out;
}

function copy(rule: PolicyRule) {
  return {
    match: rule.match,
    ...(rule.exclude ? { exclude: rule.exclude } : {}),
    ...(rule.preconditions ? { preconditions: rule.preconditions } : {}),
    ...(rule.validate ? { validate: rule.validate } : {}),
    ...(rule.unsupported ? { unsupported: rule.unsupported } : {}),
  };
}

function filters(m: MatchBlock | undefined): ResourceFilter[] {
  return m ? [...(m.any ?? []), ...(m.all ?? [])] : [];
}

function autogenControllers(policy: KyvernoPolicy, rule: PolicyRule): string[] {
  if (!rule.validate) return [];
  const all = [...filters(rule.match), ...filters(rule.exclude)];
  const matchKinds = filters(rule.match).flatMap((f) => f.resources?.kinds ?? []);
  if (matchKinds.length === 0) return [];
  for (const f of all) {
    const r = f.resources;
    if (!r) continue;
    if (r.kinds?.some((k) => kindOfSelector(k) !== "Pod")) return [];
    if (r.names || r.selector || r.annotations) return [];
  }
  const wanted = policy.autogenControllers ?? [...DEFAULT_AUTOGEN_CONTROLLERS];
  return DEFAULT_AUTOGEN_CONTROLLERS.filter((c) => wanted.includes(c));
}

function generate(policy: KyvernoPolicy, rule: PolicyRule, kind: "controllers" | "cronjob", kinds: string[]) {
  const wrap = (p: unknown) =>
    kind === "cronjob" ? { spec: { jobTemplate: { spec: { template: p } } } } : { spec: { template: p } };
  const base = copy(rule);
  const validate: ValidateBlock | undefined = rule.validate ? { ...rule.validate } : undefined;
  if (validate) {
    if (validate.pattern !== undefined) validate.pattern = wrap(validate.pattern);
    if (validate.anyPattern) validate.anyPattern = validate.anyPattern.map(wrap);
    if (validate.deny) validate.deny = rewrite(validate.deny, kind) as ConditionBlock;
    if (validate.foreach) {
      // Element-scoped patterns stay as they are; the list and the variables move under the template.
      validate.foreach = validate.foreach.map((f) => ({
        ...f,
        list: rewrite(f.list, kind) as string,
        ...(f.preconditions ? { preconditions: rewrite(f.preconditions, kind) as ConditionBlock } : {}),
        ...(f.deny ? { deny: rewrite(f.deny, kind) as ConditionBlock } : {}),
        ...(f.elementScope === false && f.pattern !== undefined ? { pattern: wrap(f.pattern) } : {}),
        ...(f.elementScope === false && f.anyPattern ? { anyPattern: f.anyPattern.map(wrap) } : {}),
      }));
    }
    if (validate.message) validate.message = rewrite(validate.message, kind) as string;
  }
  return {
    policy,
    source: rule,
    name: kind === "cronjob" ? `autogen-cronjob-${rule.name}` : `autogen-${rule.name}`,
    autogen: kind,
    ...base,
    match: replaceKinds(rule.match, kinds),
    ...(rule.exclude ? { exclude: replaceKinds(rule.exclude, kinds) } : {}),
    ...(rule.preconditions ? { preconditions: rewrite(rule.preconditions, kind) as ConditionBlock } : {}),
    ...(validate ? { validate } : {}),
  };
}

function replaceKinds(m: MatchBlock, kinds: string[]): MatchBlock {
  const fix = (f: ResourceFilter): ResourceFilter =>
    f.resources?.kinds ? { ...f, resources: { ...f.resources, kinds } } : f;
  return {
    ...(m.any ? { any: m.any.map(fix) } : {}),
    ...(m.all ? { all: m.all.map(fix) } : {}),
  };
}

/** Kyverno's text rewrite of variables for auto-generated rules. */
function rewrite(value: unknown, kind: "controllers" | "cronjob"): unknown {
  const prefix = kind === "cronjob" ? "spec.jobTemplate.spec.template" : "spec.template";
  if (typeof value === "string") {
    return value
      .replace(/request\.(object|oldObject)\.spec\b/g, `request.$1.${prefix}.spec`)
      .replace(/request\.(object|oldObject)\.metadata\b/g, `request.$1.${prefix}.metadata`);
  }
  if (Array.isArray(value)) return value.map((v) => rewrite(v, kind));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, kind)]));
  }
  return value;
}

function finish(r: Omit<ComputedRule, "kinds" | "usesVariables">): ComputedRule {
  let kinds: Set<string> | "*" = new Set<string>();
  // In `any`, a filter without kinds matches every kind; in `all`, another filter narrows the kinds.
  if ((r.match.any ?? []).some((f) => !f.resources?.kinds || f.resources.kinds.length === 0)) kinds = "*";
  for (const list of filters(r.match).map((f) => f.resources?.kinds)) {
    if (!list || list.length === 0) continue;
    for (const s of list) {
      const k = kindOfSelector(s);
      if (k.includes("*") || k.includes("?")) kinds = "*";
      else if (kinds !== "*") kinds.add(k);
    }
  }
  const v = r.validate;
  const usesVariables =
    hasVariables(r.preconditions) ||
    hasVariables(v?.pattern) ||
    hasVariables(v?.anyPattern) ||
    hasVariables(v?.deny) ||
    v?.foreach !== undefined ||
    hasVariables(v?.message);
  return { ...r, kinds, usesVariables };
}
