import type { Incident, Severity, Signal, TimelineEntry, TimelineEvent } from "./incident.js";
import { maxSeverity } from "./map-severity.js";

/** Signals kept individually per incident; further group members are only counted. */
export const MAX_SIGNALS = 1000;
/** Timeline entries kept; older ones are counted in `timelineDropped`. */
export const MAX_TIMELINE = 60;

export interface PlanOptions {
  /** A recurrence within this time after the incident resolved reopens its issue. */
  reopenWindowMs: number;
  /** At most one change comment per issue within this time (the closing comment is always posted). */
  commentCooldownMs: number;
  /** Count-only changes (refires, last seen) rewrite the body at most this often. */
  bodyUpdateIntervalMs: number;
  /** A member missing from a complete group is resolved only if unseen for this long (HA copies lag). */
  resolveMissingAfterMs: number;
}

export interface CurrentIncident {
  incident: Incident;
  /** Whether the issue is open on GitHub (a person may have closed it). */
  issueOpen: boolean;
  /** Epoch ms the issue was closed (or the incident resolved, in `label` mode). */
  closedAt?: number;
  lastCommentAt?: number;
  lastBodyWriteAt?: number;
}

export interface PlanInput {
  key: string;
  current: CurrentIncident | null;
  /** This notification's signals for the key: its own (`role` root) and attached children. */
  signals: readonly Signal[];
  /** Group key → fingerprints, for groups whose notification was complete (`truncatedAlerts` = 0). */
  completeGroups: Readonly<Record<string, readonly string[]>>;
  /** `fingerprint@startsAt` of alerts seen resolved while no incident was active (resolved before firing). */
  tombstones: ReadonlySet<string>;
  now: number;
}

/**
 * What to do on GitHub:
 * `open` a new issue (linked to `previousIssue` when one recurred after the window), `reopen` the same
 * issue, `update` the body now, `defer` a count-only body update, `resolve` (closing comment, then close or
 * relabel), or `none`.
 */
export type IncidentAction = "none" | "open" | "reopen" | "update" | "defer" | "resolve";

export interface IncidentPlan {
  action: IncidentAction;
  /** The incident after this notification (null when nothing exists for the key). */
  incident: Incident | null;
  /** A comment to post now: a meaningful change (outside the cooldown), a reopen, or the resolution. */
  comment: { kind: "change" | "reopened" | "resolved"; lines: string[] } | null;
  /** New `fingerprint@startsAt` entries to remember as resolved-before-firing. */
  tombstones: string[];
  /** Child signals whose root was no longer active: route them to their own key. */
  unrouted: Signal[];
}

/** `fingerprint@startsAt`: one firing episode of one alert. */
export function episodeId(s: Pick<Signal, "fingerprint" | "startsAt">): string {
  return `${s.fingerprint}@${Date.parse(s.startsAt)}`;
}

/**
 * The incident lifecycle as a pure function of the current state and one notification's signals.
 * Ordering faults are handled here: a firing copy of an episode already seen resolved (an HA peer that
 * lags, or `resolved` delivered before `firing`) is stale and ignored; a signal missing from a truncated
 * group is never read as resolved.
 */
