import type { Incident, TimelineEntry } from "./incident.js";
import { MAX_TIMELINE } from "./plan-incident-update.js";

/**
 * Adds an entry another area wrote (a remediation PR, a rollout state) to an incident's timeline, bounded
 * like the incident flow's own entries. The same kind, text and link already there ⇒ nothing added and
 * false: a redelivered event must not repeat its line.
 */
export function appendTimelineEntry(inc: Incident, entry: TimelineEntry): boolean {
  inc.timeline ??= [];
  const tl = inc.timeline;
  if (tl.some((e) => e.event === entry.event && e.detail === entry.detail && e.url === entry.url))
    return false;
  tl.push({
    at: entry.at,
    event: entry.event,
    detail: entry.detail,
    ...(entry.url ? { url: entry.url } : {}),
  });
  // Oldest first: an entry that arrives late (a slow webhook) is placed at its time, not at the end.
  tl.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  if (tl.length > MAX_TIMELINE) {
    const drop = tl.length - MAX_TIMELINE;
    tl.splice(0, drop);
    inc.timelineDropped = (inc.timelineDropped ?? 0) + drop;
  }
  return true;
}
