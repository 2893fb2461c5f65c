import { redactSecrets } from "./redact-secrets.js";
import { REDACTED, SENSITIVE_KEYS } from "./secret-patterns.js";

/** Deeper than this a log field is summarised: log data is never that deep on purpose. */
const MAX_DEPTH = 12;

/**
 * A copy of `value` safe to log: strings scrubbed with `redactSecrets`, fields with a sensitive name
 * (`authorization`, `privateKey`, `x-hub-signature-256`, …) withheld, errors turned into plain
 * `{ type, message, stack, … }` objects (scrubbed too), cycles cut. The input is never modified.
 */
export function redactValue(value: unknown): unknown {
  return walk(value, 0, new WeakSet());
}

function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.has(key.toLowerCase().replace(/[-_]/g, ""));
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return redactSecrets(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Truncated]";
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1, seen));
    if (value instanceof Error) return walkError(value, depth, seen);
    if (value instanceof Date) return value;
    if (value instanceof Map)
      return walkEntries(
        [...value.entries()].map(([k, v]) => [String(k), v]),
        depth,
        seen,
      );
    if (value instanceof Set) return [...value].map((v) => walk(v, depth + 1, seen));
    if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
    const proto = Object.getPrototypeOf(value);
    if (
      proto !== Object.prototype &&
      proto !== null &&
      typeof (value as { toJSON?: unknown }).toJSON === "function"
    ) {
      // URL, Buffer-likes and other classes log through toJSON: scrub what they would print.
      return walk((value as { toJSON(): unknown }).toJSON(), depth + 1, seen);
    }
    return walkEntries(Object.entries(value), depth, seen);
  } finally {
    seen.delete(value);
  }
}

function walkEntries(
  entries: [string, unknown][],
  depth: number,
  seen: WeakSet<object>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    out[k] =
      isSensitiveKey(k) && v !== undefined && v !== null && v !== "" ? REDACTED : walk(v, depth + 1, seen);
  }
  return out;
}

function walkError(err: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  // The same shape as pino's standard error serializer, so log consumers see no difference.
  const out: Record<string, unknown> = {
    type: err.constructor?.name ?? "Error",
    message: redactSecrets(err.message),
    stack: typeof err.stack === "string" ? redactSecrets(err.stack) : err.stack,
  };
  const own = walkEntries(Object.entries(err), depth, seen);
  for (const [k, v] of Object.entries(own)) if (!(k in out)) out[k] = v;
  if (err.cause !== undefined) out.cause = walk(err.cause, depth + 1, seen);
  if (err instanceof AggregateError) out.errors = walk(err.errors, depth + 1, seen);
  return out;
}
