import { parseYamlDocument } from "../yaml/parse-yaml.js";
import { parseDottedKey } from "./parse-dotted-key.js";
import type { ReadResult } from "./types.js";
import { describeYamlError } from "./yaml-text/apply-yaml-ops.js";

/** The value at a dotted key of a Helm values file; `found: false` when a segment is missing. */
export function readHelmValue(
  text: string,
  dottedKey: string,
  file = "<input>",
): ReadResult<{ found: boolean; value: unknown }> {
  const key = parseDottedKey(dottedKey);
  if (!key.ok) return { ok: false, reason: `${file}: ${key.reason}` };
  const parsed = parseYamlDocument(text, file);
  if (!parsed.ok) return { ok: false, reason: describeYamlError(parsed.error) };
  return { ok: true, value: getPath(parsed.document.value, key.path) };
}

/** Walks a plain value along a path. */
export function getPath(root: unknown, path: (string | number)[]): { found: boolean; value: unknown } {
  let node: unknown = root;
  for (const seg of path) {
    if (typeof node !== "object" || node === null) return { found: false, value: undefined };
    if (
      typeof seg === "number"
        ? !Array.isArray(node) || seg >= node.length
        : Array.isArray(node) || !Object.hasOwn(node, seg)
    ) {
      return { found: false, value: undefined };
    }
    node = (node as Record<string | number, unknown>)[seg];
  }
  return { found: true, value: node };
}
