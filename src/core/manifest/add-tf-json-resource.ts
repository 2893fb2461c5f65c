import { isDeepStrictEqual } from "node:util";
import type { PatchResult } from "./types.js";
import { type JsonNode, parseJsonSpans } from "./yaml-text/parse-json-spans.js";

const TF_NAME_RE = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Adds `resource.<type>.<name> = body` to a Terraform JSON file (`*.tf.json`), creating the `resource`
 * and `<type>` objects when missing. The new member is inserted as text after the last existing one, so
 * the rest of the file keeps its bytes. An existing resource with that name is refused, never replaced.
 */
export function addTfJsonResource(
  text: string,
  type: string,
  name: string,
  body: Record<string, unknown>,
  file = "<input>",
): PatchResult {
  if (!TF_NAME_RE.test(type))
    return { ok: false, reason: `${file}: "${type}" is not a Terraform resource type` };
  if (!TF_NAME_RE.test(name))
    return { ok: false, reason: `${file}: "${name}" is not a Terraform resource name` };
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, reason: `${file}: the resource body must be an object` };
  }
  const parsed = parseJsonSpans(text);
  if (!parsed.ok) return { ok: false, reason: `${file}: invalid JSON: ${parsed.reason}` };
  const root = parsed.root;
  if (root.type !== "object") return { ok: false, reason: `${file}: a .tf.json file must be a JSON object` };
  const step = detectStep(text, root);
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const resource = uniqueMember(root, "resource", file);
  if (!resource.ok) return resource;
  let edit: { start: number; end: number; text: string };
  if (!resource.node) {
    edit = insertMember(text, root, "resource", { [type]: { [name]: body } }, step, eol);
  } else if (resource.node.type !== "object") {
    return { ok: false, reason: `${file}: "resource" is not an object (a list of blocks is not supported)` };
  } else {
    const byType = uniqueMember(resource.node, type, file);
    if (!byType.ok) return byType;
    if (!byType.node) {
      edit = insertMember(text, resource.node, type, { [name]: body }, step, eol);
    } else if (byType.node.type !== "object") {
      return { ok: false, reason: `${file}: resource.${type} is not an object` };
    } else {
      if (byType.node.members.some((m) => m.key === name)) {
        return { ok: false, reason: `${file}: resource ${type}.${name} already exists` };
      }
      edit = insertMember(text, byType.node, name, body, step, eol);
    }
  }
  const out = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  const expected = JSON.parse(text.replace(/^\uFEFF/, "")) as Record<
    string,
    Record<string, Record<string, unknown>>
  >;
  expected["resource"] ??= {};
  (expected["resource"] as Record<string, Record<string, unknown>>)[type] ??= {};
  ((expected["resource"] as Record<string, Record<string, unknown>>)[type] as Record<string, unknown>)[name] =
    body;
  if (!isDeepStrictEqual(JSON.parse(out.replace(/^\uFEFF/, "")), JSON.parse(JSON.stringify(expected)))) {
    return { ok: false, reason: `${file}: cannot add the resource without side effects; add it by hand` };
  }
  return { ok: true, text: out, changed: true };
}

function uniqueMember(
  obj: Extract<JsonNode, { type: "object" }>,
  key: string,
  file: string,
): { ok: true; node: JsonNode | null } | { ok: false; reason: string } {
  const found = obj.members.filter((m) => m.key === key);
  if (found.length > 1) return { ok: false, reason: `${file}: "${key}" appears ${found.length} times` };
  return { ok: true, node: found[0]?.value ?? null };
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

function detectStep(text: string, root: Extract<JsonNode, { type: "object" }>): number {
  const first = root.members[0];
  const col = first ? columnOf(text, first.keyStart) : 0;
  return col > 0 && col <= 8 && text.slice(root.start, first?.keyStart).includes("\n") ? col : 2;
}

function insertMember(
  text: string,
  obj: Extract<JsonNode, { type: "object" }>,
  key: string,
  value: unknown,
  step: number,
  eol: string,
): { start: number; end: number; text: string } {
  const last = obj.members[obj.members.length - 1];
  const ownerColumn = columnOf(text, obj.start) === 0 ? 0 : lineIndent(text, obj.start);
  const column = last ? columnOf(text, last.keyStart) : ownerColumn + step;
  const pad = " ".repeat(column);
  const rendered = JSON.stringify(value, null, step)
    .split("\n")
    .join(eol + pad);
  const member = `${JSON.stringify(key)}: ${rendered}`;
  if (last) return { start: last.value.end, end: last.value.end, text: `,${eol}${pad}${member}` };
  return { start: obj.start, end: obj.end, text: `{${eol}${pad}${member}${eol}${" ".repeat(ownerColumn)}}` };
}

/** The indentation of the line holding `offset`. */
function lineIndent(text: string, offset: number): number {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  let i = start;
  while (text[i] === " ") i++;
  return i - start;
}
