import type { Incident } from "../core/incident/incident.js";
import { mergeIncidents } from "../core/incident/merge-incidents.js";
import type { OverflowIncident } from "../core/incident/render-storm-summary.js";
import type { Clock } from "./ports/clock.js";
import type { IncidentTracker, TrackedIssue } from "./ports/incident-tracker.js";
import type { Logger } from "./ports/logger.js";

/** What the bot knows about the incident issue of one key. */
export interface IndexEntry {
  key: string;
  issue: { number: number; url: string; state: "open" | "closed"; closedAt?: number; labels: string[] };
  incident: Incident;
  lastCommentAt?: number;
  lastBodyWriteAt?: number;
  /** The body last written (identical bodies are not rewritten). */
  lastBody?: string;
  /** A count-only body update is pending. */
  dirty?: boolean;
}

export interface IncidentIndexOptions {
  clock: Clock;
  logger: Logger;
  /** Closed issues younger than this are loaded, so a recurrence can reopen them. */
  reopenWindowMs: number;
  /** Reload from GitHub this often (picks up issues people closed or reopened). */
  refreshMs?: number;
  /**
   * Several replicas write the same issues (shared Redis): before each change, re-read the issue and adopt
   * its state when another replica wrote since (one GET per change, under the key's lock).
   */
  revalidate?: boolean;
}

const TOMBSTONE_TTL_MS = 6 * 3600_000;
const MAX_TOMBSTONES_PER_KEY = 5_000;

export type IncidentIndex = ReturnType<typeof createIncidentIndex>;

/**
 * The open (and recently closed) incidents of one repository, recovered from GitHub by listing issues by
 * label — consistent, unlike search — and cached. Writes by this process update the cache directly; a
 * periodic reload picks up what people changed, except entries with a pending write.
 */
