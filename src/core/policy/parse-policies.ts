import type { LineCounter } from "yaml";
import type { ParsedDocument } from "../yaml/parse-yaml.js";
import {
  CONDITION_OPERATORS,
  type Condition,
  type ConditionBlock,
  type ConditionOperator,
} from "./evaluate-conditions.js";
import type {
  FailureAction,
  ForeachBlock,
  KyvernoPolicy,
  LabelSelector,
  MatchBlock,
  PolicyRule,
  ResourceDescription,
  ResourceFilter,
  ValidateBlock,
} from "./kyverno-policy.js";
import { locateNode } from "./locate-node.js";
import type { NodePath } from "./validate-pattern.js";

/** A broken policy: the file and the field, so the check run can say exactly what to fix. */
export interface PolicyError {
  file: string;
  documentIndex?: number;
  /** Dotted path of the field, e.g. `spec.rules[0].validate.deny.conditions.any[1].operator`. */
  field: string;
  message: string;
  /** 1-based line of the field when known. */
  line?: number;
}

export interface ParsePoliciesResult {
  policies: KyvernoPolicy[];
  errors: PolicyError[];
}

class FieldError extends Error {
  constructor(
    readonly path: NodePath,
    message: string,
  ) {
    super(message);
  }
}

const LEGACY_OPERATORS: Record<string, ConditionOperator> = { Equal: "Equals", NotEqual: "NotEquals" };
const SELECTOR_OPERATORS = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);

/**
 * Reads Kyverno `ClusterPolicy` / `Policy` documents of one file. Each broken policy becomes a `PolicyError`
 * naming the file and field (and line); other policies of the file still load. Documents of other kinds are
 * errors too: a policy folder holding something else is a mistake worth saying.
 */
export function parsePolicies(
  documents: ParsedDocument[],
  file: string,
  lineCounter?: LineCounter,
): ParsePoliciesResult {
  const policies: KyvernoPolicy[] = [];
  const errors: PolicyError[] = [];
  for (const d of documents) {
    if (d.value === null) continue;
    try {
      policies.push(parsePolicy(d.value, file, d.index));
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      const line = lineCounter ? locateNode(d.doc, lineCounter, err.path).line : undefined;
      errors.push({
        file,
        documentIndex: d.index,
        field: fieldName(err.path),
        message: err.message,
        ...(line ? { line } : {}),
      });
    }
  }
  const seen = new Map<string, string>();
  for (const p of policies) {
    const key = `${p.namespace ?? ""}/${p.name}`;
    if (seen.has(key)) {
      errors.push({
        file,
        documentIndex: p.documentIndex,
        field: "metadata.name",
        message: `duplicate policy name ${p.name}`,
      });
    }
    seen.set(key, file);
  }
  return { policies, errors };
}

/** `["spec","rules",0,"name"]` ⇒ `spec.rules[0].name`. */
export function fieldName(path: NodePath): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || "(document)";
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function obj(v: unknown, path: NodePath): Record<string, unknown> {
  if (!isObj(v)) throw new FieldError(path, "expected a mapping");
  return v;
}

function optObj(v: unknown, path: NodePath): Record<string, unknown> | undefined {
  return v === undefined || v === null ? undefined : obj(v, path);
}

function str(v: unknown, path: NodePath): string {
  if (typeof v !== "string" || v === "") throw new FieldError(path, "expected a non-empty string");
  return v;
}

function optStr(v: unknown, path: NodePath): string | undefined {
  return v === undefined || v === null ? undefined : str(v, path);
}

function strList(v: unknown, path: NodePath): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new FieldError(path, "expected a list of strings");
  return v.map((x, i) => {
    if (typeof x !== "string") throw new FieldError([...path, i], "expected a string");
    return x;
  });
}

function strMap(v: unknown, path: NodePath): Record<string, string> | undefined {
  const o = optObj(v, path);
  if (!o) return undefined;
  for (const [k, x] of Object.entries(o)) {
    if (typeof x !== "string") throw new FieldError([...path, k], "expected a string");
  }
  return o as Record<string, string>;
}

function action(v: unknown, path: NodePath): FailureAction | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") {
    const l = v.toLowerCase();
    if (l === "enforce") return "Enforce";
    if (l === "audit") return "Audit";
  }
  throw new FieldError(path, `expected Enforce or Audit, found ${JSON.stringify(v)}`);
}

