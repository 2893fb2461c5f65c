import type { PatchResult } from "./types.js";
import { findHclAssignment } from "./yaml-text/find-hcl-assignment.js";

/**
 * Sets `key = N` in an HCL `*.tfvars` file, replacing only the number so comments and alignment stay.
 * Refused when the key is absent, assigned more than once, or not a plain number (an expression or a
 * string is someone's deliberate choice, not ours to rewrite).
 */
export function setHclTfvarsNumber(text: string, key: string, value: number, file = "<input>"): PatchResult {
  if (!Number.isFinite(value)) return { ok: false, reason: `${file}: ${key} must be a finite number` };
  if (text.includes("\u0000")) return { ok: false, reason: `${file}: file contains a NUL byte` };
  const found = findHclAssignment(text, key);
  if (!found.ok) return { ok: false, reason: `${file}: ${found.reason}` };
  if (Number(found.value.number) === value) return { ok: true, text, changed: false };
  const out = text.slice(0, found.value.start) + String(value) + text.slice(found.value.end);
  return { ok: true, text: out, changed: true };
}
