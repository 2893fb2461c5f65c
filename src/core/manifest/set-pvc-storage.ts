import { compareQuantity, parseQuantity } from "./quantity.js";
import { readPvcStorage } from "./read-pvc-storage.js";
import type { PatchResult, ResourceRef } from "./types.js";
import { applyYamlOps } from "./yaml-text/apply-yaml-ops.js";
import { selectDocument } from "./yaml-text/select-document.js";

/**
 * Expands `spec.resources.requests.storage` of a PersistentVolumeClaim. Only growth is accepted:
 * Kubernetes never shrinks a volume, and an equal size would be an empty change.
 * A StatefulSet's `volumeClaimTemplates` are refused: the API server forbids changing them, so the
 * claims they created (`<template>-<statefulset>-<ordinal>`) must be expanded directly.
 */
export function setPvcStorage(text: string, ref: ResourceRef, size: string, file = "<input>"): PatchResult {
  if (ref.kind.toLowerCase() === "statefulset") return refuseTemplates(ref.name, file);
  const wanted = parseQuantity(size);
  if (!wanted.ok) return { ok: false, reason: `${file}: ${wanted.reason}` };
  if (wanted.quantity.num <= 0n)
    return { ok: false, reason: `${file}: storage size must be positive, got ${size}` };
  const current = readPvcStorage(text, ref, file);
  if (!current.ok) {
    const owner = findTemplateOwner(text, ref, file);
    return owner ? refuseTemplates(owner, file, ref.name) : current;
  }
  const cmp = compareQuantity(wanted.quantity, current.value.storage);
  if (cmp < 0) {
    return {
      ok: false,
      reason: `${file}: would shrink PersistentVolumeClaim ${ref.name} from ${current.value.storage.raw} to ${size}; volumes can only grow`,
    };
  }
  if (cmp === 0) {
    return {
      ok: false,
      reason: `${file}: would not expand PersistentVolumeClaim ${ref.name}: it already requests ${current.value.storage.raw}`,
    };
  }
  const sel = selectDocument(text, { ...ref, kind: "PersistentVolumeClaim" }, file);
  if (!sel.ok) return sel;
  const path = [...sel.selected.basePath, "spec", "resources", "requests", "storage"];
  return applyYamlOps(text, file, sel.selected, [{ op: "set", path, value: wanted.quantity.raw }]);
}

function refuseTemplates(statefulSet: string, file: string, claim?: string): PatchResult {
  return {
    ok: false,
    reason:
      `${file}: ${claim ? `PersistentVolumeClaim ${claim} comes from` : "cannot change"} the volumeClaimTemplates ` +
      `of StatefulSet ${statefulSet}; Kubernetes forbids changing them, so expand the PVCs ` +
      `(<template>-${statefulSet}-<ordinal>) directly`,
  };
}

/** The StatefulSet in the same file whose volumeClaimTemplates would create a claim with this name. */
function findTemplateOwner(text: string, ref: ResourceRef, file: string): string | null {
  const m = /^(.+)-(\d+)$/.exec(ref.name);
  if (!m) return null;
  const prefix = m[1] as string;
  for (let i = prefix.indexOf("-"); i !== -1; i = prefix.indexOf("-", i + 1)) {
    const template = prefix.slice(0, i);
    const sts = prefix.slice(i + 1);
    const sel = selectDocument(
      text,
      { kind: "StatefulSet", name: sts, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
      file,
    );
    if (!sel.ok) continue;
    const tpls = (sel.selected.object["spec"] as Record<string, unknown> | undefined)?.[
      "volumeClaimTemplates"
    ];
    if (
      Array.isArray(tpls) &&
      tpls.some((t) => (t as { metadata?: { name?: unknown } })?.metadata?.name === template)
    ) {
      return sts;
    }
  }
  return null;
}
