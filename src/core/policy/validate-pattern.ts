import { matchValue } from "./match-value.js";
import { hasWildcard, matchWildcard } from "./match-wildcard.js";

/** A path into the resource, as keys and array indexes. */
export type NodePath = (string | number)[];

/** The outcome of checking a resource against one Kyverno `pattern`. */
export type PatternOutcome =
  | { kind: "pass" }
  /** A conditional `()` or global `<()` anchor did not hold: the rule does not apply. */
  | { kind: "skip"; anchor: "conditional" | "global"; path: NodePath; message: string }
  | { kind: "fail"; path: NodePath; message: string };

type AnchorKind = "condition" | "global" | "existence" | "equality" | "negation" | "add" | "none";

interface Entry {
  key: string;
  anchor: AnchorKind;
  pattern: unknown;
}

const ANCHOR = /^([+<=X^]?)\((.+)\)$/;

/** Splits `=(name)` into its anchor kind and key (Kyverno's `anchor.Parse`). */
export function parseAnchor(key: string): { anchor: AnchorKind; key: string } {
  const m = ANCHOR.exec(key);
  if (!m) return { anchor: "none", key };
  const mod = m[1];
  const anchor: AnchorKind =
    mod === ""
      ? "condition"
      : mod === "<"
        ? "global"
        : mod === "^"
          ? "existence"
          : mod === "="
            ? "equality"
            : mod === "X"
              ? "negation"
              : "add";
  return { anchor, key: m[2]! };
}

/** Phase order inside one map: conditions decide first, then anchored checks, then plain keys. */
const ORDER: Record<AnchorKind, number> = {
  global: 0,
  condition: 1,
  existence: 2,
  equality: 2,
  negation: 2,
  add: 2,
  none: 3,
};

/** Compiled map patterns, keyed by the pattern object (patterns are reused across thousands of resources). */
const compiled = new WeakMap<object, { entries: Entry[]; wildcard: boolean }>();

function entriesOf(pattern: Record<string, unknown>): { entries: Entry[]; wildcard: boolean } {
  let c = compiled.get(pattern);
  if (c) return c;
  const entries = Object.entries(pattern).map(([raw, value]) => {
    const { anchor, key } = parseAnchor(raw);
    return { key, anchor, pattern: value };
  });
  // Plain keys whose value holds anchors go first (Kyverno's getSortedNestedAnchorResource), so a skipped
  // array of containers short-circuits before sibling checks.
  entries.sort(
    (a, b) =>
      ORDER[a.anchor] - ORDER[b.anchor] ||
      (a.anchor === "none" ? Number(containsAnchor(b.pattern)) - Number(containsAnchor(a.pattern)) : 0),
  );
  c = { entries, wildcard: entries.some((e) => hasWildcard(e.key)) };
  compiled.set(pattern, c);
  return c;
}

