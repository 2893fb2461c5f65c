import { parseYaml } from "../yaml/parse-yaml.js";
import { parseDottedKey } from "./parse-dotted-key.js";
import type { PatchResult, ScalarValue } from "./types.js";
import { applyYamlOps, describeYamlError } from "./yaml-text/apply-yaml-ops.js";

/**
 * Sets one value in a Helm values file by dotted key (`image.tag`, `autoscaling.minReplicas`), creating
 * missing intermediate maps. A key that runs into a value or a list is refused with its name.
 */
export function setHelmValue(
  text: string,
  dottedKey: string,
  value: ScalarValue,
  file = "<input>",
): PatchResult {
  const key = parseDottedKey(dottedKey);
  if (!key.ok) return { ok: false, reason: `${file}: ${key.reason}` };
  if (typeof value === "number" && !Number.isFinite(value)) {
    return { ok: false, reason: `${file}: ${dottedKey} must be a finite number` };
  }
  const parsed = parseYaml(text, file);
  if (!parsed.ok) return { ok: false, reason: describeYamlError(parsed.error) };
  const nonEmpty = parsed.documents.filter((d) => d.value !== null);
  if (nonEmpty.length > 1) {
    return { ok: false, reason: `${file}: expected one YAML document, found ${nonEmpty.length}` };
  }
  // An empty or comment-only values file is fine: the key becomes its first content.
  const doc = nonEmpty[0] ?? parsed.documents[0];
  const root = doc?.value ?? null;
  if (root !== null && (typeof root !== "object" || Array.isArray(root))) {
    return { ok: false, reason: `${file}: a values file must be a mapping` };
  }
  return applyYamlOps(text, file, doc?.index ?? 0, [{ op: "set", path: key.path, value }]);
}
