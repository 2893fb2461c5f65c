import type { PatchResult, ResourceRef } from "./types.js";
import { applyYamlOps, type YamlOp } from "./yaml-text/apply-yaml-ops.js";
import { selectDocument } from "./yaml-text/select-document.js";

/** A Kubernetes qualified name with an optional DNS-subdomain prefix (`nginx.ingress.kubernetes.io/limit-rps`). */
const ANNOTATION_KEY_RE =
  /^(?:(?=.{1,253}\/)[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?(?=.{1,63}$)[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Adds or updates annotations of an Ingress (e.g. ingress-nginx rate limits), keeping the others.
 * Values are always written as quoted strings: annotation values must be strings, and an unquoted `10`
 * would be a number that the API server rejects.
 */
export function setIngressAnnotations(
  text: string,
  ref: ResourceRef,
  annotations: Record<string, string>,
  file = "<input>",
): PatchResult {
  const entries = Object.entries(annotations);
  if (entries.length === 0) return { ok: false, reason: `${file}: no annotations to set` };
  for (const [key, value] of entries) {
    if (!ANNOTATION_KEY_RE.test(key))
      return { ok: false, reason: `${file}: "${key}" is not a valid annotation key` };
    if (typeof value !== "string") {
      return { ok: false, reason: `${file}: annotation ${key} must be a string, got ${typeof value}` };
    }
  }
  const sel = selectDocument(text, { ...ref, kind: "Ingress" }, file);
  if (!sel.ok) return sel;
  const base = [...sel.selected.basePath, "metadata", "annotations"];
  const ops: YamlOp[] = entries.map(([key, value]) => ({
    op: "set",
    path: [...base, key],
    value,
    quoted: true,
  }));
  return applyYamlOps(text, file, sel.selected, ops);
}
