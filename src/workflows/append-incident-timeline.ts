import { appendTimelineEntry } from "../core/incident/append-timeline-entry.js";
import type { TimelineEvent } from "../core/incident/incident.js";
import type { IncidentWorkflowDeps } from "./incident-deps.js";
import { incidentLockKey, writeIssue } from "./sync-incident.js";

/** A line another area adds to an incident's timeline. */
export interface TimelineNote {
  /** Epoch ms (the caller's clock). */
  at: number;
  /** `remediation` (PR opened/updated/merged), `rollout` (Progressing, Degraded, Healthy, reverted). */
  kind: Extract<TimelineEvent, "remediation" | "rollout">;
  /** Plain text; escaped when rendered. */
  text: string;
  /** A link for the line (the PR, the deployment); only plain http(s) URLs are rendered. */
  url?: string;
}

export type AppendTimelineResult =
  | { ok: true; added: boolean; issue: number }
  | { ok: false; reason: string };

/**
 * Adds a line to the timeline of the incident issue for `key`. Steps, under the key's lock (the one the
 * alert flow holds, so an alert and a PR never write the body over each other):
 * 1. find the issue in the index; an incident without a bot-written issue (a person's issue) has no
 *    timeline to write, which is an answer, not an error;
 * 2. re-read the issue: another replica or the alert flow may have written since (the body holds the state);
 * 3. add the entry (a repeat of the same line is a no-op) and rewrite the body through the write queue.
 */
export async function appendIncidentTimeline(
  deps: IncidentWorkflowDeps,
  repo: string,
  key: string,
  note: TimelineNote,
): Promise<AppendTimelineResult> {
  const index = await deps.indexFor(repo);
  return deps.lock.withLock(incidentLockKey(repo, key), async () => {
    // 1.
    await index.load();
    const known = index.get(key);
    if (!known) return { ok: false, reason: `no incident issue for ${key} in ${repo}` };
    // 2.
    const fresh = await index.tracker.get(known.issue.number);
    if (!fresh || fresh.key !== key)
      return { ok: false, reason: `#${known.issue.number} is no longer ${key}` };
    const e = fresh.body === known.lastBody && fresh.state === known.issue.state ? known : index.adopt(fresh);
    // 3.
    const added = appendTimelineEntry(e.incident, {
      at: new Date(note.at).toISOString(),
      event: note.kind,
      detail: note.text,
      ...(note.url ? { url: note.url } : {}),
    });
    if (added) {
      await writeIssue(deps, index, e, await deps.config(), "flush", deps.clock.now());
      index.set(e);
    }
    return { ok: true, added, issue: e.issue.number };
  });
}
