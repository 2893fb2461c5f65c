import { parse as parseYamlText } from "yaml";
import { matchWildcard } from "./match-wildcard.js";

/** A node of the AST that `jmespath.compile` returns. */
export interface JmesNode {
  type: string;
  name?: string;
  value?: unknown;
  children?: (JmesNode | number | null)[];
}

type Fn = (args: unknown[], expref: (node: unknown, value: unknown) => unknown) => unknown;

class JmesError extends Error {
  override name = "JmesError";
}

/**
 * Evaluates a compiled JMESPath AST with the standard functions plus the Kyverno extensions policies use
 * most (`to_upper`, `split`, `regex_match`, `truncate`, `label_match`, arithmetic, …). The `jmespath` package
 * has no way to add functions, so expressions that call a Kyverno function are evaluated here; all others
 * keep using the package.
 */
export function evaluateJmespath(ast: JmesNode, data: unknown): unknown {
  return visit(ast, data);
}

/** Names this evaluator knows beyond the JMESPath specification. */
export function isKyvernoFunction(name: string): boolean {
  return Object.hasOwn(KYVERNO, name);
}

function visit(node: JmesNode, value: unknown): unknown {
  const kids = (node.children ?? []) as JmesNode[];
  switch (node.type) {
    case "Field":
      return isObject(value) ? (value[node.name!] ?? null) : null;
    case "Subexpression": {
      let r = visit(kids[0]!, value);
      for (let i = 1; i < kids.length && r !== null; i++) r = visit(kids[i]!, r);
      return r;
    }
    case "IndexExpression":
      return visit(kids[1]!, visit(kids[0]!, value));
    case "Index": {
      if (!Array.isArray(value)) return null;
      const i = node.value as number;
      return value[i < 0 ? value.length + i : i] ?? null;
    }
    case "Slice": {
      if (!Array.isArray(value)) return null;
      const [start, stop, step] = node.children as (number | null)[];
      return slice(value, start ?? null, stop ?? null, step ?? null);
    }
    case "Projection": {
      const base = visit(kids[0]!, value);
      if (!Array.isArray(base)) return null;
      return base.map((v) => visit(kids[1]!, v)).filter((v) => v !== null);
    }
    case "ValueProjection": {
      const base = visit(kids[0]!, value);
      if (!isObject(base)) return null;
      return Object.values(base)
        .map((v) => visit(kids[1]!, v))
        .filter((v) => v !== null);
    }
    case "FilterProjection": {
      const base = visit(kids[0]!, value);
      if (!Array.isArray(base)) return null;
      return base
        .filter((v) => !isFalse(visit(kids[2]!, v)))
        .map((v) => visit(kids[1]!, v))
        .filter((v) => v !== null);
    }
    case "Comparator": {
      const a = visit(kids[0]!, value);
      const b = visit(kids[1]!, value);
      switch (node.name) {
        case "EQ":
          return deepEqual(a, b);
        case "NE":
          return !deepEqual(a, b);
        default:
          if (typeof a !== "number" || typeof b !== "number") return null;
          return node.name === "GT"
            ? a > b
            : node.name === "GTE"
              ? a >= b
              : node.name === "LT"
                ? a < b
                : a <= b;
      }
    }
    case "Flatten": {
      const base = visit(kids[0]!, value);
      if (!Array.isArray(base)) return null;
      return base.flatMap((v) => (Array.isArray(v) ? v : [v]));
    }
    case "Identity":
    case "Current":
      return value;
    case "MultiSelectList":
      return value === null ? null : kids.map((k) => visit(k, value));
    case "MultiSelectHash":
      if (value === null) return null;
      return Object.fromEntries(kids.map((k) => [k.name!, visit(k.value as JmesNode, value)]));
    case "OrExpression": {
      const a = visit(kids[0]!, value);
      return isFalse(a) ? visit(kids[1]!, value) : a;
    }
    case "AndExpression": {
      const a = visit(kids[0]!, value);
      return isFalse(a) ? a : visit(kids[1]!, value);
    }
    case "NotExpression":
      return isFalse(visit(kids[0]!, value));
    case "Pipe":
      return visit(kids[1]!, visit(kids[0]!, value));
    case "Literal":
      return node.value ?? null;
    case "ExpressionReference":
      return { __expref: kids[0] };
    case "Function": {
      const args = kids.map((k) => visit(k, value));
      const fn = STANDARD[node.name!] ?? KYVERNO[node.name!];
      if (!fn) throw new JmesError(`unknown function ${node.name}()`);
      return fn(args, (ref, v) => visit((ref as { __expref: JmesNode }).__expref, v));
    }
    default:
      throw new JmesError(`unsupported JMESPath node ${node.type}`);
  }
}

