import type { AlertmanagerPayload } from "../core/incident/alertmanager.js";
import { correlateSignal } from "../core/incident/correlate-signal.js";
import type { Signal } from "../core/incident/incident.js";
import { signalsFromPayload } from "../core/incident/signals-from-payload.js";
import type { IncidentWorkflowDeps } from "./incident-deps.js";
import { incidentLockKey, type SyncResult, syncIncident } from "./sync-incident.js";

/** The alert label that may route an incident to another repository (when the config allows it). */
export const REPO_LABEL = "medic_repo";

export interface IngestResult {
  /** Per repository and key, what happened. */
  outcomes: { repo: string; key: string; action: SyncResult["action"] }[];
}

/**
 * One Alertmanager notification → incident issues. Steps:
 * 1. config and Signals (key, severity per alert);
 * 2. the repository per signal (`medic_repo` label only when allowed);
 * 3. the key per signal: where it already lives as a child, else a correlation rule's root, else its own;
 * 4. per key, under the key's lock, `syncIncident`; children whose root stopped being active go home.
 */
export async function ingestAlerts(
  deps: IncidentWorkflowDeps,
  payload: AlertmanagerPayload,
): Promise<IngestResult> {
  // 1.
  const resolved = await deps.config();
  const cfg = resolved.config;
  const signals = signalsFromPayload(payload, cfg, deps.clock.now());
  // Members of a complete notification; a truncated one says nothing about absent members.
  const completeGroups =
    payload.truncatedAlerts === 0 ? { [payload.groupKey]: payload.alerts.map((a) => a.fingerprint) } : {};

  // 2.
  const byRepo = new Map<string, Signal[]>();
  for (const s of signals) {
    const wanted = s.labels[REPO_LABEL];
    const repo =
      wanted && cfg.allowRepoLabel && cfg.allowedRepos.includes(wanted) ? wanted : deps.defaultRepo;
    if (wanted && repo !== wanted)
      deps.logger.warn({ repo: wanted }, "alert asks for a repository that is not allowed");
    byRepo.set(repo, [...(byRepo.get(repo) ?? []), s]);
  }
  if (byRepo.size === 0) byRepo.set(deps.defaultRepo, []);

  const outcomes: IngestResult["outcomes"] = [];
  for (const [repo, repoSignals] of byRepo) {
    const index = await deps.indexFor(repo);
    await index.load();
    // 3.
    const byKey = new Map<string, Signal[]>();
    const add = (key: string, s: Signal) => byKey.set(key, [...(byKey.get(key) ?? []), s]);
    const open = index.openIncidents();
    for (const s of repoSignals) {
      const own = s.ownKey ?? s.name;
      const ownEntry = index.get(own);
      const livesAtHome =
        ownEntry?.issue.state === "open" &&
        ownEntry.incident.signals.some((x) => x.fingerprint === s.fingerprint);
      const childHome = livesAtHome ? undefined : index.childHome(s.fingerprint);
      if (childHome) {
        add(childHome, {
          ...s,
          role: "child",
          correlation: correlationOf(index.get(childHome)?.incident.signals, s),
        });
        continue;
      }
      const corr =
        !livesAtHome && cfg.correlation.enabled ? correlateSignal(s, open, cfg.correlation.rules) : null;
      if (corr) add(corr.rootKey, { ...s, role: "child", correlation: corr.ruleId });
      else add(own, { ...s, role: "root" });
    }
    // Keys holding members of this group that are absent now (a complete group resolves them).
    for (const key of index.keysWithGroup(payload.groupKey)) if (!byKey.has(key)) byKey.set(key, []);

    // 4.
    const run = async (key: string, keySignals: Signal[]) => {
      const res = await deps.lock.withLock(incidentLockKey(repo, key), () =>
        syncIncident(deps, index, resolved, key, keySignals, completeGroups),
      );
      outcomes.push({ repo, key, action: res.action });
      return res.unrouted;
    };
    const homeless: Signal[] = [];
    for (const key of [...byKey.keys()].sort()) homeless.push(...(await run(key, byKey.get(key) ?? [])));
    const regrouped = new Map<string, Signal[]>();
    for (const s of homeless) {
      const own = s.ownKey ?? s.name;
      regrouped.set(own, [...(regrouped.get(own) ?? []), { ...s, role: "root", correlation: undefined }]);
    }
    for (const [key, list] of regrouped) await run(key, list);
  }
  return { outcomes };
}

function correlationOf(signals: readonly Signal[] | undefined, s: Signal): string | undefined {
  return signals?.find((x) => x.fingerprint === s.fingerprint)?.correlation;
}