export function planIncidentUpdate(input: PlanInput, opts: PlanOptions): IncidentPlan {
  const { current, now } = input;
  const nowIso = new Date(now).toISOString();
  const active = current?.issueOpen === true && current.incident.status === "firing";
  if (!current || !active) return planInactive(input, opts, nowIso);

  const inc = cloneIncident(current.incident);
  const tombstones: string[] = [];
  const events: Record<string, string[]> = {};
  const note = (event: TimelineEvent, what: string) => {
    events[event] ??= [];
    events[event].push(what);
  };
  const byFp = new Map(inc.signals.map((s) => [s.fingerprint, s]));
  for (const s of input.signals) {
    const st = byFp.get(s.fingerprint);
    if (!st) {
      if (s.status === "resolved" || input.tombstones.has(episodeId(s))) {
        if (s.status === "resolved") tombstones.push(episodeId(s));
        continue;
      }
      if (inc.signals.length >= MAX_SIGNALS) {
        inc.signalOverflow = (inc.signalOverflow ?? 0) + 1;
        continue;
      }
      const added: Signal = { ...s, role: s.role ?? "root", firings: 1 };
      inc.signals.push(added);
      byFp.set(added.fingerprint, added);
      if (added.role === "child")
        note("child-attached", `${describeSignal(added)} (rule ${added.correlation})`);
      else note("signal-added", describeSignal(added));
      continue;
    }
    st.lastSeenAt = s.lastSeenAt ?? nowIso;
    const sStart = Date.parse(s.startsAt);
    const stStart = Date.parse(st.startsAt);
    if (s.status === "firing") {
      if (st.status === "resolved" && sStart > stStart) {
        Object.assign(st, { status: "firing", startsAt: s.startsAt, endsAt: undefined });
        st.firings = (st.firings ?? 1) + 1;
        note("signal-refired", describeSignal(st));
      }
    } else if (st.status === "firing" && sStart >= stStart) {
      Object.assign(st, { status: "resolved", endsAt: s.endsAt ?? nowIso });
      note("signal-resolved", describeSignal(st));
    }
  }
  for (const [groupKey, present] of Object.entries(input.completeGroups)) {
    const members = new Set(present);
    for (const st of inc.signals) {
      if (st.groupKey !== groupKey || st.status !== "firing" || members.has(st.fingerprint)) continue;
      const lastSeen = Date.parse(st.lastSeenAt ?? st.startsAt);
      if (now - lastSeen < opts.resolveMissingAfterMs) continue;
      Object.assign(st, { status: "resolved", endsAt: nowIso });
      note("signal-resolved", `${describeSignal(st)} (no longer in its group)`);
    }
  }
  inc.lastSeenAt = nowIso;
  inc.notifications = (inc.notifications ?? 0) + 1;

  const changes: string[] = [];
  for (const [event, whats] of Object.entries(events)) {
    addTimeline(inc, nowIso, event as TimelineEvent, summarise(whats));
    if (event === "child-attached") changes.push(`Correlated signal attached: ${summarise(whats)}`);
  }
  const severity = incidentSeverity(inc.signals, inc.severity);
  if (severity !== inc.severity) {
    addTimeline(inc, nowIso, "severity-raised", `${inc.severity} → ${severity}`);
    changes.push(`Severity raised from ${inc.severity} to ${severity}`);
    inc.severity = severity;
  }

  // An incident whose state was lost (body edited by a person) has no signals yet: never "all resolved".
  if (inc.signals.length > 0 && inc.signals.every((s) => s.status === "resolved")) {
    inc.status = "resolved";
    inc.resolvedAt = new Date(
      Math.max(...inc.signals.map((s) => Date.parse(s.endsAt ?? nowIso))),
    ).toISOString();
    addTimeline(inc, inc.resolvedAt, "resolved", "all signals resolved");
    return {
      action: "resolve",
      incident: inc,
      comment: { kind: "resolved", lines: [] },
      tombstones,
      unrouted: [],
    };
  }
  if (changes.length > 0) {
    const cooled =
      current.lastCommentAt === undefined || now - current.lastCommentAt >= opts.commentCooldownMs;
    return {
      action: "update",
      incident: inc,
      comment: cooled ? { kind: "change", lines: changes } : null,
      tombstones,
      unrouted: [],
    };
  }
  const bodyDue =
    current.lastBodyWriteAt === undefined || now - current.lastBodyWriteAt >= opts.bodyUpdateIntervalMs;
  return {
    // More replicas failing, one recovering, a refire: counts in the body, at most once per interval.
    action: bodyDue ? "update" : "defer",
    incident: inc,
    comment: null,
    tombstones,
    unrouted: [],
  };
}

