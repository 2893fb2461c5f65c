import { formatDuration } from "../util/duration.js";
import { buildEvidenceCharts } from "./build-evidence-charts.js";
import type { DoraIncidentReport, EvidencePack } from "./evidence-pack.js";
import { escapeXml as esc, renderSvgChart } from "./render-svg-chart.js";

const dur = (ms: number | null) => (ms === null ? "n/a" : formatDuration(ms));
const pct = (r: number | null) => (r === null ? "n/a" : `${Math.round(r * 1000) / 10}%`);
const day = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "—");
const short = (sha: string) => sha.slice(0, 7);

/** Only http(s) links are written as links; anything else (javascript:, data:) stays text. */
function link(url: string, text: string): string {
  return /^https?:\/\/[^\s"'<>]+$/.test(url) ? `<a href="${esc(url)}">${esc(text)}</a>` : esc(text);
}

function table(head: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

const CSS = `
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1f2328;margin:0;background:#f6f8fa}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}.meta{color:#656d76;font-size:13px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px}.card .v{font-size:22px;font-weight:600}
.card .k{font-size:12px;color:#656d76}.card .b{font-size:11px;color:#656d76}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(570px,1fr));gap:12px}
.charts svg{background:#fff;border:1px solid #d0d7de;border-radius:6px;max-width:100%;height:auto}
table{border-collapse:collapse;width:100%;background:#fff;font-size:12px;margin:6px 0}
th,td{border:1px solid #d0d7de;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f6f8fa}
.bad{color:#cf222e;font-weight:600}.ok{color:#1a7f37}.empty{color:#656d76;font-style:italic}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:11px}
details{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:6px 10px;margin:6px 0}
summary{cursor:pointer;font-weight:600}.todo{color:#9a6700}
`;

function reportHtml(r: DoraIncidentReport): string {
  const v = (x: string | null | boolean) =>
    x === null ? '<span class="todo">to complete</span>' : esc(String(x));
  const crit = Object.entries(r.classification)
    .filter(([k]) => k !== "basis")
    .map(([k, c]) => {
      const cc = c as { met: boolean | null; detail: string };
      return [
        esc(k),
        cc.met === null ? '<span class="todo">to assess</span>' : cc.met ? "met" : "not met",
        esc(cc.detail),
      ];
    });
  return `<details open><summary>Incident #${r.incident} — ${esc(r.key)}</summary>
<p>${esc(r.classification.basis)}</p>
${table(["Classification criterion (RTS 2024/1772)", "Threshold", "Evidence"], crit, "")}
<h3>Initial notification (due ${day(r.initial.dueBy)})</h3>
${table(
  ["Field", "Value"],
  [
    ["Incident reference code", v(r.initial.incidentReferenceCode)],
    ["Detected", v(day(r.initial.detectedAt))],
    ["Classified", v(day(r.initial.classifiedAt))],
    ["Description", v(r.initial.description)],
    ["How discovered", v(r.initial.howDiscovered)],
    ["Origin", v(r.initial.origin)],
    ["Member States affected", v(r.initial.memberStatesAffected)],
    ["Business continuity plan activated", v(r.initial.businessContinuityActivated)],
  ],
  "",
)}
<h3>Intermediate report (due ${day(r.intermediate.dueBy)})</h3>
${table(
  ["Field", "Value"],
  [
    ["Occurred", v(day(r.intermediate.occurredAt))],
    [
      "Regular activities recovered",
      r.intermediate.recoveredAt ? esc(day(r.intermediate.recoveredAt)) : v(null),
    ],
    ["Incident type", v(r.intermediate.incidentType)],
    ["Affected infrastructure", v(r.intermediate.affectedInfrastructure.join(", ") || null)],
    [
      "Actions taken",
      r.intermediate.actionsTaken.map((a) => `${esc(day(a.at))}: ${esc(a.text)}`).join("<br>") || v(null),
    ],
    ["Reported to other authorities", v(r.intermediate.reportedToOtherAuthorities)],
  ],
  "",
)}
<h3>Final report (due ${day(r.final.dueBy)})</h3>
${table(
  ["Field", "Value"],
  [
    ["Root causes", v(r.final.rootCauses.join(", ") || null)],
    ["Resolved", r.final.resolvedAt ? esc(day(r.final.resolvedAt)) : v(null)],
    ["Root cause addressed", r.final.rootCauseAddressedAt ? esc(day(r.final.rootCauseAddressedAt)) : v(null)],
    ["Resolution", v(r.final.resolution)],
    ["Costs and losses", v(r.final.costsAndLosses)],
    ["Recurring incidents", v(r.final.recurringIncidents.map((n) => `#${n}`).join(", ") || "none")],
  ],
  "",
)}
<p class="todo">To complete before submission: ${esc(r.toComplete.join(", "))}</p></details>`;
}

/** The self-contained HTML report: inline CSS and SVG, no scripts, no network. */
export function renderEvidenceHtml(pack: EvidencePack): string {
  const s = pack.summary;
  const d = pack.dora;
  const card = (k: string, v: string, b = "") =>
    `<div class="card"><div class="k">${esc(k)}</div><div class="v">${esc(v)}</div><div class="b">${esc(b)}</div></div>`;
  const charts = buildEvidenceCharts(pack).map(renderSvgChart).join("\n");
  const incidents = table(
    ["#", "Key", "Severity", "Started", "Detected", "Resolved", "MTTD", "MTTR", "Restore", "Notes"],
    pack.incidents.map((i) => [
      link(i.url, `#${i.number}`),
      esc(i.key),
      esc(i.severity ?? "—") + (i.major ? " <b>major</b>" : ""),
      esc(day(i.startedAt)),
      esc(day(i.detectedAt)),
      esc(day(i.resolvedAt)) + (i.reopened ? ` (reopened ${i.reopened}×)` : ""),
      esc(dur(i.mttdMs)),
      esc(dur(i.mttrMs)),
      esc(dur(i.timeToRestoreMs)),
      esc(i.notes.join("; ")),
    ]),
    "No incidents in this range.",
  );
  const timelines = pack.incidents
    .map(
      (i) =>
        `<details><summary>#${i.number} ${esc(i.title)}</summary>${table(
          ["Time", "Event", "Actor", "Detail"],
          i.timeline.map((t) => [
            esc(day(t.at)),
            esc(t.kind),
            esc(t.actor),
            t.url ? link(t.url, t.text) : esc(t.text),
          ]),
          "",
        )}</details>`,
    )
    .join("");
  const changes = table(
    ["Commit", "PR", "Approvals", "Checks", "Deployment", "Lead time", "Failed"],
    pack.changes.map((c) => [
      `<code>${esc(short(c.sha))}</code> ${esc(c.message)}`,
      c.pullRequest
        ? `${link(c.pullRequest.url, `#${c.pullRequest.number}`)} by ${esc(c.pullRequest.author)}`
        : `<span class="bad">${esc(c.notes[0] ?? "no PR")}</span>`,
      esc(
        c.approvals
          .map(
            (a) =>
              `${a.login}${a.atHead === false ? " (stale)" : ""}${a.via === "command" ? " (/approve)" : ""}`,
          )
          .join(", ") || "none",
      ),
      c.checks
        .map(
          (k) =>
            `<span class="${k.conclusion === "success" || k.conclusion === "neutral" ? "ok" : "bad"}">${esc(k.name)}: ${esc(k.conclusion ?? "pending")}</span>`,
        )
        .join("<br>"),
      esc(c.deployments.map((x) => `${x.environment} ${x.state} ${day(x.at)}`).join("; ") || "not deployed"),
      esc(dur(c.leadTimeMs)),
      c.failed ? `<span class="bad">yes</span>: ${esc(c.failureReasons.join("; "))}` : "no",
    ]),
    "No changes in this range.",
  );
  const violations = table(
    ["PR", "File", "Rule", "Message", "Found", "Fixed (proof)"],
    pack.violations.map((v) => [
      `#${v.pullRequest}`,
      `<code>${esc(v.path)}:${v.line}</code>`,
      esc(v.rule),
      esc(v.message),
      `${link(v.found.url, day(v.found.at))} on <code>${esc(short(v.found.sha))}</code>`,
      v.fixed
        ? `<span class="ok">${link(v.fixed.url, day(v.fixed.at))}</span> on <code>${esc(short(v.fixed.sha))}</code> (${esc(v.fixed.conclusion)})`
        : '<span class="bad">not fixed</span>',
    ]),
    "No policy violations found.",
  );
  const approvals = table(
    ["PR", "Approver", "When", "Via", "On merged head", "Counts for the gate"],
    pack.approvals.map((a) => [
      `#${a.pullRequest}${a.destructive ? " (destructive)" : ""}`,
      esc(a.login),
      esc(day(a.at)),
      esc(a.via),
      a.atHead === null ? "unknown" : a.atHead ? "yes" : '<span class="bad">no</span>',
      a.bot || a.selfApproval
        ? `<span class="bad">no (${a.bot ? "bot" : "self-approval"})</span>`
        : "eligible",
    ]),
    "No approvals.",
  );
  const overrides = table(
    ["#", "Who", "When", "Check", "Reason", "Source"],
    pack.overrides.map((o) => [
      `#${o.number}`,
      esc(o.actor),
      esc(day(o.at)),
      esc(o.check),
      esc(o.reason),
      link(o.url, o.source),
    ]),
    "No overrides.",
  );
  const backups = table(
    ["Runbook", "When", "Outcome", "Detail", "Link"],
    pack.backupTests.map((b) => [
      esc(b.runbook),
      esc(day(b.at)),
      `<span class="${b.outcome === "passed" ? "ok" : "bad"}">${esc(b.outcome)}</span>`,
      esc(b.detail),
      b.pullRequest ? link(b.url, `#${b.pullRequest}`) : link(b.url, "record"),
    ]),
    pack.config.backupTestRunbooks.length
      ? "No backup/restore test runs in this range."
      : "No backup test runbooks configured (evidence.backupTestRunbooks).",
  );
  const scans = table(
    ["Scanner", "Commit", "PR", "Conclusion", "Findings", "Completed"],
    pack.scans.map((x) => [
      link(x.url, x.name),
      `<code>${esc(short(x.sha))}</code>`,
      x.pullRequest ? `#${x.pullRequest}` : "—",
      `<span class="${x.conclusion === "success" ? "ok" : "bad"}">${esc(x.conclusion ?? "pending")}</span>`,
      `${x.findings}${x.title ? ` — ${esc(x.title)}` : ""}`,
      esc(day(x.completedAt)),
    ]),
    `No runs of the configured scanners (${pack.config.scanners.join(", ")}).`,
  );
  const ledger = pack.ledger
    ? pack.ledger.ok
      ? `<p class="ok">Ledger verified: ${pack.ledger.lines} records, head <code>${esc(pack.ledger.head)}</code>.</p>`
      : `<p class="bad">Ledger BROKEN at line ${pack.ledger.break?.line}: ${esc(pack.ledger.break?.message ?? "")} (expected <code>${esc(pack.ledger.break?.expected ?? "")}</code>, found <code>${esc(pack.ledger.break?.found ?? "")}</code>).</p>`
    : '<p class="empty">No audit ledger in this export.</p>';
  const audit = table(
    ["When", "Actor", "Action", "Reason", "Outcome", "Source", "In ledger"],
    pack.auditRecords.map((a) => [
      esc(day(a.record.at)),
      esc(a.record.actor.login),
      esc(a.record.action),
      esc(a.record.reason),
      esc(a.record.outcome.status),
      esc(a.source),
      a.inLedger === null ? "—" : a.inLedger ? "yes" : '<span class="bad">no</span>',
    ]),
    "No audit records found.",
  );
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evidence pack — ${esc(pack.repository)}</title><style>${CSS}</style></head>
<body><main>
<h1>Compliance evidence — ${esc(pack.repository)}</h1>
<p class="meta">Range ${esc(day(pack.since))} → ${esc(day(pack.until))} · generated ${esc(day(pack.generatedAt))} from ${esc(pack.source.kind === "github" ? "the GitHub API" : `recorded export ${pack.source.name}`)} (taken ${esc(day(pack.source.exportedAt))}) · deployments counted from ${esc(d.deploymentsFrom)}</p>
<div class="cards">
${card("Deployment frequency", `${Math.round(d.deploymentFrequency.perWeek * 10) / 10}/week`, `${d.deploymentFrequency.deployments} deployments · ${d.deploymentFrequency.bucket ?? "n/a"}`)}
${card("Lead time for changes", dur(d.leadTime.medianMs), `median of ${d.leadTime.changes} changes · ${d.leadTime.bucket ?? "n/a"}`)}
${card("Change failure rate", pct(d.changeFailureRate.rate), `${d.changeFailureRate.failed} of ${d.changeFailureRate.deployments} deployments`)}
${card("Time to restore", dur(d.timeToRestore.medianMs), `median of ${d.timeToRestore.incidents} incidents · ${d.timeToRestore.bucket ?? "n/a"}`)}
${card("Incidents", String(s.incidents), `${s.majorIncidents} major · ${s.openIncidents} open`)}
${card("MTTD / MTTR", `${dur(s.mttd.medianMs)} / ${dur(s.mttr.medianMs)}`, "medians")}
${card("Policy violations", `${s.violationsFixed}/${s.violationsFound} fixed`, "found on merged PRs")}
${card("Overrides", String(s.overrides), `${s.changesWithoutPullRequest} change(s) without a PR`)}
</div>
<h2>Charts</h2><div class="charts">
${charts}
</div>
<h2>Incidents</h2>${incidents}
<h3>Incident timelines</h3>${timelines || '<p class="empty">No incidents.</p>'}
<h2>Change log (commit → PR → approvals → checks → deployment)</h2>${changes}
<h2>Policy violations and remediation proof</h2>${violations}
<h2>Approvals</h2>${approvals}
<h2>Overrides</h2>${overrides}
<h2>Backup and restore tests</h2>${backups}
<h2>Vulnerability scans</h2>${scans}
<h2>Audit trail</h2>${ledger}${audit}
<h2>DORA incident report drafts</h2>${pack.doraReports.map(reportHtml).join("") || '<p class="empty">No major incidents in this range.</p>'}
<h2>Notes</h2>${pack.notes.length ? `<ul>${pack.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : '<p class="empty">None.</p>'}
<p class="meta">Metric definitions: docs/evidence.md of gitops-medic. Evidence JSON: evidence.json (schema gitops-medic/evidence@1).</p>
</main></body></html>
`;
}
