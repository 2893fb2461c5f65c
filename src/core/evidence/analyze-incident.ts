import { parseAuditBlock } from "../audit/audit-block.js";
import type { AuditRecord } from "../audit/audit-record.js";
import type { Severity } from "../incident/incident.js";
import { parseIncidentState } from "../incident/incident-state.js";
import { parseMarker } from "../markdown/parse-marker.js";
import type { ExportIssue } from "./recorded-export.js";

/** One line of an incident's timeline in the evidence. */
export interface TimelineEntry {
  at: string;
  kind:
    | "started"
    | "detected"
    | "comment"
    | "closed"
    | "reopened"
    | "labeled"
    | "resolved"
    | "audit"
    | "referenced";
  actor: string;
  text: string;
  url?: string;
}

/** What the evidence knows about one incident, with the times the metrics use. */
export interface IncidentFacts {
  number: number;
  key: string;
  title: string;
  url: string;
  severity: Severity | null;
  state: "open" | "closed";
  /** When impact began: the alert's `startsAt` when the bot recorded it, else issue creation. */
  startedAt: number;
  /** Where `startedAt` came from. */
  startSource: "incident-state" | "audit-record" | "body" | "issue-created";
  /** When the incident became known: issue creation (Four Keys). */
  detectedAt: number;
  /** When it was resolved, if it was (last close, or the bot's resolved record). */
  resolvedAt: number | null;
  /** Times the issue was reopened. */
  reopened: number;
  /** Commit SHA prefixes named by `root cause: <sha>` lines. */
  rootCauses: string[];
  /** When it was classified at its severity (label added), else detection. */
  classifiedAt: number;
  /** Alert labels the bot recorded (`inputs.labels` of its `incident.*` records). */
  labels: Record<string, string>;
  timeline: TimelineEntry[];
  auditRecords: AuditRecord[];
}

// RFC 3339, or the `2026-11-27 23:40:00 UTC` form the incident issue renders its times in.
const ISO = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}| UTC)/;

function parseTime(text: string): number {
  return Date.parse(text.replace(" UTC", "Z").replace(" ", "T"));
}
// Four Keys convention: `root cause: <sha>` anywhere in the issue or its comments.
const ROOT_CAUSE = /root cause:\s*`?([0-9a-f]{7,40})\b/gi;
const START_LINE = new RegExp(
  `^[\\s*_|-]*(?:alert started|impact started|started|starts at)[*_]*\\s*[:|]\\s*\`?(${ISO.source})`,
  "im",
);

function severityOf(labels: readonly string[], records: readonly AuditRecord[]): Severity | null {
  for (const l of labels) {
    const m = /^severity:\s*(critical|warning|info)$/i.exec(l);
    if (m) return m[1]!.toLowerCase() as Severity;
  }
  for (const r of records) {
    const s = r.inputs["severity"];
    if (s === "critical" || s === "warning" || s === "info") return s;
  }
  return null;
}

function earliestTableTimestamp(body: string): number | null {
  let best: number | null = null;
  for (const line of body.split("\n")) {
    if (!line.trimStart().startsWith("|")) continue;
    const m = ISO.exec(line);
    if (!m) continue;
    const t = parseTime(m[0]);
    if (!Number.isNaN(t) && (best === null || t < best)) best = t;
  }
  return best;
}

function recordTime(r: AuditRecord, ...names: string[]): number | null {
  for (const n of names) {
    const v = r.inputs[n];
    if (typeof v === "string" && ISO.test(v) && !Number.isNaN(parseTime(v))) return parseTime(v);
  }
  return null;
}

/**
 * Reads an incident issue: key (hidden marker), severity (`severity:<level>` label), start (the incident
 * state block `<!-- medic:state -->` the bot keeps in the body, else its `incident.*` audit record
 * `inputs.startsAt`, else an `Alert started` line or the earliest time in the body's tables, else issue
 * creation), resolution (the state's `resolvedAt` or the bot's `incident.resolved` record, when the issue is
 * closed; else the last close, or a `resolved` label when the repo keeps resolved incidents open), reopenings and
 * `root cause: <sha>` lines. Audit blocks are read only from bot-authored comments (and the issue body when
 * the bot opened the issue): anyone can type a block in their own comment.
 */
