import { listContainers } from "./read-container-images.js";
import type { PatchResult, ResourceRef } from "./types.js";
import { applyYamlOps } from "./yaml-text/apply-yaml-ops.js";
import { findPodSpec } from "./yaml-text/find-pod-spec.js";
import { selectDocument } from "./yaml-text/select-document.js";

/**
 * An image reference as Kubernetes accepts it: `[registry[:port]/]path[:tag][@sha256:digest]`, no spaces.
 * Stricter than the API server (which accepts any non-empty string) because a typo here ships to production.
 */
const IMAGE_RE =
  /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/**
 * Sets the image of one container of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
 * CronJob, Pod, Argo Rollout). `container` may be omitted when the pod has exactly one container; init
 * containers are changed only when named.
 */
export function setContainerImage(
  text: string,
  ref: ResourceRef,
  change: { container?: string; image: string },
  file = "<input>",
): PatchResult {
  if (!IMAGE_RE.test(change.image)) {
    return { ok: false, reason: `${file}: "${change.image}" is not a valid image reference` };
  }
  const sel = selectDocument(text, ref, file);
  if (!sel.ok) return sel;
  const pod = findPodSpec(sel.selected.object);
  if (!pod.ok) return { ok: false, reason: `${file}: ${pod.reason}` };
  const all = listContainers(pod.spec);
  const regular = all.filter((c) => !c.init);
  let target: { key: "containers" | "initContainers"; index: number };
  if (change.container === undefined) {
    if (regular.length !== 1) {
      return {
        ok: false,
        reason: `${file}: ${ref.kind} ${ref.name} has ${regular.length} containers (${regular.map((c) => c.name).join(", ")}); name the container to change`,
      };
    }
    target = { key: "containers", index: 0 };
  } else {
    const i = regular.findIndex((c) => c.name === change.container);
    const inits = all.filter((c) => c.init);
    const j = inits.findIndex((c) => c.name === change.container);
    if (i === -1 && j === -1) {
      return {
        ok: false,
        reason: `${file}: ${ref.kind} ${ref.name} has no container "${change.container}" (it has: ${all.map((c) => c.name).join(", ")})`,
      };
    }
    target = i !== -1 ? { key: "containers", index: i } : { key: "initContainers", index: j };
  }
  const path = [...sel.selected.basePath, ...pod.path, target.key, target.index, "image"];
  return applyYamlOps(text, file, sel.selected, [{ op: "set", path, value: change.image }]);
}
