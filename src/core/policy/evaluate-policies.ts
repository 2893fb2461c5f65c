import { type ComputedRule, computeRules } from "./compute-rules.js";
import { evaluateConditions } from "./evaluate-conditions.js";
import type { FailureAction, KyvernoPolicy } from "./kyverno-policy.js";
import { locateInResource, type PolicyResource, type ResourceRef } from "./load-resources.js";
import { matchBlock } from "./match-resource.js";
import { matchWildcard } from "./match-wildcard.js";
import {
  buildImagesVariable,
  evaluateExpression,
  hasVariables,
  substituteVariables,
  type VariableContext,
} from "./substitute-variables.js";
import { type NodePath, type PatternOutcome, pointer, validatePattern } from "./validate-pattern.js";

/** Kyverno's result words. `warn` is a failure of a policy marked `policies.kyverno.io/scored: "false"`. */
export type PolicyResultKind = "pass" | "fail" | "warn" | "skip" | "error";

/** One (policy, rule, resource) evaluation — a Finding when it is not a pass. */
export interface Evaluation {
  policy: string;
  /** For a namespaced `Policy`, its namespace. */
  policyNamespace?: string;
  rule: string;
  resource: ResourceRef;
  file: string;
  documentIndex: number;
  /** 1-based line/column of the offending node (the resource start when the rule has no path). */
  line: number;
  column: number;
  result: PolicyResultKind;
  message: string;
  /** Enforce or Audit for this resource (after rule-level and namespace overrides). */
  action: FailureAction;
  severity?: string;
  category?: string;
  /** Kyverno path of a pattern failure, e.g. `/spec/containers/0/image/`. */
  path?: string;
  /** Set on `skip` results caused by a feature this engine does not support. */
  unsupported?: string;
}

/** Policies compiled once (auto-gen rules expanded, rules indexed by kind) and evaluated many times. */
export interface PolicyEngine {
  policies: KyvernoPolicy[];
  rules: ComputedRule[];
  evaluate(resources: PolicyResource[]): Evaluation[];
}

/** Compiles policies into an engine; see `evaluatePolicies`. */
export function compilePolicies(policies: KyvernoPolicy[]): PolicyEngine {
  const rules = policies.flatMap(computeRules);
  const byKind = new Map<string, ComputedRule[]>();
  const wildcard = rules.some((r) => r.kinds === "*");
  const candidates = (kind: string): ComputedRule[] => {
    let list = byKind.get(kind);
    if (!list) {
      list = rules.filter((r) => r.kinds === "*" || r.kinds.has(kind));
      if (!wildcard || byKind.size < 10_000) byKind.set(kind, list);
    }
    return list;
  };
  return {
    policies,
    rules,
    evaluate(resources) {
      const out: Evaluation[] = [];
      for (const res of resources) {
        const ctx = lazyContext(res);
        for (const rule of candidates(res.ref.kind)) {
          const e = evaluateRule(rule, res, ctx);
          if (e) out.push(e);
        }
      }
      return out;
    },
  };
}

/**
 * Evaluates Kyverno validate rules on resources. Every (policy, rule, resource) the rule matches gets a result:
 * pass, fail (warn for unscored policies), skip (preconditions, conditional/global anchors, or an unsupported
 * feature — never a silent pass), or error (a variable that cannot be resolved). Resources a rule does not
 * match, or excludes, get no result, as in Kyverno.
 */
export function evaluatePolicies(policies: KyvernoPolicy[], resources: PolicyResource[]): Evaluation[] {
  return compilePolicies(policies).evaluate(resources);
}

function lazyContext(res: PolicyResource): () => VariableContext {
  let ctx: VariableContext | undefined;
  return () => {
    if (ctx) return ctx;
    const [group, version] = res.ref.apiVersion.includes("/")
      ? res.ref.apiVersion.split("/", 2)
      : ["", res.ref.apiVersion];
    const c: VariableContext = {
      request: {
        operation: "CREATE",
        object: res.object,
        oldObject: null,
        namespace: res.ref.namespace,
        name: res.ref.name,
        kind: { group, version, kind: res.ref.kind },
        userInfo: { username: "", groups: [] },
      },
    };
    let images: unknown;
    Object.defineProperty(c, "images", {
      enumerable: true,
      get: () => {
        images ??= buildImagesVariable(res.object);
        return images;
      },
    });
    ctx = c;
    return c;
  };
}