function parsePolicy(value: unknown, file: string, documentIndex: number): KyvernoPolicy {
  const root = obj(value, []);
  const apiVersion = root.apiVersion;
  if (typeof apiVersion !== "string" || !apiVersion.startsWith("kyverno.io/")) {
    throw new FieldError(
      ["apiVersion"],
      `expected kyverno.io/v1, found ${JSON.stringify(apiVersion ?? null)}`,
    );
  }
  const kind = root.kind;
  if (kind !== "ClusterPolicy" && kind !== "Policy") {
    throw new FieldError(["kind"], `expected ClusterPolicy or Policy, found ${JSON.stringify(kind ?? null)}`);
  }
  const meta = obj(root.metadata, ["metadata"]);
  const name = str(meta.name, ["metadata", "name"]);
  const namespace =
    kind === "Policy" ? (optStr(meta.namespace, ["metadata", "namespace"]) ?? "default") : undefined;
  const annotations = strMap(meta.annotations, ["metadata", "annotations"]) ?? {};
  const spec = obj(root.spec, ["spec"]);
  const policyAction = action(spec.validationFailureAction, ["spec", "validationFailureAction"]) ?? "Audit";
  const overrides: KyvernoPolicy["overrides"] = [];
  const rawOverrides = spec.validationFailureActionOverrides;
  if (rawOverrides !== undefined && rawOverrides !== null) {
    if (!Array.isArray(rawOverrides)) {
      throw new FieldError(["spec", "validationFailureActionOverrides"], "expected a list");
    }
    rawOverrides.forEach((o, i) => {
      const p: NodePath = ["spec", "validationFailureActionOverrides", i];
      const ov = obj(o, p);
      const a = action(ov.action, [...p, "action"]);
      if (!a) throw new FieldError([...p, "action"], "expected Enforce or Audit");
      overrides.push({ action: a, namespaces: strList(ov.namespaces, [...p, "namespaces"]) ?? [] });
    });
  }
  if (!Array.isArray(spec.rules) || spec.rules.length === 0) {
    throw new FieldError(["spec", "rules"], "expected a non-empty list of rules");
  }
  const ruleNames = new Set<string>();
  const rules = spec.rules.map((r, i) => {
    const rule = parseRule(r, i);
    if (ruleNames.has(rule.name))
      throw new FieldError(["spec", "rules", i, "name"], `duplicate rule name ${rule.name}`);
    ruleNames.add(rule.name);
    return rule;
  });
  const autogen = annotations["pod-policies.kyverno.io/autogen-controllers"];
  const policy: KyvernoPolicy = {
    kind,
    name,
    file,
    documentIndex,
    action: policyAction,
    overrides,
    scored: annotations["policies.kyverno.io/scored"] !== "false",
    rules,
  };
  if (namespace) policy.namespace = namespace;
  if (annotations["policies.kyverno.io/severity"])
    policy.severity = annotations["policies.kyverno.io/severity"];
  if (annotations["policies.kyverno.io/category"])
    policy.category = annotations["policies.kyverno.io/category"];
  if (annotations["policies.kyverno.io/title"]) policy.title = annotations["policies.kyverno.io/title"];
  if (annotations["policies.kyverno.io/description"]) {
    policy.description = annotations["policies.kyverno.io/description"].trim();
  }
  if (autogen !== undefined) {
    policy.autogenControllers =
      autogen.trim().toLowerCase() === "none"
        ? []
        : autogen
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
  }
  return policy;
}

function parseRule(raw: unknown, index: number): PolicyRule {
  const base: NodePath = ["spec", "rules", index];
  const r = obj(raw, base);
  const name = str(r.name, [...base, "name"]);
  if (r.match === undefined) throw new FieldError([...base, "match"], "a rule needs a match block");
  const match = parseMatch(r.match, [...base, "match"]);
  if (!hasKinds(match)) throw new FieldError([...base, "match"], "match needs resources.kinds");
  const rule: PolicyRule = { name, index, match };
  if (r.exclude !== undefined && r.exclude !== null)
    rule.exclude = parseMatch(r.exclude, [...base, "exclude"]);
  if (r.preconditions !== undefined && r.preconditions !== null) {
    rule.preconditions = parseConditions(r.preconditions, [...base, "preconditions"]);
  }
  const types = ["validate", "mutate", "generate", "verifyImages"].filter((t) => r[t] !== undefined);
  if (types.length !== 1) {
    throw new FieldError(
      base,
      `a rule needs exactly one of validate, mutate, generate, verifyImages (found ${types.length})`,
    );
  }
  if (types[0] !== "validate") rule.unsupported = `${types[0]} rules (only validate rules are evaluated)`;
  else
    rule.validate = parseValidate(r.validate, [...base, "validate"], (why) => {
      rule.unsupported ??= why;
    });
  if (r.context !== undefined && r.context !== null) {
    rule.unsupported ??= "rule context entries (configMap, apiCall, variable, imageRegistry)";
  }
  return rule;
}

