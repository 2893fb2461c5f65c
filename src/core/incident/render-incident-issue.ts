import { escapeMarkdown } from "../markdown/escape-markdown.js";
import { renderMarker } from "../markdown/render-marker.js";
import { renderTemplate } from "../markdown/render-template.js";
import { sanitizeTitle } from "../markdown/sanitize-title.js";
import { formatDuration } from "../util/duration.js";
import type { Incident, Signal, TimelineEntry } from "./incident.js";
import { renderIncidentState } from "./incident-state.js";
import type { IncidentTemplates } from "./incident-templates.js";
import { measureIncident } from "./measure-incident.js";

/** GitHub rejects bodies over 65,536 characters; stay well under it. */
export const MAX_BODY_LENGTH = 60_000;
const MAX_ROWS = 30;

export interface RenderedIssue {
  title: string;
  body: string;
  labels: string[];
}

export interface RenderIssueOptions {
  /** Extra labels from config. */
  extraLabels?: readonly string[];
  /** Shown in the body when `.github/medic.yml` is broken and defaults were used. */
  configWarning?: string;
  /** `label` mode: the resolved label to add once resolved. */
  resolvedLabel?: string;
}

/** The labels an incident issue carries: `incident`, `severity:<level>`, `runbook:<id>` and extras. */
export function incidentLabels(inc: Incident, opts: RenderIssueOptions = {}): string[] {
  const labels = ["incident", `severity:${inc.severity}`];
  if (inc.runbookId) labels.push(`runbook:${inc.runbookId}`.slice(0, 50));
  for (const l of opts.extraLabels ?? []) if (!labels.includes(l)) labels.push(l);
  if (opts.resolvedLabel && inc.status === "resolved") labels.push(opts.resolvedLabel);
  return labels;
}

/**
 * Renders the incident issue from `templates/incident-issue.md`. Everything from alerts is escaped; the
 * state block is trimmed (fewest signals first) until the body fits GitHub's limit.
 */
export function renderIncidentIssue(
  inc: Incident,
  templates: Pick<IncidentTemplates, "issue">,
  opts: RenderIssueOptions = {},
): RenderedIssue {
  const root = inc.signals.find((s) => s.role !== "child") ?? inc.signals[0];
  const { mttdMs } = measureIncident(inc);
  const roots = inc.signals.filter((s) => s.role !== "child");
  const children = inc.signals.filter((s) => s.role === "child");
  const values = {
    marker: renderMarker("incident", inc.key),
    statusIcon: inc.status === "firing" ? "🔥" : "✅",
    title: escapeMarkdown(inc.title),
    status: inc.status,
    severity: inc.severity,
    key: escapeMarkdown(inc.key),
    startsAt: time(inc.startsAt),
    openedAt: time(inc.openedAt),
    mttd: mttdMs === null ? "n/a" : formatDuration(mttdMs),
    resolvedAt: inc.status === "resolved" ? time(inc.resolvedAt) : "—",
    lastSeenAt: time(inc.lastSeenAt),
    notifications: String(inc.notifications ?? 0),
    runbook: inc.runbookId
      ? `\`runbook:${escapeMarkdown(inc.runbookId, 50)}\``
      : inc.runbookNote
        ? `none matched: ${escapeMarkdown(inc.runbookNote, 300)}`
        : "none matched",
    previous: inc.previousIssue !== undefined ? `\nRecurrence of #${inc.previousIssue}.\n` : "",
    summary: escapeMarkdown(root?.annotations["summary"] ?? root?.annotations["message"] ?? inc.title, 500),
    description: quote(root?.annotations["description"]),
    signals: signalTable(roots, inc.signalOverflow ?? 0, false),
    children: children.length > 0 ? signalTable(children, 0, true) : "None.",
    timeline: renderTimeline(inc.timeline ?? [], inc.timelineDropped ?? 0),
    links: renderLinks(root),
    configWarning: opts.configWarning ? `\n> [!WARNING]\n> ${escapeMarkdown(opts.configWarning, 500)}\n` : "",
    state: "",
  };
  const title = sanitizeTitle(inc.title);
  const labels = incidentLabels(inc, opts);
  // Keep as many signals in the state as fit; the in-memory index still has all of them.
  let keep = inc.signals.length;
  for (;;) {
    const trimmed = keep < inc.signals.length ? trimState(inc, keep) : inc;
    const body = renderTemplate(
      templates.issue,
      { ...values, state: renderIncidentState(trimmed) },
      "incident-issue.md",
    );
    if (body.length <= MAX_BODY_LENGTH || keep === 0)
      return { title, body: body.slice(0, MAX_BODY_LENGTH), labels };
    keep = Math.floor(keep / 2);
  }
}

