import type { Incident, Signal, TimelineEntry } from "./incident.js";
import { maxSeverity } from "./map-severity.js";
import { MAX_TIMELINE } from "./plan-incident-update.js";

/**
 * Combines what this replica knows about an incident (`ours`, possibly with changes not yet written) with
 * what GitHub has (`theirs`, written by another replica). Signals are united by fingerprint — the later
 * episode wins, and within one episode `resolved` wins (an episode never un-resolves); the issue-level
 * status, resolution and runbook come from GitHub; counts and severity take the larger value; timelines
 * are united in time order. The result is the same whichever replica computes it.
 */
export function mergeIncidents(ours: Incident, theirs: Incident): Incident {
  const byFp = new Map<string, Signal>();
  for (const s of [...theirs.signals, ...ours.signals]) {
    const prev = byFp.get(s.fingerprint);
    byFp.set(s.fingerprint, prev ? newerSignal(prev, s) : s);
  }
  const seen = new Set<string>();
  const timeline: TimelineEntry[] = [];
  for (const e of [...(theirs.timeline ?? []), ...(ours.timeline ?? [])]) {
    const id = `${e.at}|${e.event}|${e.detail}`;
    if (seen.has(id)) continue;
    seen.add(id);
    timeline.push(e);
  }
  timeline.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const dropped = Math.max(0, timeline.length - MAX_TIMELINE);
  const merged: Incident = {
    ...ours,
    ...theirs,
    signals: [...byFp.values()],
    severity: maxSeverity(ours.severity, theirs.severity),
    notifications: Math.max(ours.notifications ?? 0, theirs.notifications ?? 0),
    lastSeenAt: latest(ours.lastSeenAt, theirs.lastSeenAt),
    timeline: timeline.slice(dropped),
    timelineDropped: Math.max(ours.timelineDropped ?? 0, theirs.timelineDropped ?? 0) + dropped,
    signalOverflow: Math.max(ours.signalOverflow ?? 0, theirs.signalOverflow ?? 0),
  };
  const runbookId = theirs.runbookId ?? ours.runbookId;
  if (runbookId) merged.runbookId = runbookId;
  return merged;
}

function newerSignal(a: Signal, b: Signal): Signal {
  const ta = Date.parse(a.startsAt);
  const tb = Date.parse(b.startsAt);
  const pick = ta !== tb ? (ta > tb ? a : b) : a.status === "resolved" ? a : b;
  return {
    ...pick,
    firings: Math.max(a.firings ?? 1, b.firings ?? 1),
    lastSeenAt: latest(a.lastSeenAt, b.lastSeenAt),
  };
}

function latest(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
