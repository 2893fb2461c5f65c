import type { ContainerImage, ReadResult, ResourceRef } from "./types.js";
import { findPodSpec } from "./yaml-text/find-pod-spec.js";
import { selectDocument } from "./yaml-text/select-document.js";

/** The containers (and init containers) of a workload's pod template with their images. */
export function readContainerImages(
  text: string,
  ref: ResourceRef,
  file = "<input>",
): ReadResult<ContainerImage[]> {
  const sel = selectDocument(text, ref, file);
  if (!sel.ok) return sel;
  const pod = findPodSpec(sel.selected.object);
  if (!pod.ok) return { ok: false, reason: `${file}: ${pod.reason}` };
  return { ok: true, value: listContainers(pod.spec) };
}

/** Containers first, then init containers, in file order. */
export function listContainers(spec: Record<string, unknown>): ContainerImage[] {
  const out: ContainerImage[] = [];
  for (const [key, init] of [
    ["containers", false],
    ["initContainers", true],
  ] as const) {
    const list = spec[key];
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (typeof c !== "object" || c === null) continue;
      const { name, image } = c as Record<string, unknown>;
      out.push({ name: String(name ?? ""), image: typeof image === "string" ? image : "", init });
    }
  }
  return out;
}
