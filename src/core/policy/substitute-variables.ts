import * as jmespathModule from "jmespath";
import { evaluateJmespath, isKyvernoFunction, type JmesNode } from "./evaluate-jmespath.js";

// The package is CommonJS; `compile` exists at runtime but is missing from its type declarations.
const jmespath = jmespathModule as unknown as {
  search(data: unknown, expr: string): unknown;
  compile(expr: string): unknown;
};

/** The data Kyverno variables resolve against for one resource (`request.object`, `images`, …). */
export type VariableContext = Record<string, unknown>;

export type Substituted =
  | { ok: true; value: unknown }
  | { ok: false; kind: "unsupported" | "error"; message: string };

/** Functions of the JMESPath specification, which the `jmespath` package implements. */
const STANDARD_FUNCTIONS = new Set([
  "abs",
  "avg",
  "ceil",
  "contains",
  "ends_with",
  "floor",
  "join",
  "keys",
  "length",
  "map",
  "max",
  "max_by",
  "merge",
  "min",
  "min_by",
  "not_null",
  "reverse",
  "sort",
  "sort_by",
  "starts_with",
  "sum",
  "to_array",
  "to_number",
  "to_string",
  "type",
  "values",
]);

/** Variable roots we can fill from a manifest alone; others need a cluster or an admission request. */
const SUPPORTED_ROOTS = new Set(["request", "images", "element", "elementIndex"]);

const VARIABLE = /(^|[^\\])\{\{(.*?)\}\}/g;
const WHOLE = /^\{\{(.*?)\}\}$/s;

type AstNode = { type: string; name?: string; children?: AstNode[]; value?: unknown };

const checked = new Map<string, string | null>();
/** Expressions that call a Kyverno extension and so run on our own evaluator. */
const extended = new Set<string>();

/** Why an expression cannot be evaluated here (a Kyverno-only function, a context variable), or null. */
export function findUnsupportedExpression(expr: string): string | null {
  const hit = checked.get(expr);
  if (hit !== undefined) return hit;
  let reason: string | null = null;
  try {
    const ast = jmespath.compile(expr) as unknown as AstNode;
    const roots = new Set<string>();
    const functions = new Set<string>();
    walk(ast, true, roots, functions);
    const fn = [...functions].find((f) => !STANDARD_FUNCTIONS.has(f) && !isKyvernoFunction(f));
    const root = [...roots].find((r) => !SUPPORTED_ROOTS.has(r));
    if (fn) reason = `JMESPath function ${fn}() in {{${expr}}}`;
    else if ([...functions].some(isKyvernoFunction)) extended.add(expr);
    else if (root) reason = `variable ${root} in {{${expr}}} (context variables need a cluster)`;
  } catch (err) {
    reason = null;
    checked.set(expr, null);
    throw new Error(`invalid JMESPath {{${expr}}}: ${(err as Error).message}`);
  }
  if (checked.size > 5000) {
    checked.clear();
    extended.clear();
  }
  checked.set(expr, reason);
  return reason;
}

function walk(node: AstNode, top: boolean, roots: Set<string>, functions: Set<string>): void {
  const kids = node.children ?? [];
  switch (node.type) {
    case "Field":
      if (top && node.name) roots.add(node.name);
      return;
    case "Function":
      if (node.name) functions.add(node.name);
      for (const k of kids) walk(k, top, roots, functions);
      return;
    case "Subexpression":
    case "IndexExpression":
    case "Projection":
    case "ValueProjection":
    case "FilterProjection":
    case "Pipe":
      kids.forEach((k, i) => {
        walk(k, i === 0 ? top : false, roots, functions);
      });
      return;
    case "ExpressionReference":
      for (const k of kids) walk(k, false, roots, functions);
      return;
    case "KeyValuePair":
      if (node.value) walk(node.value as AstNode, top, roots, functions);
      return;
    default:
      for (const k of kids) walk(k, top, roots, functions);
  }
}

/** True when a value (string, list or map) contains a `{{ }}` variable. */
export function hasVariables(value: unknown): boolean {
  if (typeof value === "string") return value.includes("{{");
  if (Array.isArray(value)) return value.some(hasVariables);
  if (value && typeof value === "object") {
    return Object.entries(value).some(([k, v]) => k.includes("{{") || hasVariables(v));
  }
  return false;
}

/**
 * Replaces Kyverno `{{ expression }}` variables with their JMESPath values over `ctx`. A string that is exactly
 * one variable takes the value's type; otherwise values are interpolated as text. A variable that resolves to
 * null is an error, as in Kyverno (use `|| ''` for a default).
 */