function hasKinds(m: MatchBlock): boolean {
  const filters = [...(m.any ?? []), ...(m.all ?? [])];
  return filters.some((f) => (f.resources?.kinds?.length ?? 0) > 0);
}

function parseMatch(raw: unknown, path: NodePath): MatchBlock {
  const m = obj(raw, path);
  const out: MatchBlock = {};
  for (const key of ["any", "all"] as const) {
    const list = m[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new FieldError([...path, key], "expected a list");
    out[key] = list.map((f, i) => parseFilter(f, [...path, key, i]));
  }
  if (
    m.resources !== undefined ||
    m.subjects !== undefined ||
    m.roles !== undefined ||
    m.clusterRoles !== undefined
  ) {
    if (out.any || out.all) throw new FieldError(path, "use either any/all or resources, not both");
    out.all = [parseFilter(m, path)];
  }
  if (!out.any && !out.all) throw new FieldError(path, "expected any, all or resources");
  return out;
}

function parseFilter(raw: unknown, path: NodePath): ResourceFilter {
  const f = obj(raw, path);
  const userInfo =
    (Array.isArray(f.subjects) && f.subjects.length > 0) ||
    (Array.isArray(f.roles) && f.roles.length > 0) ||
    (Array.isArray(f.clusterRoles) && f.clusterRoles.length > 0);
  const out: ResourceFilter = { userInfo };
  const res = optObj(f.resources, [...path, "resources"]);
  if (res) out.resources = parseDescription(res, [...path, "resources"]);
  return out;
}

function parseDescription(r: Record<string, unknown>, path: NodePath): ResourceDescription {
  const d: ResourceDescription = {};
  const kinds = strList(r.kinds, [...path, "kinds"]);
  if (kinds) d.kinds = kinds;
  const names = strList(r.names, [...path, "names"]) ?? [];
  const single = optStr(r.name, [...path, "name"]);
  if (single) names.push(single);
  if (names.length > 0) d.names = names;
  const namespaces = strList(r.namespaces, [...path, "namespaces"]);
  if (namespaces) d.namespaces = namespaces;
  const annotations = strMap(r.annotations, [...path, "annotations"]);
  if (annotations) d.annotations = annotations;
  const operations = strList(r.operations, [...path, "operations"]);
  if (operations) d.operations = operations;
  if (r.selector !== undefined && r.selector !== null)
    d.selector = parseSelector(r.selector, [...path, "selector"]);
  if (r.namespaceSelector !== undefined && r.namespaceSelector !== null) {
    d.namespaceSelector = parseSelector(r.namespaceSelector, [...path, "namespaceSelector"]);
  }
  return d;
}

function parseSelector(raw: unknown, path: NodePath): LabelSelector {
  const s = obj(raw, path);
  const out: LabelSelector = {};
  const labels = strMap(s.matchLabels, [...path, "matchLabels"]);
  if (labels) out.matchLabels = labels;
  if (s.matchExpressions !== undefined && s.matchExpressions !== null) {
    if (!Array.isArray(s.matchExpressions))
      throw new FieldError([...path, "matchExpressions"], "expected a list");
    out.matchExpressions = s.matchExpressions.map((e, i) => {
      const p: NodePath = [...path, "matchExpressions", i];
      const x = obj(e, p);
      const operator = str(x.operator, [...p, "operator"]);
      if (!SELECTOR_OPERATORS.has(operator)) {
        throw new FieldError(
          [...p, "operator"],
          `expected In, NotIn, Exists or DoesNotExist, found ${operator}`,
        );
      }
      const values = strList(x.values, [...p, "values"]);
      return { key: str(x.key, [...p, "key"]), operator, ...(values ? { values } : {}) };
    });
  }
  return out;
}

function parseValidate(raw: unknown, path: NodePath, unsupported: (why: string) => void): ValidateBlock {
  const v = obj(raw, path);
  const out: ValidateBlock = {};
  const message = v.message;
  if (message !== undefined && message !== null) {
    if (typeof message !== "string") throw new FieldError([...path, "message"], "expected a string");
    out.message = message;
  }
  const fa = action(v.failureAction, [...path, "failureAction"]);
  if (fa) out.failureAction = fa;
  const kinds = [
    "pattern",
    "anyPattern",
    "deny",
    "foreach",
    "podSecurity",
    "cel",
    "manifests",
    "assert",
  ].filter((k) => v[k] !== undefined && v[k] !== null);
  if (kinds.length !== 1) {
    throw new FieldError(
      path,
      `validate needs exactly one of pattern, anyPattern, deny, foreach, podSecurity, cel, manifests, assert (found ${kinds.join(", ") || "none"})`,
    );
  }
  const k = kinds[0]!;
  if (k === "pattern") {
    if (!isObj(v.pattern)) throw new FieldError([...path, "pattern"], "expected a mapping");
    out.pattern = v.pattern;
  } else if (k === "anyPattern") {
    if (!Array.isArray(v.anyPattern) || v.anyPattern.length === 0) {
      throw new FieldError([...path, "anyPattern"], "expected a non-empty list of patterns");
    }
    v.anyPattern.forEach((p, i) => {
      if (!isObj(p)) throw new FieldError([...path, "anyPattern", i], "expected a mapping");
    });
    out.anyPattern = v.anyPattern;
  } else if (k === "deny") {
    const deny = obj(v.deny, [...path, "deny"]);
    out.deny =
      deny.conditions === undefined || deny.conditions === null
        ? { all: [] }
        : parseConditions(deny.conditions, [...path, "deny", "conditions"]);
  } else if (k === "foreach") {
    out.foreach = parseForeach(v.foreach, [...path, "foreach"], unsupported);
  } else {
    unsupported(`validate.${k}`);
  }
  return out;
}

function parseForeach(raw: unknown, path: NodePath, unsupported: (why: string) => void): ForeachBlock[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new FieldError(path, "expected a non-empty list");
  return raw.map((entry, i) => {
    const p: NodePath = [...path, i];
    const f = obj(entry, p);
    const list = str(f.list, [...p, "list"]);
    const out: ForeachBlock = { list };
    if (f.elementScope !== undefined && f.elementScope !== null) {
      if (typeof f.elementScope !== "boolean")
        throw new FieldError([...p, "elementScope"], "expected true or false");
      out.elementScope = f.elementScope;
    }
    if (f.preconditions !== undefined && f.preconditions !== null) {
      out.preconditions = parseConditions(f.preconditions, [...p, "preconditions"]);
    }
    if (f.context !== undefined && f.context !== null) unsupported("context entries in validate.foreach");
    const kinds = ["pattern", "anyPattern", "deny", "foreach"].filter(
      (k) => f[k] !== undefined && f[k] !== null,
    );
    if (kinds.length !== 1) {
      throw new FieldError(
        p,
        `a foreach entry needs exactly one of pattern, anyPattern, deny, foreach (found ${kinds.join(", ") || "none"})`,
      );
    }
    const k = kinds[0]!;
    if (k === "pattern") {
      if (!isObj(f.pattern) && !Array.isArray(f.pattern))
        throw new FieldError([...p, "pattern"], "expected a mapping");
      out.pattern = f.pattern;
    } else if (k === "anyPattern") {
      if (!Array.isArray(f.anyPattern) || f.anyPattern.length === 0) {
        throw new FieldError([...p, "anyPattern"], "expected a non-empty list of patterns");
      }
      out.anyPattern = f.anyPattern;
    } else if (k === "deny") {
      const deny = obj(f.deny, [...p, "deny"]);
      out.deny =
        deny.conditions === undefined || deny.conditions === null
          ? { all: [] }
          : parseConditions(deny.conditions, [...p, "deny", "conditions"]);
    } else {
      unsupported("nested validate.foreach");
    }
    return out;
  });
}

function parseConditions(raw: unknown, path: NodePath): ConditionBlock {
  if (Array.isArray(raw)) return { all: raw.map((c, i) => parseCondition(c, [...path, i])) };
  const o = obj(raw, path);
  const extra = Object.keys(o).filter((k) => k !== "any" && k !== "all");
  if (extra.length > 0)
    throw new FieldError([...path, extra[0]!], `unknown field ${extra[0]} (expected any or all)`);
  const out: ConditionBlock = {};
  for (const key of ["any", "all"] as const) {
    const list = o[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new FieldError([...path, key], "expected a list of conditions");
    out[key] = list.map((c, i) => parseCondition(c, [...path, key, i]));
  }
  return out;
}

function parseCondition(raw: unknown, path: NodePath): Condition {
  const c = obj(raw, path);
  if (!("key" in c)) throw new FieldError([...path, "key"], "a condition needs a key");
  const opRaw = str(c.operator, [...path, "operator"]);
  const op = LEGACY_OPERATORS[opRaw] ?? (CONDITION_OPERATORS as readonly string[]).find((o) => o === opRaw);
  if (!op)
    throw new FieldError(
      [...path, "operator"],
      `unknown operator ${opRaw} (expected one of ${CONDITION_OPERATORS.join(", ")})`,
    );
  const out: Condition = { key: c.key, operator: op as ConditionOperator, value: c.value ?? null };
  if (typeof c.message === "string") out.message = c.message;
  return out;
}
