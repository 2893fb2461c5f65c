import { parseQuantity } from "../util/parse-quantity.js";
import { matchWildcard } from "./match-wildcard.js";
import { parseGoDuration } from "./parse-go-duration.js";

type Op = "=" | "!" | ">" | "<" | ">=" | "<=";

const IN_RANGE = /^(\d+(?:\.\d+)?[^-!]*)-(\d+(?:\.\d+)?[^-]*)$/;
const NOT_IN_RANGE = /^(\d+(?:\.\d+)?[^-!]*)!-(\d+(?:\.\d+)?[^-]*)$/;

/**
 * Whether a resource value matches a leaf of a Kyverno `pattern` (Kyverno's `pattern.Validate`): booleans and
 * numbers compare by value, `null` matches zero values, strings are expressions with `|` (or), `&` (and),
 * operators `>` `<` `>=` `<=` `!`, ranges `1-10` (inside) and `1!-10` (outside), and wildcards `*` `?`.
 * Numeric operators compare durations first, then Kubernetes quantities, as Kyverno does.
 */
export function matchValue(value: unknown, pattern: unknown): boolean {
  if (typeof pattern === "boolean") return typeof value === "boolean" && value === pattern;
  if (typeof pattern === "number") return matchNumber(value, pattern);
  if (pattern === null || pattern === undefined) return matchNil(value);
  if (typeof pattern === "string") return matchStringExpression(value, pattern);
  if (typeof pattern === "object" && !Array.isArray(pattern)) {
    // A map pattern at a leaf only checks that the value is a map (Kyverno's validateMapPattern).
    return typeof value === "object" && value !== null && !Array.isArray(value);
  }
  return false;
}

function matchNumber(value: unknown, pattern: number): boolean {
  if (typeof value === "number") return value === pattern;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    return Number.isFinite(n) && n === pattern;
  }
  return false;
}

function matchNil(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "number") return value === 0;
  if (typeof value === "string") return value === "";
  if (typeof value === "boolean") return !value;
  return false;
}

export function matchStringExpression(value: unknown, pattern: string): boolean {
  if (value === pattern) return true;
  for (const alt of pattern.split("|")) {
    const all = alt.trim().split("&");
    if (all.every((cond) => matchCondition(value, cond.trim()))) return true;
  }
  return false;
}

function matchCondition(value: unknown, cond: string): boolean {
  const inRange = IN_RANGE.exec(cond);
  if (inRange) return compare(value, inRange[1]!.trim(), ">=") && compare(value, inRange[2]!.trim(), "<=");
  const notInRange = NOT_IN_RANGE.exec(cond);
  if (notInRange) {
    return compare(value, notInRange[1]!.trim(), "<") || compare(value, notInRange[2]!.trim(), ">");
  }
  const op = operatorOf(cond);
  return compare(value, cond.slice(op === "=" ? 0 : op.length).trim(), op);
}

function operatorOf(cond: string): Op {
  if (cond.length < 2) return "=";
  if (cond.startsWith(">=")) return ">=";
  if (cond.startsWith("<=")) return "<=";
  if (cond.startsWith(">")) return ">";
  if (cond.startsWith("<")) return "<";
  if (cond.startsWith("!")) return "!";
  return "=";
}

function compare(value: unknown, pattern: string, op: Op): boolean {
  // Kyverno converts a missing value to "0" before numeric comparison (so `<5` accepts an absent field).
  const text = numberText(value);
  if (text !== undefined) {
    const pd = parseGoDuration(pattern);
    const vd = pd === undefined ? undefined : parseGoDuration(text);
    if (pd !== undefined && vd !== undefined) return applyOp(vd, pd, op);
    const pq = parseQuantity(pattern);
    const vq = pq === undefined ? undefined : parseQuantity(text);
    if (pq !== undefined && vq !== undefined) return applyOp(vq, pq, op);
  }
  if (op !== "=" && op !== "!") return false;
  let str: string;
  if (typeof value === "string") str = value;
  else if (typeof value === "number" || typeof value === "boolean") str = String(value);
  else return false;
  const hit = matchWildcard(pattern, str);
  return op === "!" ? !hit : hit;
}

function numberText(value: unknown): string | undefined {
  if (value === null || value === undefined) return "0";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

function applyOp(a: number, b: number, op: Op): boolean {
  switch (op) {
    case "=":
      return a === b;
    case "!":
      return a !== b;
    case ">":
      return a > b;
    case "<":
      return a < b;
    case ">=":
      return a >= b;
    case "<=":
      return a <= b;
  }
}
