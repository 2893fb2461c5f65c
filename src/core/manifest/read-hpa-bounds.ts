import type { ReadResult, ResourceRef } from "./types.js";
import { selectDocument } from "./yaml-text/select-document.js";

/** `spec.minReplicas` (null when defaulted to 1) and `spec.maxReplicas` of a HorizontalPodAutoscaler. */
export function readHpaBounds(
  text: string,
  ref: ResourceRef,
  file = "<input>",
): ReadResult<{ min: number | null; max: number; target?: { kind: string; name: string } }> {
  const sel = selectDocument(text, ref, file);
  if (!sel.ok) return sel;
  const obj = sel.selected.object;
  if (obj["kind"] !== "HorizontalPodAutoscaler" || !String(obj["apiVersion"]).startsWith("autoscaling/")) {
    return {
      ok: false,
      reason: `${file}: ${String(obj["kind"])} ${ref.name} is not an autoscaling HorizontalPodAutoscaler`,
    };
  }
  const spec = (obj["spec"] ?? {}) as Record<string, unknown>;
  const { minReplicas: min, maxReplicas: max } = spec;
  if (typeof max !== "number" || !Number.isInteger(max)) {
    return {
      ok: false,
      reason: `${file}: HorizontalPodAutoscaler ${ref.name} has no whole-number spec.maxReplicas`,
    };
  }
  if (min !== undefined && min !== null && (typeof min !== "number" || !Number.isInteger(min))) {
    return {
      ok: false,
      reason: `${file}: spec.minReplicas of HorizontalPodAutoscaler ${ref.name} is not a whole number`,
    };
  }
  const t = spec["scaleTargetRef"] as Record<string, unknown> | undefined;
  const target =
    t && typeof t["kind"] === "string" && typeof t["name"] === "string"
      ? { kind: t["kind"], name: t["name"] }
      : undefined;
  return {
    ok: true,
    value: { min: (min as number | undefined) ?? null, max, ...(target ? { target } : {}) },
  };
}
