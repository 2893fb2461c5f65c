import type { YamlPath } from "./apply-yaml-ops.js";

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Record<string, YamlPath> = {
  deployment: ["spec", "template", "spec"],
  statefulset: ["spec", "template", "spec"],
  daemonset: ["spec", "template", "spec"],
  replicaset: ["spec", "template", "spec"],
  replicationcontroller: ["spec", "template", "spec"],
  job: ["spec", "template", "spec"],
  rollout: ["spec", "template", "spec"],
  cronjob: ["spec", "jobTemplate", "spec", "template", "spec"],
  pod: ["spec"],
};

/** The kinds that carry a pod template, as written in messages. */
export const POD_KINDS = "Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod, Rollout";

/** The key path of a workload's pod spec, or why there is none. */
export function findPodSpec(
  object: Record<string, unknown>,
): { ok: true; path: YamlPath; spec: Record<string, unknown> } | { ok: false; reason: string } {
  const kind = String(object["kind"]);
  const path = POD_SPEC_PATHS[kind.toLowerCase()];
  if (!path) return { ok: false, reason: `${kind} has no pod template (supported: ${POD_KINDS})` };
  if (kind.toLowerCase() === "rollout") {
    const ref = (object["spec"] as Record<string, unknown> | undefined)?.["workloadRef"] as
      | Record<string, unknown>
      | undefined;
    if (ref) {
      // A Rollout with workloadRef borrows the pod template of another object: edit that one instead.
      return {
        ok: false,
        reason: `Rollout uses spec.workloadRef (${String(ref["kind"])} ${String(ref["name"])}); change the image there`,
      };
    }
  }
  let node: unknown = object;
  for (const seg of path) {
    node =
      typeof node === "object" && node !== null
        ? (node as Record<string, unknown>)[seg as string]
        : undefined;
  }
  if (typeof node !== "object" || node === null || Array.isArray(node)) {
    return { ok: false, reason: `${kind} has no \`${path.join(".")}\`` };
  }
  return { ok: true, path, spec: node as Record<string, unknown> };
}
