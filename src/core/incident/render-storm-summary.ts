import { escapeMarkdown } from "../markdown/escape-markdown.js";
import { renderMarker } from "../markdown/render-marker.js";
import type { Severity } from "./incident.js";
import { time } from "./render-incident-issue.js";

/** The key of the one summary issue that lists incidents beyond the hourly new-issue limit. */
export const STORM_SUMMARY_KEY = "storm/summary";
const MAX_ROWS = 300;

/** An incident that did not get its own issue during a storm. */
export interface OverflowIncident {
  key: string;
  severity: Severity;
  firstSeenAt: string;
  lastSeenAt: string;
  notifications: number;
  /** Fingerprints still firing; empty ⇒ resolved. */
  firing: string[];
}

/**
 * The storm summary issue: one row per incident that was not given its own issue (most severe and most
 * recent first), so an overflow is visible rather than dropped. Keys are escaped (they come from labels).
 */
export function renderStormSummary(
  overflow: readonly OverflowIncident[],
  limitPerHour: number,
): { title: string; body: string } {
  const rank: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
  const rows = [...overflow].sort(
    (a, b) =>
      Number(a.firing.length === 0) - Number(b.firing.length === 0) ||
      rank[a.severity] - rank[b.severity] ||
      Date.parse(b.lastSeenAt) - Date.parse(a.lastSeenAt),
  );
  const firing = overflow.filter((o) => o.firing.length > 0).length;
  const table = rows
    .slice(0, MAX_ROWS)
    .map(
      (o) =>
        `| ${escapeMarkdown(o.key, 200)} | ${o.severity} | ${o.firing.length > 0 ? `firing (${o.firing.length})` : "resolved"} | ${time(o.firstSeenAt)} | ${time(o.lastSeenAt)} | ${o.notifications} |`,
    );
  const more = rows.length - table.length;
  const body = [
    renderMarker("incident", STORM_SUMMARY_KEY),
    "## 🌩️ Alert storm: incidents without their own issue",
    "",
    `More than ${limitPerHour} new incidents arrived within an hour (\`incidents.maxNewIssuesPerHour\`). To stay`,
    "inside GitHub's write limits, these are listed here instead of opening an issue each. They get their own",
    "issue when they fire again after the storm, within the limit.",
    "",
    `**${firing}** firing, **${overflow.length - firing}** resolved.`,
    "",
    "| Incident key | Severity | Status | First seen | Last seen | Notifications |",
    "|---|---|---|---|---|---|",
    ...table,
    ...(more > 0 ? ["", `… and ${more} more.`] : []),
  ].join("\n");
  return { title: `Alert storm: ${overflow.length} incidents summarised (${firing} firing)`, body };
}
