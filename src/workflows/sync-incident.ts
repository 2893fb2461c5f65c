import type { IncidentsConfig } from "../core/config/sections/incidents.js";
import type { Incident, Signal } from "../core/incident/incident.js";
import { type IncidentPlan, planIncidentUpdate } from "../core/incident/plan-incident-update.js";
import { renderIncidentComment } from "../core/incident/render-incident-comment.js";
import { renderIncidentIssue } from "../core/incident/render-incident-issue.js";
import { renderStormSummary, STORM_SUMMARY_KEY } from "../core/incident/render-storm-summary.js";
import { parseDuration } from "../core/util/duration.js";
import type { IncidentWorkflowDeps, ResolvedIncidentsConfig } from "./incident-deps.js";
import type { IncidentIssueRef } from "./incident-hooks.js";
import type { IncidentIndex, IndexEntry } from "./incident-index.js";

export interface SyncResult {
  /** `summarised`: over the hourly new-issue limit, listed in the storm summary issue instead. */
  action: IncidentPlan["action"] | "summarised";
  /** Child signals whose root stopped being active: the caller routes them to their own key. */
  unrouted: Signal[];
  issue?: IncidentIssueRef;
}

/** Labels the bot owns on incident issues; any other label (added by people) is kept on every write. */
function isManagedLabel(label: string, cfg: IncidentsConfig): boolean {
  return (
    label === "incident" ||
    label.startsWith("severity:") ||
    label.startsWith("runbook:") ||
    label === cfg.resolvedLabel ||
    cfg.labels.includes(label)
  );
}

export function planOptions(cfg: IncidentsConfig) {
  return {
    reopenWindowMs: parseDuration(cfg.reopenWindow) ?? 86_400_000,
    commentCooldownMs: parseDuration(cfg.commentCooldown) ?? 300_000,
    bodyUpdateIntervalMs: parseDuration(cfg.bodyUpdateInterval) ?? 60_000,
    resolveMissingAfterMs: 5 * 60_000,
  };
}

/**
 * One incident key, one notification's signals: plan with the pure core, then write to the tracker.
 * Callers hold the key's lock. Steps:
 * 1. plan the lifecycle change from the cached state;
 * 2. open / reopen / update / resolve the issue (a create looks for its marker first);
 * 3. post at most one comment (cooldown), record the write in the index, schedule deferred updates.
 */