function trimState(inc: Incident, keep: number): Incident {
  const firingFirst = [...inc.signals].sort((a, b) =>
    a.status === b.status ? 0 : a.status === "firing" ? -1 : 1,
  );
  return {
    ...inc,
    signals: firingFirst.slice(0, keep),
    signalOverflow: (inc.signalOverflow ?? 0) + (inc.signals.length - keep),
  };
}

/** `2026-11-27T23:40:00.000Z` → `2026-11-27 23:40:00 UTC`. */
export function time(iso: string | undefined): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "—";
  return `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

function signalTable(signals: readonly Signal[], overflow: number, withRule: boolean): string {
  if (signals.length === 0) return "None.";
  const head = withRule
    ? "| Alert | Target | Status | Started | Ended | Rule |\n|---|---|---|---|---|---|"
    : "| Alert | Target | Status | Severity | Started | Ended | Firings |\n|---|---|---|---|---|---|---|";
  const rows = signals.slice(0, MAX_ROWS).map((s) => {
    const cells = [
      escapeMarkdown(s.name, 100),
      escapeMarkdown(targetOf(s), 200),
      s.status,
      ...(withRule ? [] : [s.severity ?? "—"]),
      time(s.startsAt),
      s.status === "resolved" ? time(s.endsAt) : "—",
      withRule ? escapeMarkdown(s.correlation ?? "", 60) : String(s.firings ?? 1),
    ];
    return `| ${cells.join(" | ")} |`;
  });
  const more = signals.length - rows.length + overflow;
  return [head, ...rows].join("\n") + (more > 0 ? `\n\n… and ${more} more.` : "");
}

function targetOf(s: Signal): string {
  const l = s.labels;
  const parts = [
    l["namespace"],
    l["pod"] ?? l["deployment"] ?? l["statefulset"] ?? l["persistentvolumeclaim"] ?? l["ingress"],
  ];
  if (l["node"]) parts.push(`node ${l["node"]}`);
  if (l["container"]) parts.push(`container ${l["container"]}`);
  if (l["condition"]) parts.push(l["condition"]);
  return parts.filter(Boolean).join(" · ") || (l["instance"] ?? "—");
}

/** The timeline as a table (escaped details). */
export function renderTimeline(entries: readonly TimelineEntry[], dropped = 0): string {
  if (entries.length === 0) return "No events yet.";
  const rows = entries.map((e) => {
    const url = safeUrl(e.url);
    return `| ${time(e.at)} | ${e.event} | ${escapeMarkdown(e.detail, 300)}${url ? ` ([link](${url}))` : ""} |`;
  });
  const note = dropped > 0 ? `\n\n${dropped} earlier entries not shown.` : "";
  return ["| Time | Event | Detail |", "|---|---|---|", ...rows].join("\n") + note;
}

function quote(text: string | undefined): string {
  if (!text?.trim()) return "";
  return text
    .trim()
    .split(/\r?\n/)
    .slice(0, 20)
    .map((l) => `> ${escapeMarkdown(l, 500)}`)
    .join("\n");
}

/** Links only for plain http(s) URLs (alert annotations are untrusted: no `javascript:`, no Markdown). */
export function safeUrl(url: string | undefined): string | null {
  if (!url || url.length > 2000) return null;
  return /^https?:\/\/[^\s<>()[\]"'`\\]+$/.test(url) ? url : null;
}

function renderLinks(root: Signal | undefined): string {
  if (!root) return "";
  const links: string[] = [];
  const gen = safeUrl(root.generatorURL);
  if (gen) links.push(`[Prometheus query](${gen})`);
  const rb = safeUrl(root.annotations["runbook_url"]);
  if (rb) links.push(`[Runbook](${rb.replace(/\bgithub\.com\//i, "redirect.github.com/")})`);
  const dash = safeUrl(root.annotations["dashboard_url"] ?? root.annotations["dashboard"]);
  if (dash) links.push(`[Dashboard](${dash})`);
  return links.length > 0 ? `Links: ${links.join(" · ")}` : "";
}
