import { escapeMarkdown } from "../markdown/escape-markdown.js";
import { renderMarker } from "../markdown/render-marker.js";
import { renderTemplate } from "../markdown/render-template.js";
import { describeAlertNoise, describeProposal, describeStats } from "../noise/describe-proposal.js";
import { formatDuration } from "../util/duration.js";
import { boxId, type DashboardBox, renderDashboardState } from "./dashboard-boxes.js";
import type { DashboardModel } from "./dashboard-model.js";

/** The dashboard issue's hidden marker kind; its key is the repository. */
export const DASHBOARD_MARKER_KIND = "dashboard";
/** Rows per section (GitHub rejects bodies over 65,536 characters; the rest is counted). */
export const MAX_ROWS = 50;

const SAFE_ID = /^[A-Za-z0-9_:.-]{1,190}$/;

const box = (b: DashboardBox, checked: boolean, text: string) =>
  `- [${checked ? "x" : " "}] ${text} <!-- medic:box ${boxId(b)} -->`;

/**
 * The dashboard body: incidents, PRs with approve / hold / retry boxes, reverts, quarantined versions, the
 * kill switch and the noise report with one box per tuning proposal. Every piece of text from alerts,
 * issues or PRs is escaped; box markers carry only ids the bot builds.
 */
export function renderDashboard(model: DashboardModel, template: string): string {
  const now = model.generatedAt;
  const age = (t: number) => formatDuration(Math.max(0, now - t));
  const link = (n: number, url: string) => `[#${n}](${url.replace(/[()\s]/g, encodeURIComponent)})`;
  const more = (total: number) => (total > MAX_ROWS ? `\n\n…and ${total - MAX_ROWS} more.` : "");

  const s = model.state;
  const pause = [
    box(
      { kind: "pause" },
      s.paused,
      "**Pause all automation** — no remediation or revert PR is opened and every check says so while ticked",
    ),
    s.pausedBy
      ? `\n  ${s.paused ? "Paused" : "Resumed"} by @${escapeMarkdown(s.pausedBy, 100)}${s.pausedAt ? ` at ${escapeMarkdown(s.pausedAt, 40)}` : ""}.`
      : "",
  ].join("");

  const incidents =
    model.incidents.length === 0
      ? "None."
      : [
          "| Incident | Severity | Age |",
          "|---|---|---|",
          ...model.incidents
            .slice(0, MAX_ROWS)
            .map(
              (i) =>
                `| ${link(i.number, i.url)} ${escapeMarkdown(i.title, 200)} | ${i.severity ?? "unknown"} | ${age(i.startedAt)} |`,
            ),
        ].join("\n") + more(model.incidents.length);

  const pullRequests =
    model.pullRequests.length === 0
      ? "None."
      : model.pullRequests
          .slice(0, MAX_ROWS)
          .map((p) => {
            const approved = p.approvedBy.length
              ? ` — approved by ${p.approvedBy.map((l) => `@${escapeMarkdown(l, 100)}`).join(", ")}`
              : "";
            return [
              `- ${link(p.number, p.url)} ${escapeMarkdown(p.title, 200)} (${p.kind}) — waiting for ${escapeMarkdown(p.waitingFor, 200)}${approved}`,
              `  ${box({ kind: "approve", pr: p.number }, false, "approve")}`,
              `  ${box({ kind: "hold", pr: p.number }, p.held, "hold")}`,
              `  ${box({ kind: "retry", pr: p.number }, false, "retry")}`,
            ].join("\n");
          })
          .join("\n") + more(model.pullRequests.length);

  const reverts =
    model.reverts.length === 0
      ? "None."
      : model.reverts
          .slice(0, MAX_ROWS)
          .map(
            (r) =>
              `- ${link(r.number, r.url)} ${escapeMarkdown(r.title, 200)} (${r.state}, ${age(r.at)} ago)`,
          )
          .join("\n") + more(model.reverts.length);

  const quarantined =
    model.quarantined.length === 0
      ? "None."
      : model.quarantined
          .slice(0, MAX_ROWS)
          .map(
            (q) =>
              `- \`${q.image.replace(/`/g, "")}\` — ${escapeMarkdown(q.reason, 200)} (since ${escapeMarkdown(q.since, 40)})`,
          )
          .join("\n") + more(model.quarantined.length);

  let noise: string;
  if (!model.noise) noise = escapeMarkdown(model.noiseNote ?? "No analysis yet.", 500);
  else {
    const r = model.noise;
    const noisy = r.alerts.filter((a) => a.noisy);
    const lines = [
      `Period ${new Date(r.from).toISOString().slice(0, 10)} – ${new Date(r.to).toISOString().slice(0, 10)}: ${r.alerts.length} alerts fired, ${noisy.length} noisy.`,
      "",
    ];
    if (noisy.length > 0) {
      lines.push("| Alert | Statistics |", "|---|---|");
      for (const a of noisy.slice(0, MAX_ROWS))
        lines.push(`| ${escapeMarkdown(a.alertname, 200)} | ${escapeMarkdown(describeAlertNoise(a), 300)} |`);
      lines.push("");
    }
    if (r.proposals.length === 0) lines.push("No tuning proposals.");
    else {
      lines.push("Tuning proposals (ticking one opens a tuning pull request):", "");
      for (const p of r.proposals.slice(0, MAX_ROWS)) {
        const done = model.tuningPrs[p.id];
        const text = `${escapeMarkdown(describeProposal(p), 300)} — ${escapeMarkdown(describeStats(p), 300)}`;
        lines.push(
          done
            ? `- ${text} — ${link(done.number, done.url)}`
            : // An alert name outside Prometheus' character set gets no box: its id could not be read back safely.
              SAFE_ID.test(p.id)
              ? box({ kind: "tune", proposal: p.id }, false, text)
              : `- ${text} (alert name not usable in a checkbox)`,
        );
      }
    }
    noise = lines.join("\n");
  }

  return renderTemplate(
    template,
    {
      marker: renderMarker(DASHBOARD_MARKER_KIND, model.repo),
      pause,
      incidentCount: String(model.incidents.length),
      incidents,
      prCount: String(model.pullRequests.length),
      pullRequests,
      reverts,
      quarantined,
      noise,
      updatedAt: new Date(now)
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, " UTC"),
      state: renderDashboardState(s),
    },
    "dashboard.md",
  );
}