function containsAnchor(p: unknown): boolean {
  if (Array.isArray(p)) return p.some(containsAnchor);
  if (p && typeof p === "object") {
    return Object.entries(p).some(([k, v]) => ANCHOR.test(k) || containsAnchor(v));
  }
  return false;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Checks a resource against a Kyverno validate `pattern` with Kyverno's anchor semantics:
 * `(key)` conditional (mismatch or absent key ⇒ skip), `<(key)` global (mismatch ⇒ the whole rule skips),
 * `=(key)` equality (checked only when present), `^(key)` existence (some list element matches),
 * `X(key)` negation (key must be absent). In lists of maps every element is checked; elements whose
 * conditions do not hold are skipped, and when all are skipped the skip propagates.
 */
export function validatePattern(resource: unknown, pattern: unknown): PatternOutcome {
  return element(resource, pattern, []);
}

function element(resource: unknown, pattern: unknown, path: NodePath): PatternOutcome {
  if (Array.isArray(pattern)) {
    if (!Array.isArray(resource)) {
      return fail(path, `expected a list at ${pointer(path)}, found ${describe(resource)}`);
    }
    return array(resource, pattern, path);
  }
  if (isMap(pattern)) {
    if (!isMap(resource))
      return fail(path, `expected a map at ${pointer(path)}, found ${describe(resource)}`);
    return map(resource, pattern, path);
  }
  if (Array.isArray(resource)) {
    for (const [i, item] of resource.entries()) {
      if (!matchValue(item, pattern)) {
        return fail(
          [...path, i],
          `value ${show(item)} does not match ${show(pattern)} at ${pointer([...path, i])}`,
        );
      }
    }
    return { kind: "pass" };
  }
  if (!matchValue(resource, pattern)) {
    return fail(path, `value ${show(resource)} does not match ${show(pattern)} at ${pointer(path)}`);
  }
  return { kind: "pass" };
}

function map(
  resource: Record<string, unknown>,
  pattern: Record<string, unknown>,
  path: NodePath,
): PatternOutcome {
  const { entries, wildcard } = entriesOf(pattern);
  const list = wildcard ? expandWildcardKeys(entries, resource) : entries;
  for (const e of list) {
    const out = entry(resource, e, path);
    if (out.kind !== "pass") return out;
  }
  return { kind: "pass" };
}

/** `X(app.kubernetes.io/*)`: a wildcard key stands for every resource key it matches. */
function expandWildcardKeys(entries: Entry[], resource: Record<string, unknown>): Entry[] {
  const out: Entry[] = [];
  for (const e of entries) {
    if (!hasWildcard(e.key)) {
      out.push(e);
      continue;
    }
    const keys = Object.keys(resource).filter((k) => matchWildcard(e.key, k));
    if (keys.length === 0) out.push(e);
    for (const k of keys) out.push({ ...e, key: k });
  }
  return out;
}

function entry(resource: Record<string, unknown>, e: Entry, path: NodePath): PatternOutcome {
  const here = [...path, e.key];
  const present = Object.hasOwn(resource, e.key);
  const value = present ? resource[e.key] : undefined;
  switch (e.anchor) {
    case "negation":
      return present ? fail(here, `${pointer(here)} is not allowed`) : { kind: "pass" };
    case "equality":
      return present ? element(value, e.pattern, here) : { kind: "pass" };
    case "condition": {
      if (!present) {
        return {
          kind: "skip",
          anchor: "conditional",
          path: here,
          message: `conditional anchor key ${e.key} is absent`,
        };
      }
      const out = element(value, e.pattern, here);
      if (out.kind === "pass") return out;
      return {
        kind: "skip",
        anchor: "conditional",
        path: here,
        message: `conditional anchor mismatch: ${out.message}`,
      };
    }
    case "global": {
      if (!present) return { kind: "pass" };
      const out = element(value, e.pattern, here);
      if (out.kind === "pass") return out;
      return {
        kind: "skip",
        anchor: "global",
        path: here,
        message: `global anchor mismatch: ${out.message}`,
      };
    }
    case "existence": {
      if (!present) return { kind: "pass" };
      if (!Array.isArray(value)) {
        return fail(here, `existence anchor ^(${e.key}) needs a list, found ${describe(value)}`);
      }
      if (!Array.isArray(e.pattern)) return fail(here, `existence anchor ^(${e.key}) needs a list pattern`);
      for (const p of e.pattern) {
        const ok = value.some((item, i) => element(item, p, [...here, i]).kind === "pass");
        if (!ok) return fail(here, `no element of ${pointer(here)} matches the existence anchor ^(${e.key})`);
      }
      return { kind: "pass" };
    }
    case "add":
      // `+()` only means something in mutate patches; in a validate pattern it checks nothing.
      return { kind: "pass" };
    case "none": {
      if (e.pattern === "*") {
        return value === null || value === undefined
          ? fail(here, `field ${pointer(here)} is required`)
          : { kind: "pass" };
      }
      if (!present && (isMap(e.pattern) || Array.isArray(e.pattern))) {
        return fail(here, `field ${pointer(here)} is required`);
      }
      return element(value, e.pattern, here);
    }
  }
}

function array(resource: unknown[], pattern: unknown[], path: NodePath): PatternOutcome {
  if (pattern.length === 0) return fail(path, `empty list pattern at ${pointer(path)}`);
  const first = pattern[0];
  if (isMap(first)) return eachElement(resource, (item, i) => element(item, first, [...path, i]), path);
  if (!Array.isArray(first)) return element(resource, first, path);
  if (resource.length < pattern.length) {
    return fail(path, `list at ${pointer(path)} has ${resource.length} items, the pattern ${pattern.length}`);
  }
  return eachElement(
    pattern.map((_, i) => resource[i]),
    (item, i) => element(item, pattern[i], [...path, i]),
    path,
  );
}

function eachElement(
  items: unknown[],
  check: (item: unknown, i: number) => PatternOutcome,
  path: NodePath,
): PatternOutcome {
  let applied = 0;
  let lastSkip: PatternOutcome | undefined;
  for (const [i, item] of items.entries()) {
    const out = check(item, i);
    if (out.kind === "fail") return out;
    if (out.kind === "skip") lastSkip = out;
    else applied++;
  }
  if (applied === 0 && lastSkip?.kind === "skip") return { ...lastSkip, path };
  return { kind: "pass" };
}

function fail(path: NodePath, message: string): PatternOutcome {
  return { kind: "fail", path, message };
}

/** Kyverno's path notation: `/spec/containers/0/image/`. */
export function pointer(path: NodePath): string {
  return path.length === 0 ? "/" : `/${path.join("/")}/`;
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "a map" : `${typeof v} ${show(v)}`;
}

function show(v: unknown): string {
  if (v === undefined) return "(absent)";
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
