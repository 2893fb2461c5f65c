import type { IncidentsConfig } from "../core/config/sections/incidents.js";
import { parseAlertmanagerPayload } from "../core/incident/alertmanager.js";
import { type Incident, SEVERITIES, type Signal } from "../core/incident/incident.js";
import { titleForKey } from "../core/incident/plan-incident-update.js";
import { signalsFromPayload } from "../core/incident/signals-from-payload.js";

export type IncidentsFromAlertResult =
  | { ok: true; incidents: Incident[] }
  | { ok: false; field: string; message: string };

/**
 * An Alertmanager notification as incidents, offline: the incidents core turns alerts into Signals with
 * their own key; signals sharing a key form one incident (the tracker's correlation across keys and
 * issue state are not needed to plan a remediation).
 */
export function buildIncidentsFromAlert(
  input: unknown,
  cfg: IncidentsConfig,
  now: number,
): IncidentsFromAlertResult {
  const parsed = parseAlertmanagerPayload(input);
  if (!parsed.ok) return { ok: false, field: parsed.path, message: parsed.message };
  const signals = signalsFromPayload(parsed.payload, cfg, now);
  const byKey = new Map<string, Signal[]>();
  for (const s of signals) {
    const key = s.ownKey ?? s.name;
    byKey.set(key, [...(byKey.get(key) ?? []), s]);
  }
  const incidents: Incident[] = [];
  for (const [key, list] of byKey) {
    const ordered = [...list].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    const root = ordered[0]!;
    const firing = ordered.some((s) => s.status === "firing");
    const severity =
      SEVERITIES.find((sev) => ordered.some((s) => (s.severity ?? "warning") === sev)) ?? "warning";
    const ends = ordered.map((s) => s.endsAt ?? "").sort();
    incidents.push({
      key,
      title: titleForKey(key),
      severity,
      status: firing ? "firing" : "resolved",
      signals: ordered,
      labels: { ...root.labels },
      startsAt: root.startsAt,
      ...(firing ? {} : { resolvedAt: ends[ends.length - 1] }),
    });
  }
  return { ok: true, incidents };
}