export async function syncIncident(
  deps: IncidentWorkflowDeps,
  index: IncidentIndex,
  resolved: ResolvedIncidentsConfig,
  key: string,
  signals: readonly Signal[],
  completeGroups: Readonly<Record<string, readonly string[]>>,
): Promise<SyncResult> {
  const cfg = resolved.config;
  const now = deps.clock.now();
  await index.revalidate(key);
  const entry = index.get(key);
  // 1. Plan.
  const plan = planIncidentUpdate(
    {
      key,
      current: entry
        ? {
            incident: entry.incident,
            issueOpen: entry.issue.state === "open",
            ...(entry.issue.closedAt !== undefined ? { closedAt: entry.issue.closedAt } : {}),
            ...(entry.lastCommentAt !== undefined ? { lastCommentAt: entry.lastCommentAt } : {}),
            ...(entry.lastBodyWriteAt !== undefined ? { lastBodyWriteAt: entry.lastBodyWriteAt } : {}),
          }
        : null,
      signals,
      completeGroups,
      tombstones: index.tombstones(key),
      now,
    },
    { ...planOptions(cfg), bodyUpdateIntervalMs: countOnlyInterval(cfg, index) },
  );
  index.addTombstones(key, plan.tombstones);
  const inc = plan.incident;
  const summarised = index.overflow.get(key);
  if (summarised) {
    // Keep the summary row current: resolutions and repeats of an incident without its own issue.
    for (const sig of signals) {
      const firing = new Set(summarised.firing);
      if (sig.status === "firing") firing.add(sig.fingerprint);
      else firing.delete(sig.fingerprint);
      summarised.firing = [...firing];
    }
    summarised.lastSeenAt = new Date(now).toISOString();
    summarised.notifications++;
    if (plan.action === "open" || summarised.firing.length === 0) {
      scheduleSummary(deps, index, resolved);
      if (plan.action === "open" && index.openedWithin(3_600_000) >= cfg.maxNewIssuesPerHour) {
        return { action: "summarised", unrouted: plan.unrouted };
      }
    }
    if (plan.action === "open") index.overflow.delete(key);
  } else if (plan.action === "open" && index.openedWithin(3_600_000) >= cfg.maxNewIssuesPerHour) {
    index.overflow.set(key, {
      key,
      severity: inc!.severity,
      firstSeenAt: new Date(now).toISOString(),
      lastSeenAt: new Date(now).toISOString(),
      notifications: 1,
      firing: inc!.signals.filter((x) => x.status === "firing").map((x) => x.fingerprint),
    });
    deps.logger.warn({ repo: index.repo, key }, "new-issue limit reached: incident summarised");
    scheduleSummary(deps, index, resolved);
    return { action: "summarised", unrouted: plan.unrouted };
  }
  if (plan.action === "none" || !inc) return { action: plan.action, unrouted: plan.unrouted };

  // 2. Write.
  let e: IndexEntry;
  if (plan.action === "open") {
    inc.runbookId = (await matchRunbook(deps, inc, index.repo)) ?? inc.runbookId;
    const draft = renderIncidentIssue(inc, deps.templates, renderOpts(resolved));
    // Reserve the slot before the request, so concurrent opens cannot overshoot the hourly limit.
    index.openedAt.push(now);
    let issue: Awaited<ReturnType<typeof index.tracker.create>>;
    try {
      issue = await index.tracker.create({ key, ...draft });
    } catch (err) {
      index.openedAt.splice(index.openedAt.lastIndexOf(now), 1);
      throw err;
    }
    if (issue.existed) {
      index.openedAt.splice(index.openedAt.lastIndexOf(now), 1);
      // Another replica (or a create that answered 5xx) made it: plan again against what GitHub has.
      deps.logger.info({ repo: index.repo, key, issue: issue.number }, "incident issue already existed");
      // Its body is fresh: this notification's counts can wait for the next deferred update.
      index.adopt(issue).lastBodyWriteAt = now;
      return syncIncident(deps, index, resolved, key, signals, completeGroups);
    }
    inc.issueNumber = issue.number;
    e = {
      key,
      issue: { number: issue.number, url: issue.url, state: "open", labels: issue.labels },
      incident: inc,
      lastBodyWriteAt: now,
      lastBody: draft.body,
    };
    deps.logger.info({ repo: index.repo, key, issue: issue.number }, "incident issue opened");
  } else {
    e = { ...entry!, incident: inc };
    if (plan.action === "reopen")
      inc.runbookId = (await matchRunbook(deps, inc, index.repo)) ?? inc.runbookId;
    if (plan.action === "defer") {
      e.dirty = true;
      index.set(e);
      scheduleFlush(
        deps,
        index,
        resolved,
        key,
        (entry?.lastBodyWriteAt ?? now) + countOnlyInterval(cfg, index) - now,
      );
      return { action: "defer", unrouted: [] };
    }
    if (plan.comment?.kind === "resolved") {
      // The closing comment first, so readers see MTTD/MTTR before the issue closes.
      await postComment(deps, index, e, inc, plan.comment, cfg, now);
    }
    await writeIssue(deps, index, e, resolved, plan.action, now);
    if (plan.comment && plan.comment.kind !== "resolved") {
      await postComment(deps, index, e, inc, plan.comment, cfg, now);
    }
  }
  index.set(e);
  recordLifecycle(deps, index.repo, e, inc, plan.action, now);

  // 3. Hooks (never undo a write).
  const ref: IncidentIssueRef = { repo: index.repo, number: e.issue.number, url: e.issue.url };
  try {
    if (plan.action === "open" || plan.action === "reopen") await deps.hooks?.onOpened?.(inc, ref);
    if (plan.action === "resolve") await deps.hooks?.onResolved?.(inc, ref);
  } catch (err) {
    deps.logger.error({ key, error: (err as Error).message }, "incident hook failed");
  }
  return { action: plan.action, unrouted: plan.unrouted, issue: ref };
}

