import { SCALABLE_KINDS } from "./set-replicas.js";
import type { ReadResult, ResourceRef } from "./types.js";
import { selectDocument } from "./yaml-text/select-document.js";

/** `spec.replicas` of a scalable workload; `null` when the manifest leaves it to the default (1) or an HPA. */
export function readReplicas(text: string, ref: ResourceRef, file = "<input>"): ReadResult<number | null> {
  const sel = selectDocument(text, ref, file);
  if (!sel.ok) return sel;
  const obj = sel.selected.object;
  const kind = String(obj["kind"]);
  if (!SCALABLE_KINDS.some((k) => k.toLowerCase() === kind.toLowerCase())) {
    return { ok: false, reason: `${file}: ${kind} ${ref.name} has no spec.replicas` };
  }
  const value = (obj["spec"] as Record<string, unknown> | undefined)?.["replicas"];
  if (value === undefined || value === null) return { ok: true, value: null };
  if (typeof value !== "number" || !Number.isInteger(value)) {
    return { ok: false, reason: `${file}: spec.replicas of ${kind} ${ref.name} is not a whole number` };
  }
  return { ok: true, value };
}
