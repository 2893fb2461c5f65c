import { formatDuration } from "../util/duration.js";
import type { DoraIncidentReport, EvidencePack } from "./evidence-pack.js";

const dur = (ms: number | null) => (ms === null ? "n/a" : formatDuration(ms));
const pct = (r: number | null) => (r === null ? "n/a" : `${Math.round(r * 1000) / 10}%`);
const day = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "—");

/** One table cell: no line breaks, no raw HTML, no `|` that would split the row. */
function cell(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .trim();
}

function table(head: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `_${empty}_\n`;
  return `| ${head.join(" | ")} |\n|${head.map(() => "---").join("|")}|\n${rows.map((r) => `| ${r.join(" | ")} |`).join("\n")}\n`;
}

function report(r: DoraIncidentReport): string {
  const v = (x: string | boolean | null) => (x === null ? "_to complete_" : cell(String(x)));
  const crit = Object.entries(r.classification)
    .filter(([k]) => k !== "basis")
    .map(([k, c]) => {
      const cc = c as { met: boolean | null; detail: string };
      return [k, cc.met === null ? "_to assess_" : cc.met ? "met" : "not met", cell(cc.detail)];
    });
  return `### Incident #${r.incident} — ${cell(r.key)}

${cell(r.classification.basis)}

${table(["Classification criterion (RTS 2024/1772)", "Threshold", "Evidence"], crit, "")}
**Initial notification** (due ${day(r.initial.dueBy)})

${table(
  ["Field", "Value"],
  [
    ["Incident reference code", v(r.initial.incidentReferenceCode)],
    ["Detected", day(r.initial.detectedAt)],
    ["Classified", day(r.initial.classifiedAt)],
    ["Description", v(r.initial.description)],
    ["How discovered", v(r.initial.howDiscovered)],
    ["Origin", v(r.initial.origin)],
    ["Member States affected", v(r.initial.memberStatesAffected)],
    ["Business continuity plan activated", v(r.initial.businessContinuityActivated)],
  ],
  "",
)}
**Intermediate report** (due ${day(r.intermediate.dueBy)})

${table(
  ["Field", "Value"],
  [
    ["Occurred", day(r.intermediate.occurredAt)],
    ["Regular activities recovered", r.intermediate.recoveredAt ? day(r.intermediate.recoveredAt) : v(null)],
    ["Incident type", v(r.intermediate.incidentType)],
    ["Affected infrastructure", v(r.intermediate.affectedInfrastructure.join(", ") || null)],
    [
      "Actions taken",
      r.intermediate.actionsTaken.map((a) => cell(`${day(a.at)}: ${a.text}`)).join("<br>") || v(null),
    ],
    ["Reported to other authorities", v(r.intermediate.reportedToOtherAuthorities)],
  ],
  "",
)}
**Final report** (due ${day(r.final.dueBy)})

${table(
  ["Field", "Value"],
  [
    ["Root causes", v(r.final.rootCauses.join(", ") || null)],
    ["Resolved", r.final.resolvedAt ? day(r.final.resolvedAt) : v(null)],
    ["Root cause addressed", r.final.rootCauseAddressedAt ? day(r.final.rootCauseAddressedAt) : v(null)],
    ["Resolution", v(r.final.resolution)],
    ["Costs and losses", v(r.final.costsAndLosses)],
    ["Recurring incidents", r.final.recurringIncidents.map((n) => `#${n}`).join(", ") || "none"],
  ],
  "",
)}
To complete before submission: ${r.toComplete.map((f) => `\`${f}\``).join(", ")}
`;
}

/** `evidence.md`: the same evidence as the HTML report, as Markdown tables (charts are in evidence.html). */
export function renderEvidenceMarkdown(pack: EvidencePack): string {
  const d = pack.dora;
  const s = pack.summary;
  const out: string[] = [];
  out.push(`# Compliance evidence — ${cell(pack.repository)}

