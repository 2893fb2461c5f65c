import { readReplicas } from "../../manifest/read-replicas.js";
import { type ActionContext, type ActionResult, done, fail } from "./action.js";
import { findObjects, get } from "./find-in-repo.js";
import { locateTarget } from "./locate-target.js";
import { resolveWorkloadInput } from "./resolve-workload-input.js";
import { scaledCount } from "./scaled-count.js";
import { readWorkloadHelmValue, readWorkloadReplicas, writeWorkloadReplicas } from "./workload-io.js";

/**
 * Sets a workload's replicas (bounded by `limits.maxReplicas`). With `with.unlessHpa: true` it does
 * nothing when an HPA manages the workload, because the HPA would overwrite the count at once.
 */
export function setReplicasAction(ctx: ActionContext): ActionResult {
  const w = resolveWorkloadInput(ctx);
  if (!w.ok) return w.result;
  if (ctx.input["unlessHpa"] === "true") {
    const hpa = findObjects(ctx.files, "HorizontalPodAutoscaler", w.namespace).find(
      (h) => get(h.object, "spec", "scaleTargetRef", "name") === w.name,
    );
    if (hpa)
      return fail(
        "nothing-to-do",
        `HPA ${hpa.found.name} (${hpa.found.path}) manages the replicas of ${w.name}`,
      );
  }
  const located = locateTarget(ctx, {
    ...(w.kind ? { kind: w.kind } : {}),
    name: w.name,
    namespace: w.namespace,
  });
  if (!located.ok) return located.result;
  const loc = located.location;
  const kind = loc.kind === "argo-application" ? loc.workload.kind : loc.ref.kind;
  const text = ctx.files.read(loc.path);
  if (text === null) return fail("not-found", `${loc.path} does not exist`);
  // With the chart's autoscaling on, replicaCount is ignored by the chart: changing it would do nothing.
  const chartHpa = readWorkloadHelmValue(loc, text, "autoscaling.enabled");
  if (chartHpa?.ok && chartHpa.value.value === true) {
    return fail(
      "nothing-to-do",
      `${loc.path}: autoscaling.enabled is true, the chart's HPA manages the replicas of ${w.name}`,
    );
  }
  const read = readWorkloadReplicas(loc, text);
  if (!read.ok) return fail("refused", read.reason);
  let current = read.value;
  if (current === null && loc.kind === "kustomize" && loc.basePath) {
    const baseText = ctx.files.read(loc.basePath);
    const base = baseText === null ? null : readReplicas(baseText, loc.ref, loc.basePath);
    current = base?.ok ? base.value : null;
  }
  const from = current ?? 1;
  const next = scaledCount(ctx, from, `${kind} ${w.namespace}/${w.name} replicas`);
  if (!next.ok) return next.result;
  const drop = from > 0 ? (from - next.value) / from : 0;
  const patched = writeWorkloadReplicas(loc, text, next.value);
  if (!patched.ok) return fail("refused", patched.reason);
  if (!patched.changed) return fail("nothing-to-do", `${loc.path} already has ${next.value} replicas`);
  const summary = `replicas of ${kind} ${w.namespace}/${w.name}: ${current ?? "default 1"} → ${next.value}`;
  ctx.files.write(loc.path, patched.text, ctx.step.id, summary);
  return done({
    target: `${kind} ${w.namespace}/${w.name}`,
    evidence: [
      ...w.evidence,
      {
        source: "repository",
        label: "replicas",
        detail: `${loc.path}: ${summary}${next.note ? ` (${next.note})` : ""}`,
      },
    ],
    flagged:
      drop > ctx.config.approval.replicaDropThreshold
        ? [`replicas of ${kind} ${w.namespace}/${w.name} drop by ${Math.round(drop * 100)}%`]
        : [],
    undo: [
      `set the replicas of ${kind} ${w.namespace}/${w.name} back to ${current ?? "the default"} once the incident is over`,
    ],
  });
}