function actionFor(rule: ComputedRule, res: PolicyResource): FailureAction {
  if (rule.validate?.failureAction) return rule.validate.failureAction;
  const ns = res.ref.namespace;
  for (const o of rule.policy.overrides) {
    if (ns && o.namespaces.some((n) => matchWildcard(n, ns))) return o.action;
  }
  return rule.policy.action;
}

function evaluateRule(
  rule: ComputedRule,
  res: PolicyResource,
  ctx: () => VariableContext,
): Evaluation | undefined {
  const policy = rule.policy;
  if (policy.kind === "Policy" && res.ref.namespace && res.ref.namespace !== policy.namespace)
    return undefined;
  const matched = matchBlock(rule.match, res, "match");
  if (matched === false) return undefined;
  let excluded: ReturnType<typeof matchBlock> = false;
  if (rule.exclude) {
    excluded = matchBlock(rule.exclude, res, "exclude");
    if (excluded === true) return undefined;
  }
  const result = (
    kind: Evaluation["result"],
    message: string,
    path?: NodePath,
    unsupported?: string,
  ): Evaluation => {
    const pos = locateInResource(res, path ?? []);
    const e: Evaluation = {
      policy: policy.name,
      rule: rule.name,
      resource: res.ref,
      file: res.file,
      documentIndex: res.documentIndex,
      line: pos.line,
      column: pos.column,
      result: kind,
      message,
      action: actionFor(rule, res),
    };
    if (policy.namespace) e.policyNamespace = policy.namespace;
    if (policy.severity) e.severity = policy.severity;
    if (policy.category) e.category = policy.category;
    if (path && path.length > 0) e.path = pointer(path);
    if (unsupported) e.unsupported = unsupported;
    return e;
  };
  const unsupported = (why: string) => result("skip", `unsupported: ${why}`, undefined, why);
  if (matched !== true) return unsupported(matched.unsupported);
  if (excluded !== false) return unsupported(excluded.unsupported);
  if (rule.unsupported) return unsupported(rule.unsupported);
  const v = rule.validate;
  if (!v) return unsupported("rule without validate");

  if (rule.preconditions) {
    const pre = evaluateConditions(rule.preconditions, ctx());
    if (!pre.ok) {
      return pre.kind === "unsupported"
        ? unsupported(pre.message)
        : result("error", `preconditions: ${pre.message}`);
    }
    if (!pre.holds) return result("skip", "preconditions not met");
  }

  const failKind: Evaluation["result"] = policy.scored ? "fail" : "warn";
  const message = () => renderMessage(v.message, rule, ctx);

  if (v.deny) {
    const deny = evaluateConditions(v.deny, ctx());
    if (!deny.ok) {
      return deny.kind === "unsupported"
        ? unsupported(deny.message)
        : result("error", `deny conditions: ${deny.message}`);
    }
    if (deny.holds) return result(failKind, message());
    return result("pass", `validation rule '${rule.name}' passed.`);
  }

  if (v.foreach) {
    let applied = 0;
    const base = ctx();
    for (const f of v.foreach) {
      const listed = evaluateExpression(f.list, base);
      if (!listed.ok) {
        return listed.kind === "unsupported"
          ? unsupported(listed.message)
          : result("error", `foreach list: ${listed.message}`);
      }
      if (listed.value === null) continue;
      if (!Array.isArray(listed.value)) return result("error", `foreach list ${f.list} is not a list`);
      const listPath = pathOfList(f.list);
      for (const [i, element] of listed.value.entries()) {
        const ectx: VariableContext = { ...base, element, elementIndex: i };
        Object.defineProperty(ectx, "images", { enumerable: true, get: () => base.images });
        const elementPath = listPath ? [...listPath, i] : undefined;
        if (f.preconditions) {
          const pre = evaluateConditions(f.preconditions, ectx);
          if (!pre.ok) {
            return pre.kind === "unsupported"
              ? unsupported(pre.message)
              : result("error", `foreach preconditions: ${pre.message}`);
          }
          if (!pre.holds) continue;
        }
        if (f.deny) {
          const deny = evaluateConditions(f.deny, ectx);
          if (!deny.ok) {
            return deny.kind === "unsupported"
              ? unsupported(deny.message)
              : result("error", `foreach deny: ${deny.message}`);
          }
          if (deny.holds)
            return result(
              failKind,
              renderMessage(v.message, rule, () => ectx),
              elementPath,
            );
          applied++;
          continue;
        }
        const scoped = f.elementScope !== false;
        const target = scoped ? element : res.object;
        const prefix = scoped ? (elementPath ?? []) : [];
        const outcomes: PatternOutcome[] = [];
        let passed = false;
        for (const raw of f.pattern !== undefined ? [f.pattern] : (f.anyPattern ?? [])) {
          let pattern = raw;
          if (hasVariables(raw)) {
            const sub = substituteVariables(raw, ectx);
            if (!sub.ok) {
              return sub.kind === "unsupported"
                ? unsupported(sub.message)
                : result("error", `foreach pattern: ${sub.message}`);
            }
            pattern = sub.value;
          }
          const out = validatePattern(target, pattern);
          if (out.kind === "pass") {
            passed = true;
            break;
          }
          outcomes.push(out);
        }
        if (passed) {
          applied++;
          continue;
        }
        const failed = outcomes.find(
          (o): o is Extract<PatternOutcome, { kind: "fail" }> => o.kind === "fail",
        );
        if (failed) {
          // Without a plain list path the element cannot be placed; point at the resource.
          const at = scoped && !elementPath ? [] : [...prefix, ...failed.path];
          const where =
            at.length > 0 ? ` failed at path ${pointer(at)}` : ` failed on element ${i} of ${f.list}`;
          return result(
            failKind,
            `validation error: ${renderMessage(v.message, rule, () => ectx)}. rule ${rule.name}${where}`,
            at,
          );
        }
      }
    }
    if (applied === 0) return result("skip", `rule ${rule.name} skipped: no foreach element applied`);
    return result("pass", `validation rule '${rule.name}' passed.`);
  }

  const patterns = v.pattern !== undefined ? [v.pattern] : (v.anyPattern ?? []);
  const outcomes: PatternOutcome[] = [];
  for (const raw of patterns) {
    let pattern = raw;
    if (rule.usesVariables && hasVariables(raw)) {
      const sub = substituteVariables(raw, ctx());
      if (!sub.ok) {
        return sub.kind === "unsupported"
          ? unsupported(sub.message)
          : result("error", `pattern: ${sub.message}`);
      }
      pattern = sub.value;
    }
    const out = validatePattern(res.object, pattern);
    if (out.kind === "pass") return result("pass", `validation rule '${rule.name}' passed.`);
    outcomes.push(out);
  }
  const fails = outcomes.filter((o): o is Extract<PatternOutcome, { kind: "fail" }> => o.kind === "fail");
  if (fails.length === 0) {
    const skip = outcomes[0];
    const why = skip && skip.kind === "skip" ? skip.message : "no pattern applied";
    return result("skip", `rule ${rule.name} skipped: ${why}`);
  }
  const first = fails[0]!;
  if (v.pattern !== undefined) {
    return result(
      failKind,
      `validation error: ${message()}. rule ${rule.name} failed at path ${pointer(first.path)}`,
      first.path,
    );
  }
  const detail = outcomes
    .map((o, i) =>
      o.kind === "fail"
        ? `rule ${rule.name}[${i}] failed at path ${pointer(o.path)}`
        : `rule ${rule.name}[${i}] skipped`,
    )
    .join(" ");
  return result(failKind, `validation error: ${message()}. ${detail}`, first.path);
}

function renderMessage(message: string | undefined, rule: ComputedRule, ctx: () => VariableContext): string {
  // Kyverno appends ". rule … failed at path …"; a message's own final period would double it.
  const text = (message ?? `rule ${rule.name} failed`).trim().replace(/\.$/, "");
  if (!text.includes("{{")) return text;
  const sub = substituteVariables(text, ctx());
  // An unresolvable variable in a message must not hide the finding: keep the template text.
  return sub.ok ? String(sub.value) : text;
}

/** `request.object.spec.containers` ⇒ `["spec", "containers"]`; other list expressions have no plain path. */
function pathOfList(list: string): NodePath | undefined {
  const m = /^\s*request\.object((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*$/.exec(list);
  return m ? m[1]!.slice(1).split(".") : undefined;
}