function planInactive(input: PlanInput, opts: PlanOptions, nowIso: string): IncidentPlan {
  const { current, now } = input;
  const prev = current?.incident ?? null;
  const prevStarts = new Map(prev?.signals.map((s) => [s.fingerprint, Date.parse(s.startsAt)]) ?? []);
  const tombstones = input.signals.filter((s) => s.status === "resolved").map(episodeId);
  const unrouted = input.signals.filter((s) => s.role === "child");
  // A firing copy of an episode we already saw end is stale (HA lag, or resolved delivered first).
  const fresh = input.signals.filter((s) => {
    if (s.status !== "firing" || s.role === "child") return false;
    if (input.tombstones.has(episodeId(s)) || tombstones.includes(episodeId(s))) return false;
    const known = prevStarts.get(s.fingerprint);
    return known === undefined || Date.parse(s.startsAt) > known;
  });
  if (fresh.length === 0) return { action: "none", incident: prev, comment: null, tombstones, unrouted };

  const signals = dedupeByFingerprint(fresh).map((s) => ({ ...s, role: "root" as const, firings: 1 }));
  const startsAt = new Date(Math.min(...signals.map((s) => Date.parse(s.startsAt)))).toISOString();
  const closedAt = current?.closedAt ?? (prev?.resolvedAt ? Date.parse(prev.resolvedAt) : undefined);
  if (prev && closedAt !== undefined && now - closedAt <= opts.reopenWindowMs) {
    const inc = cloneIncident(prev);
    const byFp = new Map(inc.signals.map((s) => [s.fingerprint, s]));
    for (const s of signals) {
      const st = byFp.get(s.fingerprint);
      if (st) Object.assign(st, { ...s, firings: (st.firings ?? 1) + 1, endsAt: undefined });
      else inc.signals.push(s);
    }
    Object.assign(inc, { status: "firing", startsAt, openedAt: nowIso, lastSeenAt: nowIso });
    inc.resolvedAt = undefined;
    inc.notifications = (inc.notifications ?? 0) + 1;
    inc.severity = incidentSeverity(signals, "info");
    addTimeline(inc, startsAt, "firing", summarise(signals.map(describeSignal)));
    addTimeline(inc, nowIso, "reopened", `recurred ${describeAgo(now - closedAt)} after it resolved`);
    const lines = [`Recurred: ${summarise(signals.map(describeSignal))}`];
    return { action: "reopen", incident: inc, comment: { kind: "reopened", lines }, tombstones, unrouted };
  }
  const first = signals[0]!;
  const inc: Incident = {
    key: input.key,
    title: titleForKey(input.key),
    severity: incidentSeverity(signals, "info"),
    status: "firing",
    signals,
    labels: { ...first.labels },
    startsAt,
    openedAt: nowIso,
    lastSeenAt: nowIso,
    notifications: 1,
    timeline: [],
  };
  if (prev?.issueNumber !== undefined) inc.previousIssue = prev.issueNumber;
  if (prev?.runbookId) inc.runbookId = prev.runbookId;
  addTimeline(inc, startsAt, "firing", summarise(signals.map(describeSignal)));
  addTimeline(
    inc,
    nowIso,
    "opened",
    inc.previousIssue !== undefined ? `recurrence of #${inc.previousIssue}` : "incident issue opened",
  );
  return { action: "open", incident: inc, comment: null, tombstones, unrouted };
}

/** `KubePodCrashLooping/shop/checkout` → `KubePodCrashLooping in shop/checkout`. */
export function titleForKey(key: string): string {
  const [name, ...rest] = key.split("/").map((p) => p.replace(/%2F/g, "/").replace(/%25/g, "%"));
  return rest.length > 0 ? `${name} in ${rest.join("/")}` : (name ?? key);
}

/** The highest severity among the signals, never lower than `floor`. */
function incidentSeverity(signals: readonly Signal[], floor: Severity): Severity {
  return signals.reduce<Severity>((acc, s) => maxSeverity(acc, s.severity ?? "info"), floor);
}

function addTimeline(inc: Incident, at: string, event: TimelineEvent, detail: string): void {
  inc.timeline ??= [];
  const tl: TimelineEntry[] = inc.timeline;
  tl.push({ at, event, detail });
  if (tl.length > MAX_TIMELINE) {
    const drop = tl.length - MAX_TIMELINE;
    tl.splice(0, drop);
    inc.timelineDropped = (inc.timelineDropped ?? 0) + drop;
  }
}

/** A short human name for a signal: its alert name and the label that identifies the target. */
export function describeSignal(s: Signal): string {
  const target =
    s.labels["pod"] ??
    s.labels["node"] ??
    s.labels["persistentvolumeclaim"] ??
    s.labels["ingress"] ??
    s.labels["deployment"] ??
    s.labels["instance"];
  return target ? `${s.name} ${target}` : s.name;
}

function summarise(items: readonly string[], max = 5): string {
  if (items.length <= max) return items.join(", ");
  return `${items.length} signals: ${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

function describeAgo(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}

function dedupeByFingerprint(signals: readonly Signal[]): Signal[] {
  const out = new Map<string, Signal>();
  for (const s of signals) if (!out.has(s.fingerprint)) out.set(s.fingerprint, s);
  return [...out.values()];
}

function cloneIncident(inc: Incident): Incident {
  return structuredClone(inc);
}