export function createIncidentIndex(tracker: IncidentTracker, opts: IncidentIndexOptions) {
  const entries = new Map<string, IndexEntry>();
  const tombstones = new Map<string, Map<string, number>>();
  let loadedAt: number | null = null;
  let loading: Promise<void> | null = null;
  const refreshMs = opts.refreshMs ?? 15 * 60_000;

  const fromTracked = (t: TrackedIssue): IndexEntry => {
    const incident: Incident = t.incident
      ? { ...t.incident, issueNumber: t.number }
      : {
          // The state block is gone (a person edited the body): start over from the key.
          key: t.key,
          title: t.key,
          severity: "warning",
          status: t.state === "open" ? "firing" : "resolved",
          signals: [],
          labels: {},
          startsAt: new Date(opts.clock.now()).toISOString(),
          issueNumber: t.number,
        };
    return {
      key: t.key,
      issue: {
        number: t.number,
        url: t.url,
        state: t.state,
        labels: t.labels,
        ...(t.closedAt !== undefined ? { closedAt: t.closedAt } : {}),
      },
      incident,
      lastBody: t.body,
    };
  };

  async function reload(): Promise<void> {
    const now = opts.clock.now();
    const [open, closed] = await Promise.all([
      tracker.listOpen(),
      tracker.listClosedSince(now - opts.reopenWindowMs),
    ]);
    const fresh = new Map<string, IndexEntry>();
    // Closed first, newest last, then open ones on top: an open issue always wins for its key.
    for (const t of [...closed].sort((a, b) => (a.closedAt ?? 0) - (b.closedAt ?? 0))) {
      if (t.key) fresh.set(t.key, fromTracked(t));
    }
    for (const t of [...open].sort((a, b) => b.number - a.number)) {
      if (!t.key) continue;
      if (fresh.get(t.key)?.issue.state === "open") {
        opts.logger.warn(
          { key: t.key, issues: [t.number, fresh.get(t.key)?.issue.number] },
          "duplicate open incident issues",
        );
      }
      fresh.set(t.key, fromTracked(t));
    }
    for (const [key, e] of entries) {
      // Our own pending or recent writes are newer than what the listing saw.
      if (e.dirty || (e.lastBodyWriteAt ?? 0) >= now - 5_000) fresh.set(key, e);
      else {
        const f = fresh.get(key);
        if (f && f.issue.number === e.issue.number) {
          f.lastCommentAt = e.lastCommentAt;
          f.lastBodyWriteAt = e.lastBodyWriteAt;
        }
      }
    }
    entries.clear();
    for (const [k, v] of fresh) entries.set(k, v);
    loadedAt = now;
  }

  return {
    repo: tracker.repo,
    tracker,
    /** Keys with a deferred body update scheduled. */
    flushScheduled: new Set<string>(),
    /** Times this process opened incident issues (for the hourly new-issue limit). */
    openedAt: [] as number[],
    /** Incidents listed in the storm summary instead of getting their own issue. */
    overflow: new Map<string, OverflowIncident>(),
    /** Issues opened within the last `ms`. */
    openedWithin(ms: number): number {
      const since = opts.clock.now() - ms;
      while (this.openedAt.length > 0 && this.openedAt[0]! <= since) this.openedAt.shift();
      return this.openedAt.length;
    },
    /** Loads on first use and reloads when stale; concurrent callers share one load. */
    async load(): Promise<void> {
      if (loadedAt !== null && opts.clock.now() - loadedAt < refreshMs) return;
      loading ??= reload().finally(() => {
        loading = null;
      });
      await loading;
    },
    get(key: string): IndexEntry | undefined {
      return entries.get(key);
    },
    /** Takes an issue as GitHub has it (found by marker, or re-read) as the entry for its key. */
    adopt(t: TrackedIssue): IndexEntry {
      const prev = entries.get(t.key);
      const e = fromTracked(t);
      if (prev?.issue.number === t.number) {
        if (prev.lastCommentAt !== undefined) e.lastCommentAt = prev.lastCommentAt;
        if (prev.lastBodyWriteAt !== undefined) e.lastBodyWriteAt = prev.lastBodyWriteAt;
      }
      entries.set(t.key, e);
      return e;
    },
    /** With `revalidate`: re-reads the key's issue and adopts it when its body is not the one we wrote. */
    async revalidate(key: string): Promise<void> {
      const e = entries.get(key);
      if (!opts.revalidate || !e) return;
      const fresh = await tracker.get(e.issue.number);
      if (!fresh || fresh.key !== key) return;
      if (fresh.body === e.lastBody && fresh.state === e.issue.state) return;
      // Another replica wrote: keep what we have not written yet, on top of what GitHub has.
      const ours = e.incident;
      const adopted = this.adopt(fresh);
      if (fresh.incident) adopted.incident = mergeIncidents(ours, adopted.incident);
      adopted.dirty = e.dirty;
    },
    set(entry: IndexEntry): void {
      entries.set(entry.key, entry);
    },
    /** Incidents that are firing on an open issue (correlation candidates). */
    openIncidents(): Incident[] {
      return [...entries.values()]
        .filter((e) => e.issue.state === "open" && e.incident.status === "firing")
        .map((e) => e.incident);
    },
    /** The key of an active incident that already holds this fingerprint as a child signal. */
    childHome(fingerprint: string): string | undefined {
      for (const e of entries.values()) {
        if (e.issue.state !== "open" || e.incident.status !== "firing") continue;
        if (e.incident.signals.some((s) => s.role === "child" && s.fingerprint === fingerprint)) return e.key;
      }
      return undefined;
    },
    /** Keys with firing signals from an Alertmanager group (to resolve members that left it). */
    keysWithGroup(groupKey: string): string[] {
      return [...entries.values()]
        .filter((e) => e.incident.signals.some((s) => s.groupKey === groupKey && s.status === "firing"))
        .map((e) => e.key);
    },
    /** A person (or another process) changed the issue's state: follow it. */
    markIssueState(number: number, state: "open" | "closed", at: number): void {
      for (const e of entries.values()) {
        if (e.issue.number !== number) continue;
        e.issue.state = state;
        if (state === "closed") e.issue.closedAt = at;
        else delete e.issue.closedAt;
      }
    },
    tombstones(key: string): Set<string> {
      const now = opts.clock.now();
      const m = tombstones.get(key);
      if (!m) return new Set();
      for (const [id, until] of m) if (until <= now) m.delete(id);
      return new Set(m.keys());
    },
    addTombstones(key: string, ids: readonly string[]): void {
      if (ids.length === 0) return;
      const m = tombstones.get(key) ?? new Map<string, number>();
      const until = opts.clock.now() + TOMBSTONE_TTL_MS;
      for (const id of ids) {
        m.delete(id);
        m.set(id, until);
      }
      while (m.size > MAX_TOMBSTONES_PER_KEY) {
        const oldest = m.keys().next().value;
        if (oldest === undefined) break;
        m.delete(oldest);
      }
      tombstones.set(key, m);
    },
    get size(): number {
      return entries.size;
    },
  };
}
