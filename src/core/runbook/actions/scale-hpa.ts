import { readHpaBounds } from "../../manifest/read-hpa-bounds.js";
import { setHpaBounds } from "../../manifest/set-hpa-bounds.js";
import { type ActionContext, type ActionResult, done, fail } from "./action.js";
import { findObjects, get, refOf } from "./find-in-repo.js";
import { resolveWorkloadInput } from "./resolve-workload-input.js";
import { scaledCount } from "./scaled-count.js";

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
