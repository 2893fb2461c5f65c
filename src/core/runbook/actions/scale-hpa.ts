import { readHpaBounds } from "../../manifest/read-hpa-bounds.js";
import { setHpaBounds } from "../../manifest/set-hpa-bounds.js";
import type { EvidenceItem } from "../../plan/remediation-plan.js";
import { type ActionContext, type ActionResult, done, fail } from "./action.js";
import { findObjects, get, refOf } from "./find-in-repo.js";
import { locateTarget } from "./locate-target.js";
import { resolveWorkloadInput } from "./resolve-workload-input.js";
import { scaledCount } from "./scaled-count.js";
import { readWorkloadHelmValue, writeWorkloadHelmValue } from "./workload-io.js";

/**
 * Raises the minimum of the HorizontalPodAutoscaler that targets the workload (and its maximum when the
 * new minimum would pass it), bounded by `limits.maxReplicas`. With no HPA there is nothing to do: the
 * runbook's next step scales replicas instead.
 */
export function scaleHpa(ctx: ActionContext): ActionResult {
  const w = resolveWorkloadInput(ctx);
  if (!w.ok) return w.result;
  const hpas = findObjects(ctx.files, "HorizontalPodAutoscaler", w.namespace).filter(
    (h) => get(h.object, "spec", "scaleTargetRef", "name") === w.name,
  );
  if (hpas.length === 0) {
    const chart = scaleChartAutoscaling(ctx, w);
    if (chart) return chart;
    return fail(
      "nothing-to-do",
      `no HorizontalPodAutoscaler targets ${w.kind ?? "workload"} ${w.namespace}/${w.name} in the repository`,
    );
  }
  if (hpas.length > 1) {
    return fail(
      "ambiguous",
      `several HorizontalPodAutoscalers target ${w.kind ?? "workload"} ${w.namespace}/${w.name}`,
      hpas.map((h) => `${h.found.path}:${h.found.line}`),
    );
  }
  const hpa = hpas[0]!;
  const path = hpa.found.path;
  const text = ctx.files.read(path)!;
  const bounds = readHpaBounds(text, refOf(hpa.found), path);
  if (!bounds.ok) return fail("refused", bounds.reason);
  const min = bounds.value.min ?? 1;
  const max = bounds.value.max;
  const next = scaledCount(ctx, min, `HPA ${w.namespace}/${hpa.found.name} minReplicas`);
  if (!next.ok) return next.result;
  const newMax = Math.max(max, next.value);
  const patched = setHpaBounds(
    text,
    refOf(hpa.found),
    { min: next.value, ...(newMax !== max ? { max: newMax } : {}) },
    path,
  );
  if (!patched.ok) return fail("refused", patched.reason);
  if (!patched.changed) return fail("nothing-to-do", `${path} already has minReplicas ${next.value}`);
  const summary = `HPA ${w.namespace}/${hpa.found.name} minReplicas ${min} → ${next.value}${newMax !== max ? `, maxReplicas ${max} → ${newMax}` : ""}`;
  ctx.files.write(path, patched.text, ctx.step.id, summary);
  return done({
    target: `${w.kind ?? "workload"} ${w.namespace}/${w.name}`,
    evidence: [
      ...w.evidence,
      {
        source: "repository",
        label: "autoscaler",
        detail: `${path}: ${summary}${next.note ? ` (${next.note})` : ""}`,
      },
    ],
    undo: [
      `lower minReplicas of HPA ${w.namespace}/${hpa.found.name} back to ${min} once the incident is over`,
    ],
  });
}

/**
 * A chart-deployed workload's HPA is a template, not a manifest: when its values turn the chart's
 * autoscaling on (`autoscaling.enabled`, the `helm create` convention), raise `autoscaling.minReplicas`
 * (and `maxReplicas` when needed) in the values. `null` when that does not apply.
 */
function scaleChartAutoscaling(
  ctx: ActionContext,
  w: { namespace: string; kind?: string; name: string; evidence: EvidenceItem[] },
): ActionResult | null {
  const located = locateTarget(ctx, {
    ...(w.kind ? { kind: w.kind } : {}),
    name: w.name,
    namespace: w.namespace,
  });
  if (!located.ok) return null;
  const loc = located.location;
  const text = ctx.files.read(loc.path);
  if (text === null) return null;
  const enabled = readWorkloadHelmValue(loc, text, "autoscaling.enabled");
  if (!enabled?.ok || enabled.value.value !== true) return null;
  const minRead = readWorkloadHelmValue(loc, text, "autoscaling.minReplicas");
  const maxRead = readWorkloadHelmValue(loc, text, "autoscaling.maxReplicas");
  const min = minRead?.ok && typeof minRead.value.value === "number" ? minRead.value.value : null;
  const max = maxRead?.ok && typeof maxRead.value.value === "number" ? maxRead.value.value : null;
  if (min === null) return null;
  const next = scaledCount(ctx, min, `${loc.path} autoscaling.minReplicas`);
  if (!next.ok) return next.result;
  let out = writeWorkloadHelmValue(loc, text, "autoscaling.minReplicas", next.value);
  if (!out?.ok) return fail("refused", out?.reason ?? `${loc.path}: cannot set autoscaling.minReplicas`);
  let newText = out.text;
  const raiseMax = max !== null && next.value > max;
  if (raiseMax) {
    out = writeWorkloadHelmValue(loc, newText, "autoscaling.maxReplicas", next.value);
    if (!out?.ok) return fail("refused", out?.reason ?? `${loc.path}: cannot set autoscaling.maxReplicas`);
    newText = out.text;
  }
  const summary = `chart autoscaling of ${w.namespace}/${w.name}: minReplicas ${min} → ${next.value}${raiseMax ? `, maxReplicas ${max} → ${next.value}` : ""}`;
  ctx.files.write(loc.path, newText, ctx.step.id, summary);
  return done({
    target: `${loc.kind === "argo-application" ? loc.workload.kind : loc.ref.kind} ${w.namespace}/${w.name}`,
    evidence: [
      ...w.evidence,
      {
        source: "repository",
        label: "autoscaler",
        detail: `${loc.path}: ${summary}${next.note ? ` (${next.note})` : ""}`,
      },
    ],
    undo: [`set autoscaling.minReplicas back to ${min} in ${loc.path} once the incident is over`],
  });
}
