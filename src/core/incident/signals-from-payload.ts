import type { IncidentsConfig } from "../config/sections/incidents.js";
import { type AlertmanagerPayload, ZERO_TIME } from "./alertmanager.js";
import { buildIncidentKey } from "./build-incident-key.js";
import type { Signal } from "./incident.js";
import { mapSeverity } from "./map-severity.js";

/**
 * Turns one Alertmanager notification into Signals, each with its own incident key and severity.
 * Alerts whose `startsAt` is not a valid time are dropped (they cannot be ordered or measured).
 */
export function signalsFromPayload(
  payload: AlertmanagerPayload,
  cfg: IncidentsConfig,
  now: number,
): Signal[] {
  const seenAt = new Date(now).toISOString();
  const out: Signal[] = [];
  for (const a of payload.alerts) {
    const starts = Date.parse(a.startsAt);
    if (Number.isNaN(starts)) continue;
    const ends = Date.parse(a.endsAt);
    const resolved = a.status === "resolved";
    out.push({
      source: "alertmanager",
      name: a.labels["alertname"] || "UnnamedAlert",
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: new Date(starts).toISOString(),
      // A resolved alert without a usable end time resolved when we heard of it.
      endsAt: resolved
        ? a.endsAt !== ZERO_TIME && !Number.isNaN(ends)
          ? new Date(ends).toISOString()
          : seenAt
        : undefined,
      fingerprint: a.fingerprint || fallbackFingerprint(a.labels),
      generatorURL: a.generatorURL || undefined,
      severity: mapSeverity(a.labels, cfg),
      groupKey: payload.groupKey,
      ownKey: buildIncidentKey(a.labels, cfg),
      lastSeenAt: seenAt,
    });
  }
  return out;
}

/** Old or hand-written payloads may lack `fingerprint`: use the sorted label set, which is what it hashes. */
function fallbackFingerprint(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(",");
}
