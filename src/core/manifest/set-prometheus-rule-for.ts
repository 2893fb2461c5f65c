import { parseDuration } from "../util/duration.js";
import { findAlertRules } from "./find-alert-rules.js";
import type { PatchResult } from "./types.js";
import { applyYamlOps } from "./yaml-text/apply-yaml-ops.js";

// Where a new `for:` goes: after `expr`, before the rule's labels and annotations (the usual layout).
const FOR_BEFORE = ["keep_firing_for", "labels", "annotations"];

/**
 * Raises the `for:` duration of every alerting rule named `alertname` in the file (`PrometheusRule`
 * resources or plain rule files) to `value`. Only raising: a rule already waiting as long or longer is
 * left alone, and when every rule does, the result is `changed: false`. A rule with no `for:` fires at
 * once, so it gets one. Refused: no such alert, an unreadable current duration, a non-duration value.
 */
export function setPrometheusRuleFor(
  text: string,
  alertname: string,
  value: string,
  file = "<input>",
): PatchResult {
  const wanted = parseDuration(value);
  if (wanted === null || wanted === 0)
    return { ok: false, reason: `${file}: "${value}" is not a positive duration such as 5m` };
  const found = findAlertRules(text, alertname, file);
  if (!found.ok) return found;
  const { rules } = found.value;
  if (rules.length === 0) return { ok: false, reason: `${file}: no alerting rule named ${alertname}` };
  let current = text;
  let changed = false;
  // Paths are key paths, so they stay valid after each edit (applyYamlOps re-parses the new text).
  for (const r of rules) {
    const before = r.rule["for"];
    if (before !== undefined && before !== null) {
      const ms = typeof before === "string" ? parseDuration(before) : null;
      if (ms === null)
        return { ok: false, reason: `${file}: alert ${alertname} has an unreadable for: ${String(before)}` };
      if (ms >= wanted) continue;
    }
    const res = applyYamlOps(
      current,
      file,
      { docIndex: r.docIndex, ...(changed ? {} : { parsed: found.value.parsed }) },
      [{ op: "set", path: [...r.path, "for"], value, before: FOR_BEFORE }],
    );
    if (!res.ok) return res;
    if (res.changed) {
      current = res.text;
      changed = true;
    }
  }
  return { ok: true, text: current, changed };
}
