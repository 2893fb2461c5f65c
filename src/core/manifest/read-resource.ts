import type { ReadResult, ResourceRef } from "./types.js";
import { selectDocument } from "./yaml-text/select-document.js";

/** The plain value of one Kubernetes object in a (multi-document) file, with where it is. */
export function readResource(
  text: string,
  ref: ResourceRef,
  file = "<input>",
): ReadResult<{ object: Record<string, unknown>; docIndex: number; line: number }> {
  const sel = selectDocument(text, ref, file);
  if (!sel.ok) return sel;
  const { object, docIndex, line } = sel.selected;
  return { ok: true, value: { object, docIndex, line } };
}