export function analyzeIncident(
  issue: ExportIssue,
  botLogins: readonly string[] = [],
  resolvedLabel = "resolved",
): IncidentFacts {
  const isBot = (login: string, flagged: boolean) =>
    flagged || login.endsWith("[bot]") || botLogins.includes(login);
  const records: AuditRecord[] = [];
  const timeline: TimelineEntry[] = [];
  const bodyBlock = isBot(issue.user, false) ? parseAuditBlock(issue.body) : null;
  if (bodyBlock?.ok) records.push(bodyBlock.record);
  for (const c of issue.comments) {
    const trusted = isBot(c.user, c.userIsBot);
    const block = trusted ? parseAuditBlock(c.body) : null;
    if (block?.ok) records.push(block.record);
    const firstLine =
      c.body
        .replace(/<!--[\s\S]*?-->/g, "")
        .trim()
        .split("\n")[0] ?? "";
    timeline.push({
      at: c.createdAt,
      kind: block?.ok ? "audit" : "comment",
      actor: c.user,
      text: block?.ok ? `${block.record.action}: ${block.record.reason}` : firstLine.slice(0, 200),
      url: c.url,
    });
  }
  // The incident's machine state (issue: incidents) is trusted only in a body the bot wrote.
  const state = isBot(issue.user, false) ? parseIncidentState(issue.body) : null;
  const key =
    (isBot(issue.user, false) ? parseMarker(issue.body, "incident") : null) ??
    state?.key ??
    `#${issue.number}`;
  const severity = severityOf(issue.labels, records) ?? state?.severity ?? null;
  for (const e of state?.timeline ?? []) {
    if (e.event === "opened") continue; // the issue creation is the detection entry below
    timeline.push({
      at: e.at,
      kind: e.event === "resolved" || e.event === "reopened" ? e.event : "audit",
      actor: "gitops-medic",
      text: `${e.event}: ${e.detail}`.slice(0, 300),
    });
  }
  const createdAt = Date.parse(issue.createdAt);

  let startedAt = createdAt;
  let startSource: IncidentFacts["startSource"] = "issue-created";
  const recordStarts = records
    .filter((r) => r.action.startsWith("incident."))
    .map((r) => recordTime(r, "startsAt", "startedAt"))
    .filter((t): t is number => t !== null);
  const stateStart = state ? Date.parse(state.startsAt) : Number.NaN;
  if (!Number.isNaN(stateStart)) {
    startedAt = stateStart;
    startSource = "incident-state";
  } else if (recordStarts.length > 0) {
    startedAt = Math.min(...recordStarts);
    startSource = "audit-record";
  } else {
    const line = START_LINE.exec(issue.body)?.[1];
    const fromBody = line ? parseTime(line) : earliestTableTimestamp(issue.body);
    if (fromBody !== null && !Number.isNaN(fromBody)) {
      startedAt = fromBody;
      startSource = "body";
    }
  }

  let reopened = 0;
  let lastClose: number | null = null;
  let openAgain = false;
  let resolvedByLabel: number | null = null;
  let classifiedAt: number | null = null;
  for (const e of issue.events) {
    const t = Date.parse(e.createdAt);
    if (e.event === "closed") {
      lastClose = t;
      openAgain = false;
    } else if (e.event === "reopened") {
      reopened += 1;
      openAgain = true;
    } else if (e.event === "labeled" && e.label === resolvedLabel) {
      resolvedByLabel = t;
    } else if (e.event === "unlabeled" && e.label === resolvedLabel) {
      resolvedByLabel = null;
    }
    if (
      e.event === "labeled" &&
      severity &&
      e.label?.toLowerCase() === `severity:${severity}` &&
      classifiedAt === null
    ) {
      classifiedAt = t;
    }
    const text =
      e.event === "labeled" || e.event === "unlabeled"
        ? `${e.event} ${e.label ?? ""}`
        : e.commitId
          ? `${e.event} by ${e.commitId.slice(0, 7)}`
          : e.event;
    timeline.push({
      at: e.createdAt,
      kind: e.event === "closed" || e.event === "reopened" || e.event === "labeled" ? e.event : "referenced",
      actor: e.actor,
      text,
    });
  }
  if (issue.state === "closed" && lastClose === null && issue.closedAt)
    lastClose = Date.parse(issue.closedAt);
  let resolvedAt: number | null = null;
  if (issue.state === "closed" && !openAgain) resolvedAt = lastClose;
  else if (resolvedByLabel !== null) resolvedAt = resolvedByLabel;
  const resolvedRecords = records
    .filter((r) => r.action === "incident.resolved")
    .map((r) => recordTime(r, "resolvedAt", "endsAt"))
    .filter((t): t is number => t !== null);
  // The alert's own end time is the better resolution time, but only for the final resolution.
  const stateResolved =
    state?.status === "resolved" && state.resolvedAt ? Date.parse(state.resolvedAt) : Number.NaN;
  if (resolvedAt !== null && !Number.isNaN(stateResolved)) resolvedAt = stateResolved;
  else if (resolvedAt !== null && resolvedRecords.length > 0) resolvedAt = Math.max(...resolvedRecords);

  const rootCauses = new Set<string>();
  for (const text of [issue.body, ...issue.comments.map((c) => c.body)]) {
    for (const m of text.matchAll(ROOT_CAUSE)) rootCauses.add(m[1]!.toLowerCase());
  }

  timeline.push({
    at: new Date(startedAt).toISOString(),
    kind: "started",
    actor: "",
    text: `impact started (${startSource})`,
  });
  timeline.push({
    at: issue.createdAt,
    kind: "detected",
    actor: issue.user,
    text: "incident issue opened",
    url: issue.url,
  });
  if (resolvedAt !== null)
    timeline.push({ at: new Date(resolvedAt).toISOString(), kind: "resolved", actor: "", text: "resolved" });
  timeline.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || order(a.kind) - order(b.kind));

  return {
    number: issue.number,
    key,
    title: issue.title,
    url: issue.url,
    severity,
    state: issue.state,
    startedAt,
    startSource,
    detectedAt: createdAt,
    resolvedAt,
    reopened,
    rootCauses: [...rootCauses],
    classifiedAt: classifiedAt ?? createdAt,
    labels: { ...recordLabels(records), ...(state?.labels ?? {}) },
    timeline,
    auditRecords: records,
  };
}

function order(kind: TimelineEntry["kind"]): number {
  return kind === "started" ? 0 : kind === "detected" ? 1 : kind === "resolved" ? 3 : 2;
}

function recordLabels(records: readonly AuditRecord[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of records) {
    const labels = r.inputs["labels"];
    if (!r.action.startsWith("incident.") || typeof labels !== "object" || labels === null) continue;
    for (const [k, v] of Object.entries(labels)) if (typeof v === "string" && !(k in out)) out[k] = v;
  }
  return out;
}
