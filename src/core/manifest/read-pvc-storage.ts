import { parseQuantity, type Quantity } from "./quantity.js";
import type { ReadResult, ResourceRef } from "./types.js";
import { selectDocument } from "./yaml-text/select-document.js";

/** `spec.resources.requests.storage` of a PersistentVolumeClaim, with its storage class when set. */
export function readPvcStorage(
  text: string,
  ref: ResourceRef,
  file = "<input>",
): ReadResult<{ storage: Quantity; storageClassName?: string }> {
  const sel = selectDocument(text, { ...ref, kind: "PersistentVolumeClaim" }, file);
  if (!sel.ok) return sel;
  const spec = (sel.selected.object["spec"] ?? {}) as Record<string, unknown>;
  const raw = (
    (spec["resources"] as Record<string, unknown> | undefined)?.["requests"] as
      | Record<string, unknown>
      | undefined
  )?.["storage"];
  if (raw === undefined || raw === null) {
    return {
      ok: false,
      reason: `${file}: PersistentVolumeClaim ${ref.name} has no spec.resources.requests.storage`,
    };
  }
  const q = parseQuantity(String(raw));
  if (!q.ok) return { ok: false, reason: `${file}: spec.resources.requests.storage: ${q.reason}` };
  const sc = spec["storageClassName"];
  return {
    ok: true,
    value: { storage: q.quantity, ...(typeof sc === "string" ? { storageClassName: sc } : {}) },
  };
}
