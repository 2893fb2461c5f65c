import { parseQuantity } from "../util/parse-quantity.js";
import { matchWildcard } from "./match-wildcard.js";
import { parseGoDuration } from "./parse-go-duration.js";
import { substituteVariables, type VariableContext } from "./substitute-variables.js";

/** Operators of Kyverno conditions (preconditions and `deny.conditions`). */
export const CONDITION_OPERATORS = [
  "Equals",
  "NotEquals",
  "In",
  "NotIn",
  "AnyIn",
  "AllIn",
  "AnyNotIn",
  "AllNotIn",
  "GreaterThan",
  "GreaterThanOrEquals",
  "LessThan",
  "LessThanOrEquals",
  "DurationGreaterThan",
  "DurationGreaterThanOrEquals",
  "DurationLessThan",
  "DurationLessThanOrEquals",
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** One `key` / `operator` / `value` condition. */
export interface Condition {
  key: unknown;
  operator: ConditionOperator;
  value: unknown;
  message?: string;
}

/** `any` (one must hold) and `all` (every one must hold); a legacy plain list is `all`. */
export interface ConditionBlock {
  any?: Condition[];
  all?: Condition[];
}

export type ConditionsOutcome =
  | { ok: true; holds: boolean }
  | { ok: false; kind: "unsupported" | "error"; message: string };

/** Evaluates a Kyverno condition block: true when every `all` condition and at least one `any` holds. */
export function evaluateConditions(block: ConditionBlock, ctx: VariableContext): ConditionsOutcome {
  if (block.all) {
    for (const c of block.all) {
      const r = evaluateCondition(c, ctx);
      if (!r.ok || !r.holds) return r;
    }
  }
  if (block.any && block.any.length > 0) {
    let anyHolds = false;
    for (const c of block.any) {
      const r = evaluateCondition(c, ctx);
      if (!r.ok) return r;
      if (r.holds) {
        anyHolds = true;
        break;
      }
    }
    return { ok: true, holds: anyHolds };
  }
  return { ok: true, holds: true };
}

export function evaluateCondition(c: Condition, ctx: VariableContext): ConditionsOutcome {
  const key = substituteVariables(c.key, ctx);
  if (!key.ok) return key;
  const value = substituteVariables(c.value, ctx);
  if (!value.ok) return value;
  return { ok: true, holds: applyOperator(c.operator, key.value, value.value) };
}

/** The operator semantics of Kyverno's `pkg/engine/variables/operator`. */
export function applyOperator(op: ConditionOperator, key: unknown, value: unknown): boolean {
  switch (op) {
    case "Equals":
      return equals(key, value);
    case "NotEquals":
      return !equals(key, value);
    case "In":
      return asList(key).every((k) => asList(value).some((v) => equals(k, v)));
    case "NotIn":
      return !asList(key).every((k) => asList(value).some((v) => equals(k, v)));
    case "AnyIn":
      return asList(key).some((k) => inSet(k, value));
    case "AllIn":
      return asList(key).every((k) => inSet(k, value));
    case "AnyNotIn":
      return asList(key).some((k) => !inSet(k, value));
    case "AllNotIn":
      return asList(key).every((k) => !inSet(k, value));
    case "GreaterThan":
      return order(key, value, (c) => c > 0);
    case "GreaterThanOrEquals":
      return order(key, value, (c) => c >= 0);
    case "LessThan":
      return order(key, value, (c) => c < 0);
    case "LessThanOrEquals":
      return order(key, value, (c) => c <= 0);
    case "DurationGreaterThan":
      return durationOrder(key, value, (c) => c > 0);
    case "DurationGreaterThanOrEquals":
      return durationOrder(key, value, (c) => c >= 0);
    case "DurationLessThan":
      return durationOrder(key, value, (c) => c < 0);
    case "DurationLessThanOrEquals":
      return durationOrder(key, value, (c) => c <= 0);
  }
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

const RANGE = /^(-?\d+(?:\.\d+)?)-(-?\d+(?:\.\d+)?)$/;

/** Membership for AnyIn/AllIn/…: values may be wildcards and numeric ranges like `8000-9000`. */
function inSet(k: unknown, value: unknown): boolean {
  return asList(value).some((v) => {
    if (typeof v === "string" && (typeof k === "number" || typeof k === "string")) {
      const r = RANGE.exec(v);
      const n = Number(k);
      if (r && Number.isFinite(n) && String(k).trim() !== "") return n >= Number(r[1]) && n <= Number(r[2]);
    }
    return equals(k, v);
  });
}

function equals(key: unknown, value: unknown): boolean {
  if (typeof key === "string" && typeof value === "string") {
    if (matchWildcard(value, key)) return true;
    const kd = parseGoDuration(key);
    const vd = parseGoDuration(value);
    if (kd !== undefined && vd !== undefined) return kd === vd;
    const kq = parseQuantity(key);
    const vq = parseQuantity(value);
    return kq !== undefined && vq !== undefined && kq === vq;
  }
  if (typeof key === "number" || typeof value === "number") {
    const a = toNumber(key);
    const b = toNumber(value);
    return a !== undefined && b !== undefined && a === b;
  }
  return deepEqual(key, value);
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function order(key: unknown, value: unknown, test: (cmp: number) => boolean): boolean {
  const a = toNumber(key);
  const b = toNumber(value);
  if (a !== undefined && b !== undefined) return test(Math.sign(a - b));
  if (typeof key === "string" && typeof value === "string") {
    const kd = parseGoDuration(key);
    const vd = parseGoDuration(value);
    if (kd !== undefined && vd !== undefined) return test(Math.sign(kd - vd));
    const kq = parseQuantity(key);
    const vq = parseQuantity(value);
    if (kq !== undefined && vq !== undefined) return test(Math.sign(kq - vq));
  }
  if (typeof key === "number" && typeof value === "string") {
    const vq = parseQuantity(value);
    if (vq !== undefined) return test(Math.sign(key - vq));
  }
  return false;
}

function durationOrder(key: unknown, value: unknown, test: (cmp: number) => boolean): boolean {
  // Numbers count as seconds, like Kyverno's deprecated Duration* operators.
  const a = typeof key === "number" ? key * 1000 : typeof key === "string" ? parseGoDuration(key) : undefined;
  const b =
    typeof value === "number" ? value * 1000 : typeof value === "string" ? parseGoDuration(value) : undefined;
  return a !== undefined && b !== undefined && test(Math.sign(a - b));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}