Range ${day(pack.since)} → ${day(pack.until)}; generated ${day(pack.generatedAt)} from ${pack.source.kind === "github" ? "the GitHub API" : `recorded export \`${cell(pack.source.name)}\``} (taken ${day(pack.source.exportedAt)}). Deployments counted from **${d.deploymentsFrom}**. Definitions: docs/evidence.md.

## DORA four keys

${table(
  ["Key", "Value", "Detail", "Four Keys bucket"],
  [
    [
      "Deployment frequency",
      `${Math.round(d.deploymentFrequency.perWeek * 10) / 10} per week`,
      `${d.deploymentFrequency.deployments} deployments in ${Math.round(d.deploymentFrequency.days * 10) / 10} days`,
      d.deploymentFrequency.bucket ?? "n/a",
    ],
    [
      "Lead time for changes",
      dur(d.leadTime.medianMs),
      `median of ${d.leadTime.changes} changes; p90 ${dur(d.leadTime.p90Ms)}`,
      d.leadTime.bucket ?? "n/a",
    ],
    [
      "Change failure rate",
      pct(d.changeFailureRate.rate),
      `${d.changeFailureRate.failed} of ${d.changeFailureRate.deployments} deployments`,
      d.changeFailureRate.bucket ?? "n/a",
    ],
    [
      "Time to restore",
      dur(d.timeToRestore.medianMs),
      `median of ${d.timeToRestore.incidents} resolved incidents`,
      d.timeToRestore.bucket ?? "n/a",
    ],
  ],
  "",
)}
## Summary

${table(
  ["Figure", "Value"],
  [
    [
      "Incidents detected in range",
      `${s.incidents} (${s.majorIncidents} major, ${s.openIncidents} open at the end)`,
    ],
    ["MTTD (median)", dur(s.mttd.medianMs)],
    ["MTTR (median)", dur(s.mttr.medianMs)],
    ["Policy violations", `${s.violationsFound} found, ${s.violationsFixed} fixed`],
    ["Changes", `${s.changes} (${s.changesWithoutPullRequest} without a pull request)`],
    ["Overrides", String(s.overrides)],
  ],
  "",
)}
### Weekly

${table(
  [
    "Week",
    "Deployments",
    "Failed",
    "Lead time",
    "Incidents",
    "MTTD",
    "MTTR",
    "Restore",
    "Violations found/fixed",
  ],
  d.weekly.map((w) => [
    w.weekStart.slice(0, 10),
    String(w.deployments),
    String(w.failedDeployments),
    dur(w.leadTimeMedianMs),
    String(w.incidents),
    dur(w.mttdMedianMs),
    dur(w.mttrMedianMs),
    dur(w.timeToRestoreMedianMs),
    `${w.violationsFound}/${w.violationsFixed}`,
  ]),
  "No weeks in range.",
)}`);
  out.push(`## Incidents

${table(
  ["#", "Key", "Severity", "Started", "Detected", "Resolved", "MTTD", "MTTR", "Restore", "Notes"],
  pack.incidents.map((i) => [
    `[#${i.number}](${i.url})`,
    cell(i.key),
    `${i.severity ?? "—"}${i.major ? " **major**" : ""}`,
    day(i.startedAt),
    day(i.detectedAt),
    `${day(i.resolvedAt)}${i.reopened ? ` (reopened ${i.reopened}×)` : ""}`,
    dur(i.mttdMs),
    dur(i.mttrMs),
    dur(i.timeToRestoreMs),
    cell(i.notes.join("; ")),
  ]),
  "No incidents in this range.",
)}`);
  for (const i of pack.incidents) {
    out.push(`### Timeline of #${i.number} — ${cell(i.title)}

${table(
  ["Time", "Event", "Actor", "Detail"],
  i.timeline.map((t) => [day(t.at), t.kind, cell(t.actor), cell(t.text)]),
  "",
)}`);
  }
  out.push(`## Change log

