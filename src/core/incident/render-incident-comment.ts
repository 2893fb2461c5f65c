import { escapeMarkdown } from "../markdown/escape-markdown.js";
import { renderMarker } from "../markdown/render-marker.js";
import { renderTemplate } from "../markdown/render-template.js";
import { formatDuration } from "../util/duration.js";
import type { Incident } from "./incident.js";
import type { IncidentTemplates } from "./incident-templates.js";
import { measureIncident } from "./measure-incident.js";
import { renderTimeline, time } from "./render-incident-issue.js";

export type IncidentCommentKind = "change" | "reopened" | "resolved";

/**
 * A comment on the incident issue. Each carries a marker naming the incident key, the kind and the time,
 * so a comment whose POST answered 5xx after succeeding is found instead of posted twice.
 */
export function renderIncidentComment(
  inc: Incident,
  kind: IncidentCommentKind,
  lines: readonly string[],
  templates: Pick<IncidentTemplates, "resolved" | "update">,
  opts: { now: number; cooldown: string; onResolve: "close" | "label" },
): { body: string; markerId: string } {
  const markerId = `${inc.key}/${kind}/${opts.now}`;
  const marker = renderMarker("incident-comment", markerId);
  if (kind === "resolved") {
    const { mttdMs, mttrMs } = measureIncident(inc);
    const body = renderTemplate(
      templates.resolved,
      {
        marker,
        startsAt: time(inc.startsAt),
        openedAt: time(inc.openedAt),
        resolvedAt: time(inc.resolvedAt),
        mttd: mttdMs === null ? "n/a" : formatDuration(mttdMs),
        mttr: mttrMs === null ? "n/a" : formatDuration(mttrMs),
        timeline: renderTimeline(inc.timeline ?? [], inc.timelineDropped ?? 0),
        closing:
          opts.onResolve === "close"
            ? "All signals resolved; closing. A recurrence reopens this issue within the reopen window."
            : "All signals resolved; the issue stays open for follow-up (configured `onResolve: label`).",
      },
      "incident-resolved.md",
    );
    return { body, markerId };
  }
  const body = renderTemplate(
    templates.update,
    {
      marker,
      headline: kind === "reopened" ? "🔁 Recurred: reopened" : "Incident changed",
      changes: lines.map((l) => `- ${escapeMarkdown(l, 500)}`).join("\n"),
      cooldown: opts.cooldown,
    },
    "incident-update.md",
  );
  return { body, markerId };
}