function slice(arr: unknown[], start: number | null, stop: number | null, step: number | null): unknown[] {
  const s = step ?? 1;
  if (s === 0) throw new JmesError("slice step cannot be 0");
  const len = arr.length;
  const norm = (v: number | null, dflt: number) =>
    v === null ? dflt : v < 0 ? Math.max(len + v, s < 0 ? -1 : 0) : Math.min(v, s < 0 ? len - 1 : len);
  const from = norm(start, s > 0 ? 0 : len - 1);
  const to = norm(stop, s > 0 ? len : -1);
  const out: unknown[] = [];
  if (s > 0) for (let i = from; i < to; i += s) out.push(arr[i]);
  else for (let i = from; i > to; i += s) out.push(arr[i]);
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isFalse(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    v === false ||
    v === "" ||
    (Array.isArray(v) && v.length === 0) ||
    (isObject(v) && Object.keys(v).length === 0)
  );
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function str(v: unknown, fn: string): string {
  if (typeof v !== "string") throw new JmesError(`${fn}() expects a string, got ${JSON.stringify(v)}`);
  return v;
}

function num(v: unknown, fn: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  throw new JmesError(`${fn}() expects a number, got ${JSON.stringify(v)}`);
}

function arr(v: unknown, fn: string): unknown[] {
  if (!Array.isArray(v)) throw new JmesError(`${fn}() expects an array, got ${JSON.stringify(v)}`);
  return v;
}

const byKey = (fn: string, exp: (n: unknown, v: unknown) => unknown, ref: unknown) => (v: unknown) => {
  const k = exp(ref, v);
  if (typeof k !== "number" && typeof k !== "string")
    throw new JmesError(`${fn}() key must be a number or string`);
  return k;
};

const STANDARD: Record<string, Fn> = {
  abs: ([v]) => Math.abs(num(v, "abs")),
  avg: ([v]) => {
    const a = arr(v, "avg").map((x) => num(x, "avg"));
    return a.length === 0 ? null : a.reduce((s, x) => s + x, 0) / a.length;
  },
  ceil: ([v]) => Math.ceil(num(v, "ceil")),
  floor: ([v]) => Math.floor(num(v, "floor")),
  contains: ([subject, search]) =>
    typeof subject === "string"
      ? subject.includes(str(search, "contains"))
      : arr(subject, "contains").some((x) => deepEqual(x, search)),
  ends_with: ([s, suffix]) => str(s, "ends_with").endsWith(str(suffix, "ends_with")),
  starts_with: ([s, prefix]) => str(s, "starts_with").startsWith(str(prefix, "starts_with")),
  join: ([sep, list]) =>
    arr(list, "join")
      .map((x) => str(x, "join"))
      .join(str(sep, "join")),
  keys: ([o]) =>
    isObject(o)
      ? Object.keys(o)
      : (() => {
          throw new JmesError("keys() expects an object");
        })(),
  values: ([o]) =>
    isObject(o)
      ? Object.values(o)
      : (() => {
          throw new JmesError("values() expects an object");
        })(),
  length: ([v]) => {
    if (typeof v === "string") return [...v].length;
    if (Array.isArray(v)) return v.length;
    if (isObject(v)) return Object.keys(v).length;
    throw new JmesError("length() expects a string, array or object");
  },
  map: ([ref, list], exp) => arr(list, "map").map((v) => exp(ref, v)),
  max: ([v]) => {
    const a = arr(v, "max");
    // biome-ignore lint/complexity/useMathMinMax: JMESPath max() also takes strings, which Math.max cannot.
    return a.length === 0 ? null : a.reduce((m, x) => ((x as number) > (m as number) ? x : m));
  },
  min: ([v]) => {
    const a = arr(v, "min");
    // biome-ignore lint/complexity/useMathMinMax: JMESPath min() also takes strings, which Math.min cannot.
    return a.length === 0 ? null : a.reduce((m, x) => ((x as number) < (m as number) ? x : m));
  },
  max_by: ([list, ref], exp) => {
    const a = arr(list, "max_by");
    const key = byKey("max_by", exp, ref);
    return a.length === 0 ? null : a.reduce((m, x) => (key(x) > key(m) ? x : m));
  },
  min_by: ([list, ref], exp) => {
    const a = arr(list, "min_by");
    const key = byKey("min_by", exp, ref);
    return a.length === 0 ? null : a.reduce((m, x) => (key(x) < key(m) ? x : m));
  },
  merge: (args) => Object.assign({}, ...args.map((o) => (isObject(o) ? o : {}))),
  not_null: (args) => args.find((a) => a !== null && a !== undefined) ?? null,
  reverse: ([v]) => (typeof v === "string" ? [...v].reverse().join("") : [...arr(v, "reverse")].reverse()),
  sort: ([v]) =>
    [...arr(v, "sort")].sort((a, b) =>
      (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0,
    ),
  sort_by: ([list, ref], exp) => {
    const key = byKey("sort_by", exp, ref);
    return [...arr(list, "sort_by")].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  },
  sum: ([v]) => arr(v, "sum").reduce((s: number, x) => s + num(x, "sum"), 0),
  to_array: ([v]) => (Array.isArray(v) ? v : [v]),
  to_number: ([v]) => {
    if (typeof v === "number") return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return null;
  },
  to_string: ([v]) => (typeof v === "string" ? v : JSON.stringify(v)),
  type: ([v]) =>
    v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "object" ? "object" : typeof v,
};

/** Kyverno's JMESPath extensions (kyverno.io/docs/policy-types/cluster-policy/jmespath) that need no cluster. */
const KYVERNO: Record<string, Fn> = {
  to_upper: ([s]) => str(s, "to_upper").toUpperCase(),
  to_lower: ([s]) => str(s, "to_lower").toLowerCase(),
  split: ([s, sep]) => str(s, "split").split(str(sep, "split")),
  trim: ([s, cut]) => {
    const chars = new Set(str(cut, "trim"));
    const t = [...str(s, "trim")];
    let a = 0;
    let b = t.length;
    while (a < b && chars.has(t[a]!)) a++;
    while (b > a && chars.has(t[b - 1]!)) b--;
    return t.slice(a, b).join("");
  },
  trim_prefix: ([s, p]) => {
    const v = str(s, "trim_prefix");
    const pre = str(p, "trim_prefix");
    return v.startsWith(pre) ? v.slice(pre.length) : v;
  },
  truncate: ([s, n]) => [...str(s, "truncate")].slice(0, Math.max(0, num(n, "truncate"))).join(""),
  replace: ([s, from, to, n]) => {
    let v = str(s, "replace");
    const f = str(from, "replace");
    const t = str(to, "replace");
    let count = num(n, "replace");
    if (count < 0) return v.split(f).join(t);
    let out = "";
    while (count-- > 0) {
      const i = v.indexOf(f);
      if (i < 0) break;
      out += v.slice(0, i) + t;
      v = v.slice(i + f.length);
    }
    return out + v;
  },
  replace_all: ([s, from, to]) =>
    str(s, "replace_all").split(str(from, "replace_all")).join(str(to, "replace_all")),
  equal_fold: ([a, b]) => str(a, "equal_fold").toLowerCase() === str(b, "equal_fold").toLowerCase(),
  compare: ([a, b]) => {
    const x = str(a, "compare");
    const y = str(b, "compare");
    return x < y ? -1 : x > y ? 1 : 0;
  },
  regex_match: ([re, s]) =>
    new RegExp(str(re, "regex_match")).test(typeof s === "number" ? String(s) : str(s, "regex_match")),
  regex_replace_all: ([re, s, repl]) =>
    (typeof s === "number" ? String(s) : str(s, "regex_replace_all")).replace(
      new RegExp(str(re, "regex_replace_all"), "g"),
      str(repl, "regex_replace_all").replace(/\$\{?(\d+)\}?/g, "$$$1"),
    ),
  regex_replace_all_literal: ([re, s, repl]) =>
    (typeof s === "number" ? String(s) : str(s, "regex_replace_all_literal")).replace(
      new RegExp(str(re, "regex_replace_all_literal"), "g"),
      () => str(repl, "regex_replace_all_literal"),
    ),
  pattern_match: ([p, s]) =>
    matchWildcard(str(p, "pattern_match"), typeof s === "number" ? String(s) : str(s, "pattern_match")),
  label_match: ([selector, labels]) => {
    if (!isObject(selector) || !isObject(labels)) throw new JmesError("label_match() expects two objects");
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
  },
  base64_decode: ([s]) => Buffer.from(str(s, "base64_decode"), "base64").toString("utf8"),
  base64_encode: ([s]) => Buffer.from(str(s, "base64_encode"), "utf8").toString("base64"),
  parse_json: ([s]) => JSON.parse(str(s, "parse_json")) as unknown,
  parse_yaml: ([s]) => (parseYamlText(str(s, "parse_yaml"), { maxAliasCount: 100 }) as unknown) ?? null,
  add: ([a, b]) => num(a, "add") + num(b, "add"),
  subtract: ([a, b]) => num(a, "subtract") - num(b, "subtract"),
  multiply: ([a, b]) => num(a, "multiply") * num(b, "multiply"),
  divide: ([a, b]) => {
    const d = num(b, "divide");
    if (d === 0) throw new JmesError("divide() by zero");
    return num(a, "divide") / d;
  },
  modulo: ([a, b]) => {
    const d = num(b, "modulo");
    if (d === 0) throw new JmesError("modulo() by zero");
    return num(a, "modulo") % d;
  },
  round: ([v, digits]) => {
    const f = 10 ** num(digits, "round");
    return Math.round(num(v, "round") * f) / f;
  },
  items: ([o, k, v]) => {
    const kn = str(k, "items");
    const vn = str(v, "items");
    if (Array.isArray(o)) return o.map((x, i) => ({ [kn]: i, [vn]: x }));
    if (!isObject(o)) throw new JmesError("items() expects an object or array");
    return Object.keys(o)
      .sort()
      .map((key) => ({ [kn]: key, [vn]: o[key] }));
  },
  object_from_lists: ([ks, vs]) => {
    const k = arr(ks, "object_from_lists");
    const v = arr(vs, "object_from_lists");
    return Object.fromEntries(k.map((key, i) => [str(key, "object_from_lists"), v[i] ?? null]));
  },
  path_canonicalize: ([s]) => {
    const parts: string[] = [];
    const p = str(s, "path_canonicalize");
    for (const seg of p.split("/")) {
      if (seg === "" || seg === ".") continue;
      if (seg === "..") parts.pop();
      else parts.push(seg);
    }
    return `${p.startsWith("/") ? "/" : ""}${parts.join("/")}` || ".";
  },
};
