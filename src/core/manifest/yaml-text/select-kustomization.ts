import { parseYamlDocument } from "../../yaml/parse-yaml.js";
import { describeYamlError } from "./apply-yaml-ops.js";

/** Parses a kustomization.yaml: one document, a mapping, and not some other Kubernetes kind. */
export function selectKustomization(
  text: string,
  file: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; reason: string } {
  const parsed = parseYamlDocument(text, file);
  if (!parsed.ok) return { ok: false, reason: describeYamlError(parsed.error) };
  const value = parsed.document.value ?? {};
  if (typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, reason: `${file}: a kustomization must be a mapping` };
  }
  const kind = (value as Record<string, unknown>)["kind"];
  if (kind !== undefined && kind !== "Kustomization" && kind !== "Component") {
    return { ok: false, reason: `${file}: kind ${String(kind)} is not a Kustomization` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
