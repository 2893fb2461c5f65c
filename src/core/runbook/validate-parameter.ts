import type { ParameterType } from "./runbook.js";

export type ValidateResult = { ok: true; value: string } | { ok: false; reason: string };

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/;

/** RFC 1123 label: lower-case alphanumerics and `-`, at most 63 characters (namespaces, pod names' parts). */
export function isDns1123Label(v: string): boolean {
  return v.length <= 63 && DNS1123_LABEL.test(v);
}

/** RFC 1123 subdomain: dot-separated labels, at most 253 characters (most object names). */
export function isDns1123Subdomain(v: string): boolean {
  return v.length > 0 && v.length <= 253 && v.split(".").every((l) => l.length > 0 && isDns1123Label(l));
}

/**
 * A path inside the repository, POSIX and relative. Refuses everything that could leave the root or
 * smuggle a traversal past a later decoder: `..` segments, absolute and drive paths, backslashes,
 * percent-encoding (`%2e%2e`, `%2f`), NUL and other control characters. Symlinks are the adapters' job:
 * they resolve real paths and refuse any that end outside the root.
 */
export function checkRepoPath(v: string): ValidateResult {
  if (v.length === 0) return { ok: false, reason: "empty path" };
  if (v.length > 1024) return { ok: false, reason: "path longer than 1024 characters" };
  if (/[\u0000-\u001f\u007f]/.test(v))
    return { ok: false, reason: "path contains a NUL or control character" };
  if (v.includes("%")) return { ok: false, reason: "percent-encoded characters are not allowed in paths" };
  if (v.includes("\\")) return { ok: false, reason: "backslashes are not allowed in paths" };
  if (v.startsWith("/") || /^[a-zA-Z]:/.test(v) || v.startsWith("~")) {
    return {
      ok: false,
      reason: "absolute paths are not allowed; use a path relative to the repository root",
    };
  }
  const segments = v.split("/");
  if (segments.some((s) => s === "..")) return { ok: false, reason: "`..` segments are not allowed" };
  const clean = segments.filter((s) => s !== "" && s !== ".");
  if (clean.length === 0) return { ok: false, reason: "path names the repository root" };
  return { ok: true, value: clean.join("/") };
}

/** Validates one parameter value against its declared type (and pattern for strings). */
export function validateParameter(type: ParameterType, value: string, pattern?: string): ValidateResult {
  if (/[\u0000]/.test(value)) return { ok: false, reason: "value contains a NUL character" };
  switch (type) {
    case "dns1123-label":
      return isDns1123Label(value)
        ? { ok: true, value }
        : { ok: false, reason: `"${printable(value)}" is not a DNS-1123 label (a-z, 0-9, -; at most 63)` };
    case "dns1123-subdomain":
      return isDns1123Subdomain(value)
        ? { ok: true, value }
        : { ok: false, reason: `"${printable(value)}" is not a DNS-1123 name (a-z, 0-9, -, .; at most 253)` };
    case "repo-path":
      return checkRepoPath(value);
    case "integer":
      return /^-?\d{1,9}$/.test(value)
        ? { ok: true, value: String(Number(value)) }
        : { ok: false, reason: `"${printable(value)}" is not an integer` };
    case "quantity":
      return QUANTITY.test(value)
        ? { ok: true, value }
        : { ok: false, reason: `"${printable(value)}" is not a Kubernetes quantity such as 20Gi` };
    case "string": {
      if (value.length > 500) return { ok: false, reason: "value longer than 500 characters" };
      if (/[\u0000-\u001f\u007f]/.test(value))
        return { ok: false, reason: "value contains control characters" };
      if (pattern !== undefined && !new RegExp(`^(?:${pattern})$`).test(value)) {
        return { ok: false, reason: `"${printable(value)}" does not match ${pattern}` };
      }
      return { ok: true, value };
    }
  }
}

/** Shows a hostile value without control characters and bounded in length. */
function printable(v: string): string {
  const s = v.replace(/[\u0000-\u001f\u007f]/g, "\uFFFD");
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
