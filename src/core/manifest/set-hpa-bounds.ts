import { readHpaBounds } from "./read-hpa-bounds.js";
import type { PatchResult, ResourceRef } from "./types.js";
import { applyYamlOps, type YamlOp } from "./yaml-text/apply-yaml-ops.js";
import { selectDocument } from "./yaml-text/select-document.js";

/**
 * Sets `spec.minReplicas` and/or `spec.maxReplicas` of a HorizontalPodAutoscaler. The resulting bounds
 * must satisfy 1 ≤ min ≤ max (the API server rejects anything else, after the PR has merged).
 */
export function setHpaBounds(
  text: string,
  ref: ResourceRef,
  bounds: { min?: number; max?: number },
  file = "<input>",
): PatchResult {
  if (bounds.min === undefined && bounds.max === undefined) {
    return { ok: false, reason: `${file}: give min, max or both` };
  }
  for (const [name, v] of [
    ["min", bounds.min],
    ["max", bounds.max],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
      return { ok: false, reason: `${file}: ${name} must be a whole number ≥ 1, got ${v}` };
    }
  }
  const current = readHpaBounds(text, ref, file);
  if (!current.ok) return current;
  const min = bounds.min ?? current.value.min ?? 1;
  const max = bounds.max ?? current.value.max;
  if (min > max) {
    return {
      ok: false,
      reason: `${file}: minReplicas ${min} would exceed maxReplicas ${max} of HorizontalPodAutoscaler ${ref.name}`,
    };
  }
  const sel = selectDocument(text, ref, file);
  if (!sel.ok) return sel;
  const base = [...sel.selected.basePath, "spec"];
  const ops: YamlOp[] = [];
  if (bounds.min !== undefined)
    ops.push({ op: "set", path: [...base, "minReplicas"], value: bounds.min, before: ["maxReplicas"] });
  if (bounds.max !== undefined) ops.push({ op: "set", path: [...base, "maxReplicas"], value: bounds.max });
  return applyYamlOps(text, file, sel.selected, ops);
}
