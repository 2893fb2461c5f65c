import type { ReadResult } from "./types.js";
import { findHclAssignment } from "./yaml-text/find-hcl-assignment.js";
import { parseJsonSpans } from "./yaml-text/parse-json-spans.js";

/** A top-level number variable of a `*.tfvars.json` (`"json"`) or HCL `*.tfvars` (`"hcl"`) file. */
export function readTfvarsNumber(
  text: string,
  key: string,
  format: "json" | "hcl",
  file = "<input>",
): ReadResult<number> {
  if (format === "hcl") {
    const found = findHclAssignment(text, key);
    if (!found.ok) return { ok: false, reason: `${file}: ${found.reason}` };
    return { ok: true, value: Number(found.value.number) };
  }
  const member = findJsonNumber(text, key);
  if (!member.ok) return { ok: false, reason: `${file}: ${member.reason}` };
  return { ok: true, value: member.value.value };
}

/** The top-level JSON member `key`, which must exist once and hold a number. */
export function findJsonNumber(
  text: string,
  key: string,
): ReadResult<{ start: number; end: number; value: number }> {
  const parsed = parseJsonSpans(text);
  if (!parsed.ok) return { ok: false, reason: `invalid JSON: ${parsed.reason}` };
  if (parsed.root.type !== "object") return { ok: false, reason: "a tfvars.json file must be a JSON object" };
  const members = parsed.root.members.filter((m) => m.key === key);
  if (members.length === 0) {
    const keys = parsed.root.members.map((m) => m.key).join(", ") || "none";
    return { ok: false, reason: `no variable ${key} (variables: ${keys})` };
  }
  if (members.length > 1) return { ok: false, reason: `variable ${key} is set ${members.length} times` };
  const v = (members[0] as (typeof members)[number]).value;
  if (v.type !== "number") return { ok: false, reason: `variable ${key} is not a number` };
  return { ok: true, value: { start: v.start, end: v.end, value: v.value as number } };
}