/** Rewrites body, title and labels (only what changed) and the state the action asks for. */
export async function writeIssue(
  deps: IncidentWorkflowDeps,
  index: IncidentIndex,
  e: IndexEntry,
  resolved: ResolvedIncidentsConfig,
  action: "reopen" | "update" | "resolve" | "flush",
  now: number,
): Promise<void> {
  const cfg = resolved.config;
  const labelMode = cfg.onResolve === "label";
  const rendered = renderIncidentIssue(e.incident, deps.templates, renderOpts(resolved));
  const kept = e.issue.labels.filter((l) => !isManagedLabel(l, cfg));
  const labels = [...rendered.labels, ...kept];
  const patch: { title?: string; body?: string; labels?: string[]; state?: "open" | "closed" } = {};
  if (rendered.body !== e.lastBody) patch.body = rendered.body;
  if (!sameSet(labels, e.issue.labels)) patch.labels = labels;
  if (action === "reopen" && e.issue.state !== "open") patch.state = "open";
  if (action === "resolve" && !labelMode) patch.state = "closed";
  if (Object.keys(patch).length > 0) await index.tracker.update(e.issue.number, patch);
  e.lastBody = rendered.body;
  e.lastBodyWriteAt = now;
  e.dirty = false;
  e.issue.labels = labels;
  if (patch.state === "open") {
    e.issue.state = "open";
    delete e.issue.closedAt;
  }
  if (action === "resolve") {
    if (labelMode) e.issue.closedAt = now;
    else Object.assign(e.issue, { state: "closed", closedAt: now });
  }
}

function renderOpts(resolved: ResolvedIncidentsConfig) {
  const cfg = resolved.config;
  return {
    extraLabels: cfg.labels,
    ...(resolved.warning ? { configWarning: resolved.warning } : {}),
    ...(cfg.onResolve === "label" ? { resolvedLabel: cfg.resolvedLabel } : {}),
  };
}

async function postComment(
  deps: IncidentWorkflowDeps,
  index: IncidentIndex,
  e: IndexEntry,
  inc: Incident,
  comment: NonNullable<IncidentPlan["comment"]>,
  cfg: IncidentsConfig,
  now: number,
): Promise<void> {
  const cooldown = planOptions(cfg).commentCooldownMs;
  // The closing comment carries MTTD/MTTR and is always posted; others respect the per-issue cooldown.
  if (comment.kind !== "resolved" && e.lastCommentAt !== undefined && now - e.lastCommentAt < cooldown)
    return;
  const { body, markerId } = renderIncidentComment(inc, comment.kind, comment.lines, deps.templates, {
    now,
    cooldown: cfg.commentCooldown,
    onResolve: cfg.onResolve,
  });
  await index.tracker.comment(e.issue.number, body, markerId);
  e.lastCommentAt = now;
}

/** Asks the matcher hook; a miss with a reason is kept on the incident for the body (`runbookNote`). */
async function matchRunbook(
  deps: IncidentWorkflowDeps,
  inc: Incident,
  repo: string,
): Promise<string | undefined> {
  if (!deps.hooks?.matchRunbook) return undefined;
  try {
    const answer = await deps.hooks.matchRunbook(inc, { repo });
    const id = typeof answer === "string" ? answer : (answer?.id ?? null);
    if (id) delete inc.runbookNote;
    else if (answer && typeof answer === "object" && "reason" in answer) inc.runbookNote = answer.reason;
    return id ?? undefined;
  } catch (err) {
    deps.logger.error({ key: inc.key, error: (err as Error).message }, "runbook matcher failed");
    inc.runbookNote = "the runbook matcher failed; see the app's log";
    return undefined;
  }
}

/**
 * How often count-only body updates may be written: the configured interval, stretched so that all active
 * incidents together use at most half of GitHub's write budget (40 of 80 per minute, 250 of 500 per hour)
 * and the rest stays free for opening, closing and commenting.
 */
export function countOnlyInterval(cfg: IncidentsConfig, index: Pick<IncidentIndex, "openIncidents">): number {
  const active = index.openIncidents().length;
  return Math.max(planOptions(cfg).bodyUpdateIntervalMs, (active * 60_000) / 40, (active * 3_600_000) / 250);
}

