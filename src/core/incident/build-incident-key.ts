import type { IncidentsConfig } from "../config/sections/incidents.js";
import { workloadOfPod } from "./derive-workload.js";

export type KeyOptions = Pick<IncidentsConfig, "keyLabels" | "podToWorkload">;

/**
 * The incident key: `alertname/value/value…` from the configured key labels (e.g.
 * `KubePodCrashLooping/shop/checkout`). It depends only on labels, so HA copies, repeats and resolved
 * notifications of the same alert always land on the same key. `/` and `%` inside values are
 * percent-encoded so that two label sets cannot produce the same key.
 */
export function buildIncidentKey(labels: Record<string, string>, opts: KeyOptions): string {
  const parts = [labels["alertname"] || "UnnamedAlert"];
  for (const entry of opts.keyLabels) {
    const names = typeof entry === "string" ? [entry] : entry;
    for (const name of names) {
      const v = labels[name];
      if (!v) continue;
      parts.push(name === "pod" && opts.podToWorkload ? workloadOfPod(v) : v);
      break;
    }
  }
  return parts.map((p) => p.replace(/%/g, "%25").replace(/\//g, "%2F")).join("/");
}
