import type { PatchResult, ResourceRef } from "./types.js";
import { applyYamlOps } from "./yaml-text/apply-yaml-ops.js";
import { selectDocument } from "./yaml-text/select-document.js";

/** Kinds with a `spec.replicas` field. */
export const SCALABLE_KINDS = ["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout"];

/**
 * Sets `spec.replicas` of a Deployment, StatefulSet, ReplicaSet, ReplicationController or Argo Rollout,
 * adding the field when the manifest relies on the default of 1.
 */
export function setReplicas(text: string, ref: ResourceRef, replicas: number, file = "<input>"): PatchResult {
  if (!Number.isInteger(replicas) || replicas < 0) {
    return { ok: false, reason: `${file}: replicas must be a whole number ≥ 0, got ${replicas}` };
  }
  const sel = selectDocument(text, ref, file);
  if (!sel.ok) return sel;
  const kind = String(sel.selected.object["kind"]);
  if (!SCALABLE_KINDS.some((k) => k.toLowerCase() === kind.toLowerCase())) {
    const hint = kind === "HorizontalPodAutoscaler" ? " (use setHpaBounds for an HPA)" : "";
    return { ok: false, reason: `${file}: ${kind} ${ref.name} has no spec.replicas${hint}` };
  }
  const path = [...sel.selected.basePath, "spec", "replicas"];
  return applyYamlOps(text, file, sel.selected, [
    // Where `kubectl create` and most charts put it: before the selector and the pod template.
    { op: "set", path, value: replicas, before: ["selector", "template", "strategy"] },
  ]);
}