/** One pending flush per key: count-only changes are written at most once per body interval. */
function scheduleFlush(
  deps: IncidentWorkflowDeps,
  index: IncidentIndex,
  resolved: ResolvedIncidentsConfig,
  key: string,
  delayMs: number,
): void {
  if (index.flushScheduled.has(key)) return;
  index.flushScheduled.add(key);
  deps.later(Math.max(0, delayMs), async () => {
    index.flushScheduled.delete(key);
    await deps.lock.withLock(incidentLockKey(index.repo, key), async () => {
      await index.revalidate(key);
      const e = index.get(key);
      if (!e?.dirty || e.issue.state !== "open") return;
      await writeIssue(deps, index, e, resolved, "flush", deps.clock.now());
      index.set(e);
    });
  });
}

/** Writes the storm summary issue at most once per body interval (created the first time, by marker). */
function scheduleSummary(
  deps: IncidentWorkflowDeps,
  index: IncidentIndex,
  resolved: ResolvedIncidentsConfig,
): void {
  if (index.flushScheduled.has(STORM_SUMMARY_KEY)) return;
  index.flushScheduled.add(STORM_SUMMARY_KEY);
  const cfg = resolved.config;
  deps.later(planOptions(cfg).bodyUpdateIntervalMs, async () => {
    index.flushScheduled.delete(STORM_SUMMARY_KEY);
    await deps.lock.withLock(incidentLockKey(index.repo, STORM_SUMMARY_KEY), async () => {
      const { title, body } = renderStormSummary([...index.overflow.values()], cfg.maxNewIssuesPerHour);
      const existing = index.get(STORM_SUMMARY_KEY);
      if (existing && existing.issue.state === "open") {
        if (existing.lastBody !== body) await index.tracker.update(existing.issue.number, { title, body });
        existing.lastBody = body;
        return;
      }
      const issue = await index.tracker.create({
        key: STORM_SUMMARY_KEY,
        title,
        body,
        labels: ["incident", "incident-storm"],
      });
      if (issue.existed) await index.tracker.update(issue.number, { title, body });
      index.set({
        key: STORM_SUMMARY_KEY,
        issue: { number: issue.number, url: issue.url, state: "open", labels: issue.labels },
        // Not an incident of its own: no signals, never planned (no alert has this key).
        incident: {
          key: STORM_SUMMARY_KEY,
          title,
          severity: "info",
          status: "resolved",
          signals: [],
          labels: {},
          startsAt: new Date(deps.clock.now()).toISOString(),
        },
        lastBody: body,
      });
    });
  });
}

/** The lock that serialises all work on one incident key of one repository. */
export function incidentLockKey(repo: string, key: string): string {
  return `incident:${repo}#${key}`;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

const LIFECYCLE_ACTIONS: Record<string, string> = {
  open: "incident.opened",
  reopen: "incident.reopened",
  resolve: "incident.resolved",
};

/** An Evidence record for the ledger when an incident issue opens, reopens or resolves (updates are not). */
function recordLifecycle(
  deps: IncidentWorkflowDeps,
  repo: string,
  e: IndexEntry,
  inc: Incident,
  action: string,
  now: number,
): void {
  const verb = LIFECYCLE_ACTIONS[action];
  if (!deps.audit || !verb) return;
  const firing = inc.signals.filter((s) => s.status === "firing").length;
  try {
    deps.audit.record({
      v: 1,
      at: new Date(now).toISOString(),
      actor: { kind: "bot", login: "gitops-medic" },
      action: verb,
      reason:
        action === "resolve"
          ? `every signal of ${inc.key} resolved`
          : `${firing} firing signal(s) for ${inc.key} (${inc.severity})`,
      incidentKey: inc.key,
      subject: {
        kind: "issue",
        repo,
        number: e.issue.number,
        ...(/^https?:\/\//.test(e.issue.url) ? { url: e.issue.url } : {}),
      },
      inputs: {
        severity: inc.severity,
        startsAt: inc.startsAt,
        signals: inc.signals.length,
        ...(inc.runbookId ? { runbook: inc.runbookId } : {}),
        ...(inc.resolvedAt ? { resolvedAt: inc.resolvedAt } : {}),
      },
      outcome: { status: "ok" },
    });
  } catch (err) {
    // A record that does not validate is a bug to log, never a reason to undo the issue write.
    deps.logger.error({ key: inc.key, error: (err as Error).message }, "incident audit record refused");
  }
}
