import { findJsonNumber } from "./read-tfvars-number.js";
import type { PatchResult } from "./types.js";

/**
 * Sets a top-level number variable in a `*.auto.tfvars.json` file by replacing only the number's bytes:
 * indentation, key order and every other value stay exactly as written. A missing, duplicated or
 * non-number variable is refused (a new key would be an undeclared variable Terraform only warns about).
 */
export function setTfvarsJsonNumber(text: string, key: string, value: number, file = "<input>"): PatchResult {
  if (!Number.isFinite(value)) return { ok: false, reason: `${file}: ${key} must be a finite number` };
  const found = findJsonNumber(text, key);
  if (!found.ok) return { ok: false, reason: `${file}: ${found.reason}` };
  if (found.value.value === value) return { ok: true, text, changed: false };
  const out = text.slice(0, found.value.start) + JSON.stringify(value) + text.slice(found.value.end);
  return { ok: true, text: out, changed: true };
}
