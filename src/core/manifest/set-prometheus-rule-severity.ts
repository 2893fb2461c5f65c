import type { Severity } from "../incident/incident.js";
import { findAlertRules } from "./find-alert-rules.js";
import type { PatchResult } from "./types.js";
import { applyYamlOps } from "./yaml-text/apply-yaml-ops.js";

const RANK: Record<Severity, number> = { critical: 3, warning: 2, info: 1 };

/**
 * Lowers the `labels.severity` of the alerting rules named `alertname` from `from` to `to`. Only rules
 * at severity `from` change (an alert defined twice, e.g. a warning and a critical threshold, keeps its
 * other rule); rules already at `to` make `changed: false`. Raising severity is refused: a tuning PR
 * only ever quiets an alert.
 */
export function setPrometheusRuleSeverity(
  text: string,
  alertname: string,
  change: { from: Severity; to: Severity },
  file = "<input>",
): PatchResult {
  if (RANK[change.to] >= RANK[change.from])
    return { ok: false, reason: `${file}: ${change.from} → ${change.to} does not lower the severity` };
  const found = findAlertRules(text, alertname, file);
  if (!found.ok) return found;
  const { rules } = found.value;
  if (rules.length === 0) return { ok: false, reason: `${file}: no alerting rule named ${alertname}` };
  const severityOf = (r: (typeof rules)[number]) => {
    const labels = r.rule["labels"];
    const s =
      labels && typeof labels === "object" ? (labels as Record<string, unknown>)["severity"] : undefined;
    return typeof s === "string" ? s.toLowerCase() : null;
  };
  const targets = rules.filter((r) => severityOf(r) === change.from);
  if (targets.length === 0) {
    if (rules.some((r) => severityOf(r) === change.to)) return { ok: true, text, changed: false };
    const seen = rules.map((r) => severityOf(r) ?? "(none)").join(", ");
    return { ok: false, reason: `${file}: alert ${alertname} has severity ${seen}, not ${change.from}` };
  }
  let current = text;
  for (const [i, r] of targets.entries()) {
    const res = applyYamlOps(
      current,
      file,
      { docIndex: r.docIndex, ...(i === 0 ? { parsed: found.value.parsed } : {}) },
      [{ op: "set", path: [...r.path, "labels", "severity"], value: change.to }],
    );
    if (!res.ok) return res;
    current = res.text;
  }
  return { ok: true, text: current, changed: current !== text };
}