${table(
  ["Commit", "PR", "Approvals", "Checks", "Deployment", "Lead time", "Failed"],
  pack.changes.map((c) => [
    `\`${c.sha.slice(0, 7)}\` ${cell(c.message)}`,
    c.pullRequest
      ? `[#${c.pullRequest.number}](${c.pullRequest.url}) by ${cell(c.pullRequest.author)}`
      : `**${cell(c.notes[0] ?? "no PR")}**`,
    cell(c.approvals.map((a) => `${a.login}${a.atHead === false ? " (stale)" : ""}`).join(", ") || "none"),
    cell(c.checks.map((k) => `${k.name}: ${k.conclusion ?? "pending"}`).join(", ")),
    cell(c.deployments.map((x) => `${x.environment} ${x.state}`).join(", ") || "not deployed"),
    dur(c.leadTimeMs),
    c.failed ? `yes: ${cell(c.failureReasons.join("; "))}` : "no",
  ]),
  "No changes in this range.",
)}
## Policy violations and remediation proof

${table(
  ["PR", "File", "Rule", "Found", "Fixed (proof)"],
  pack.violations.map((v) => [
    `#${v.pullRequest}`,
    `\`${cell(v.path)}:${v.line}\``,
    cell(v.rule),
    `${day(v.found.at)} on \`${v.found.sha.slice(0, 7)}\``,
    v.fixed
      ? `${day(v.fixed.at)} on \`${v.fixed.sha.slice(0, 7)}\` ([check run](${v.fixed.url}))`
      : "**not fixed**",
  ]),
  "No policy violations found.",
)}
## Approvals

${table(
  ["PR", "Approver", "When", "Via", "On merged head", "Counts"],
  pack.approvals.map((a) => [
    `#${a.pullRequest}${a.destructive ? " (destructive)" : ""}`,
    cell(a.login),
    day(a.at),
    a.via,
    a.atHead === null ? "unknown" : a.atHead ? "yes" : "**no**",
    a.bot ? "no (bot)" : a.selfApproval ? "no (self-approval)" : "eligible",
  ]),
  "No approvals.",
)}
## Overrides

${table(
  ["#", "Who", "When", "Check", "Reason", "Source"],
  pack.overrides.map((o) => [
    `#${o.number}`,
    cell(o.actor),
    day(o.at),
    cell(o.check),
    cell(o.reason),
    o.source,
  ]),
  "No overrides.",
)}
## Backup and restore tests

${table(
  ["Runbook", "When", "Outcome", "Detail"],
  pack.backupTests.map((b) => [cell(b.runbook), day(b.at), b.outcome, cell(b.detail)]),
  pack.config.backupTestRunbooks.length
    ? "No backup/restore test runs in this range."
    : "No backup test runbooks configured (evidence.backupTestRunbooks).",
)}
## Vulnerability scans

${table(
  ["Scanner", "Commit", "PR", "Conclusion", "Findings"],
  pack.scans.map((x) => [
    cell(x.name),
    `\`${x.sha.slice(0, 7)}\``,
    x.pullRequest ? `#${x.pullRequest}` : "—",
    x.conclusion ?? "pending",
    `${x.findings}${x.title ? ` — ${cell(x.title)}` : ""}`,
  ]),
  `No runs of the configured scanners (${pack.config.scanners.join(", ")}).`,
)}
## Audit trail

${pack.ledger ? (pack.ledger.ok ? `Ledger verified: ${pack.ledger.lines} records, head \`${pack.ledger.head}\`.` : `**Ledger broken at line ${pack.ledger.break?.line}**: ${cell(pack.ledger.break?.message ?? "")}`) : "_No audit ledger in this export._"}

${table(
  ["When", "Actor", "Action", "Reason", "Outcome", "In ledger"],
  pack.auditRecords.map((a) => [
    day(a.record.at),
    cell(a.record.actor.login),
    a.record.action,
    cell(a.record.reason),
    a.record.outcome.status,
    a.inLedger === null ? "—" : a.inLedger ? "yes" : "**no**",
  ]),
  "No audit records found.",
)}
## DORA incident report drafts

${pack.doraReports.map(report).join("\n") || "_No major incidents in this range._\n"}
## Notes

${pack.notes.map((n) => `- ${cell(n)}`).join("\n") || "_None._"}
`);
  return out.join("\n");
}