export function substituteVariables(value: unknown, ctx: VariableContext): Substituted {
  if (typeof value === "string") return substituteString(value, ctx);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const r = substituteVariables(v, ctx);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return { ok: true, value: out };
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = substituteString(k, ctx);
      if (!key.ok) return key;
      const r = substituteVariables(v, ctx);
      if (!r.ok) return r;
      out[String(key.value)] = r.value;
    }
    return { ok: true, value: out };
  }
  return { ok: true, value };
}

function substituteString(text: string, ctx: VariableContext): Substituted {
  if (!text.includes("{{")) return { ok: true, value: text };
  const whole = WHOLE.exec(text.trim());
  if (whole && !whole[1]!.includes("{{") && !whole[1]!.includes("}}")) return resolve(whole[1]!.trim(), ctx);
  let failure: Substituted | undefined;
  const out = text.replace(VARIABLE, (_m, lead: string, expr: string) => {
    if (failure) return "";
    const r = resolve(expr.trim(), ctx);
    if (!r.ok) {
      failure = r;
      return "";
    }
    return lead + (typeof r.value === "string" ? r.value : JSON.stringify(r.value));
  });
  return failure ?? { ok: true, value: out };
}

/** Evaluates one JMESPath expression (no braces) over the context; `null` is a value here, not an error. */
export function evaluateExpression(expr: string, ctx: VariableContext): Substituted {
  return resolve(expr, ctx, true);
}

function resolve(expr: string, ctx: VariableContext, allowNull = false): Substituted {
  let unsupported: string | null;
  try {
    unsupported = findUnsupportedExpression(expr);
  } catch (err) {
    return { ok: false, kind: "error", message: (err as Error).message };
  }
  if (unsupported) return { ok: false, kind: "unsupported", message: unsupported };
  let v: unknown;
  try {
    v = extended.has(expr)
      ? evaluateJmespath(jmespath.compile(expr) as JmesNode, ctx)
      : (jmespath.search(ctx, expr) as unknown);
  } catch (err) {
    return { ok: false, kind: "error", message: `JMESPath {{${expr}}}: ${(err as Error).message}` };
  }
  if ((v === null || v === undefined) && !allowNull) {
    return { ok: false, kind: "error", message: `variable {{${expr}}} resolved to null` };
  }
  return { ok: true, value: v ?? null };
}

/** The `images` variable Kyverno builds from a Pod or Pod template: container name ⇒ parsed image reference. */
export function buildImagesVariable(object: Record<string, unknown>): Record<string, unknown> {
  const podSpec = findPodSpec(object);
  const out: Record<string, unknown> = {};
  if (!podSpec) return out;
  for (const group of ["containers", "initContainers", "ephemeralContainers"] as const) {
    const list = podSpec[group];
    if (!Array.isArray(list)) continue;
    const byName: Record<string, unknown> = {};
    for (const c of list) {
      const { name, image } = (c ?? {}) as { name?: unknown; image?: unknown };
      if (typeof image === "string" && typeof name === "string") {
        byName[name] = parseImageReference(image);
      }
    }
    if (Object.keys(byName).length > 0) out[group] = byName;
  }
  return out;
}

/** The Pod spec of a Pod, a Pod controller's template or a CronJob's job template. */
export function findPodSpec(object: Record<string, unknown>): Record<string, unknown> | undefined {
  const at = (v: unknown, key: string): unknown =>
    v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
  const spec = at(object, "spec");
  const podSpec =
    object.kind === "Pod"
      ? spec
      : object.kind === "CronJob"
        ? at(at(at(at(spec, "jobTemplate"), "spec"), "template"), "spec")
        : at(at(spec, "template"), "spec");
  return podSpec && typeof podSpec === "object" && !Array.isArray(podSpec)
    ? (podSpec as Record<string, unknown>)
    : undefined;
}

/** Splits an image reference the way Kyverno's `images` variable does (registry defaults to docker.io). */
export function parseImageReference(image: string): Record<string, string> {
  let rest = image;
  let digest = "";
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = "";
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf("/");
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  const hasRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = hasRegistry ? first : "docker.io";
  const path = hasRegistry ? rest.slice(slash + 1) : rest;
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (!tag && !digest) tag = "latest";
  const reference = `${registry}/${path}${tag ? `:${tag}` : ""}${digest ? `@${digest}` : ""}`;
  return { registry, path, name, tag, digest, reference };
}
