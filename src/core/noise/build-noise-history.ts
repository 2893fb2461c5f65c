import { parseRemediationMarker } from "../approval/remediation-marker.js";
import { analyzeIncident } from "../evidence/analyze-incident.js";
import type { ExportIssue, RecordedExport } from "../evidence/recorded-export.js";
import { parseIncidentState } from "../incident/incident-state.js";
import type { Episode, IncidentHistory } from "./noise-history.js";

export interface NoiseHistoryOptions {
  /** Logins of the bot (besides any `…[bot]` login). */
  botLogins?: readonly string[];
  /** `incidents.resolvedLabel`: a repository may keep resolved incidents open with this label. */
  resolvedLabel?: string;
}

/**
 * Incident histories from a recorded export (`medic noise --from FILE`). Only issues labelled `incident`
 * count. Firings come from the state changes: closed / `resolved` label / the bot's `resolved` timeline
 * entry end one, reopened / label removed / the bot's `reopened` entry start the next. Actions are
 * comments and state changes by people and the remediation PRs whose marker names the incident key.
 */
export function buildNoiseHistory(exp: RecordedExport, opts: NoiseHistoryOptions = {}): IncidentHistory[] {
  const botLogins = opts.botLogins ?? [];
  const resolvedLabel = opts.resolvedLabel ?? "resolved";
  const isBot = (login: string, flagged = false) =>
    flagged || login.endsWith("[bot]") || botLogins.includes(login);
  const remediationsByKey = new Map<string, number[]>();
  const remediationsByIssue = new Map<number, number[]>();
  for (const pr of exp.pullRequests) {
    // The bot's remediation and revert PRs name their incident key in a marker (trusted only from the bot).
    const trusted = isBot(pr.user, pr.userIsBot);
    const m = trusted ? parseRemediationMarker(pr.body) : null;
    const key = m?.ok
      ? m.marker.incidentKey
      : trusted
        ? /"incidentKey":"([^"]+)"/.exec(pr.body)?.[1]
        : undefined;
    if (key) {
      remediationsByKey.set(key, [...(remediationsByKey.get(key) ?? []), Date.parse(pr.createdAt)]);
      continue;
    }
    // A person's PR with a runbook label or "Fixes #N" that names an incident issue.
    if (
      !pr.labels.some((l) => l.startsWith("runbook:")) &&
      !/\b(?:fix(?:es|ed)?|close[sd]?|resolve[sd]?)\s+#\d+/i.test(pr.body)
    )
      continue;
    for (const ref of pr.body.matchAll(/#(\d+)\b/g)) {
      const n = Number(ref[1]);
      remediationsByIssue.set(n, [...(remediationsByIssue.get(n) ?? []), Date.parse(pr.createdAt)]);
    }
  }
  const out: IncidentHistory[] = [];
  for (const issue of exp.issues) {
    if (!issue.labels.some((l) => l.toLowerCase() === "incident")) continue;
    const facts = analyzeIncident(issue, botLogins, resolvedLabel);
    // Incidents filed by people without an alert behind them are not alert noise.
    if (facts.key.startsWith("#")) continue;
    const state = isBot(issue.user) ? parseIncidentState(issue.body) : null;
    const alertname =
      facts.labels["alertname"] ??
      state?.labels["alertname"] ??
      state?.signals[0]?.name ??
      facts.key.split("/")[0] ??
      facts.key;
    const remediations = [
      ...(remediationsByKey.get(facts.key) ?? []),
      ...(remediationsByIssue.get(issue.number) ?? []),
    ];
    const actions = [
      ...issue.comments.filter((c) => !isBot(c.user, c.userIsBot)).map((c) => Date.parse(c.createdAt)),
      ...issue.events
        .filter((e) => (e.event === "closed" || e.event === "reopened") && e.actor !== "" && !isBot(e.actor))
        .map((e) => Date.parse(e.createdAt)),
      ...remediations,
    ].sort((a, b) => a - b);
    out.push({
      number: issue.number,
      key: facts.key,
      alertname,
      severity: facts.severity,
      episodes: episodesOf(issue, Math.min(facts.startedAt, facts.detectedAt), resolvedLabel, state),
      actions,
      remediated: remediations.length > 0,
    });
  }
  return out;
}

type Transition = { at: number; to: "open" | "resolved" };

function episodesOf(
  issue: ExportIssue,
  start: number,
  resolvedLabel: string,
  state: ReturnType<typeof parseIncidentState>,
): Episode[] {
  const transitions: Transition[] = [];
  for (const e of issue.events) {
    const at = Date.parse(e.createdAt);
    if (e.event === "closed") transitions.push({ at, to: "resolved" });
    else if (e.event === "reopened") transitions.push({ at, to: "open" });
    else if (e.event === "labeled" && e.label === resolvedLabel) transitions.push({ at, to: "resolved" });
    else if (e.event === "unlabeled" && e.label === resolvedLabel) transitions.push({ at, to: "open" });
  }
  for (const t of state?.timeline ?? []) {
    if (t.event === "resolved") transitions.push({ at: Date.parse(t.at), to: "resolved" });
    else if (t.event === "reopened") transitions.push({ at: Date.parse(t.at), to: "open" });
  }
  // The alert's own end time is the truest resolution of the last firing.
  if (state?.status === "resolved" && state.resolvedAt)
    transitions.push({ at: Date.parse(state.resolvedAt), to: "resolved" });
  transitions.sort((a, b) => a.at - b.at);
  const episodes: Episode[] = [{ start, end: null }];
  for (const t of transitions) {
    const cur = episodes[episodes.length - 1]!;
    if (Number.isNaN(t.at) || t.at < cur.start) continue;
    if (t.to === "resolved" && cur.end === null) cur.end = t.at;
    // Several sources report the same resolution (label, close, state) a moment apart: keep the earliest.
    else if (t.to === "open" && cur.end !== null) episodes.push({ start: t.at, end: null });
  }
  const last = episodes[episodes.length - 1]!;
  if (last.end === null && issue.state === "closed" && issue.closedAt) {
    const closed = Date.parse(issue.closedAt);
    if (closed >= last.start) last.end = closed;
  }
  return episodes;
}
