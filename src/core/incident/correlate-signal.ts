import { parseDuration } from "../util/duration.js";
import type { CorrelationRule } from "./correlation-rule.js";
import { deriveWorkload } from "./derive-workload.js";
import type { Incident, Signal } from "./incident.js";

export type Correlation = { rootKey: string; ruleId: string };

/**
 * Finds the open incident a signal is a symptom of, by the first rule that applies: the signal's alert
 * name is one of the rule's children, the incident has a firing root signal of one of the rule's root
 * alert names whose labels match, every join pair is equal, and the two started within the window.
 * Among several candidate roots the earliest-started wins (ties by key), so the answer is deterministic.
 */
export function correlateSignal(
  signal: Signal,
  openIncidents: readonly Incident[],
  rules: readonly CorrelationRule[],
): Correlation | null {
  const childStart = Date.parse(signal.startsAt);
  for (const rule of rules) {
    if (!rule.children.alertnames.includes(signal.name)) continue;
    const windowMs = parseDuration(rule.window) ?? 0;
    let best: { key: string; start: number } | null = null;
    for (const inc of openIncidents) {
      if (inc.status !== "firing" || inc.key === signal.ownKey) continue;
      for (const root of inc.signals) {
        if (root.role === "child" || root.status !== "firing") continue;
        if (!rule.root.alertnames.includes(root.name)) continue;
        if (!Object.entries(rule.root.matchLabels).every(([k, v]) => root.labels[k] === v)) continue;
        const rootStart = Date.parse(root.startsAt);
        if (!(Math.abs(childStart - rootStart) <= windowMs)) continue;
        if (!rule.join.every((j) => joinValue(signal.labels, j.child) === joinValue(root.labels, j.root)))
          continue;
        if (!best || rootStart < best.start || (rootStart === best.start && inc.key < best.key)) {
          best = { key: inc.key, start: rootStart };
        }
      }
    }
    if (best) return { rootKey: best.key, ruleId: rule.id };
  }
  return null;
}

/**
 * The first present of the named labels, normalised; `undefined` never equals anything, so a missing
 * label means no correlation. `workload` is derived; `instance` drops its port (`10.0.0.5:9100`).
 */
export function joinValue(labels: Record<string, string>, names: readonly string[]): string | symbol {
  for (const name of names) {
    const v = name === "workload" ? (labels["workload"] ?? deriveWorkload(labels)) : labels[name];
    if (!v) continue;
    return name === "instance" ? v.replace(/:\d+$/, "") : v;
  }
  return Symbol("absent");
}
