import { parseAuditBlock } from "../audit/audit-block.js";
import type { AuditRecord } from "../audit/audit-record.js";
import { canonicalJson } from "../audit/canonical-json.js";
import { verifyChain } from "../audit/hash-chain.js";
import type { EvidenceConfig } from "../config/sections/evidence.js";
import { SEVERITIES, type Severity } from "../incident/incident.js";
import { analyzeIncident, type IncidentFacts } from "./analyze-incident.js";
import { buildDoraReport } from "./build-dora-report.js";
import { computeDora } from "./compute-dora.js";
import type {
  EvidenceApproval,
  EvidenceBackupTest,
  EvidenceIncident,
  EvidenceOverride,
  EvidencePack,
  EvidenceScan,
} from "./evidence-pack.js";
import { findViolations } from "./find-violations.js";
import { approvalsOf, commandLines, commandRecordsOf, linkChanges } from "./link-changes.js";
import { measureIncident } from "./measure-incident.js";
import type { RecordedExport } from "./recorded-export.js";
import { weekStart } from "./stats.js";

export interface BuildEvidenceOptions {
  config: EvidenceConfig;
  /** Range to report on; defaults to the export's own range. */
  since?: number;
  until?: number;
  /** When the pack is generated (passed in: the core has no clock). */
  generatedAt: number;
  source: { kind: "github" | "file"; name: string };
  /** Logins whose comments count as the bot's own, besides `*[bot]` accounts. */
  botLogins?: string[];
  /** The label that marks a resolved incident kept open (`incidents.resolvedLabel`). */
  resolvedLabel?: string;
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);

/** Builds the whole evidence pack from a recorded export. Pure: same export and options, same pack. */
export function buildEvidencePack(exp: RecordedExport, opts: BuildEvidenceOptions): EvidencePack {
  const { config } = opts;
  const since = opts.since ?? Date.parse(exp.since);
  const until = opts.until ?? Date.parse(exp.until);
  const iso = (t: number) => new Date(t).toISOString();
  const notes: string[] = [];

  const incidentIssues = exp.issues.filter((i) => i.labels.includes(config.incidentLabel));
  const facts = incidentIssues.map((i) => analyzeIncident(i, opts.botLogins, opts.resolvedLabel));
  const linked = linkChanges(exp, config, facts, { since, until });
  notes.push(...linked.notes);

  const fullSha = (prefix: string) =>
    [...linked.deployedAt.keys(), ...exp.commits.map((c) => c.sha)].find((s) => s.startsWith(prefix)) ?? null;
  const prByMerge = new Map(exp.pullRequests.map((p) => [p.mergeCommitSha, p]));

  const measures = facts.map((f) => {
    const deployTimes = f.rootCauses
      .map((rc) => fullSha(rc))
      .map((s) => (s ? linked.deployedAt.get(s) : undefined))
      .filter((t): t is number => t !== undefined);
    return measureIncident(
      {
        number: f.number,
        startedAt: f.startedAt,
        detectedAt: f.detectedAt,
        resolvedAt: f.resolvedAt,
        rootCauseDeployedAt: deployTimes.length ? Math.min(...deployTimes) : null,
      },
      since,
      until,
    );
  });
  // Earlier incidents still open during the range are listed (they matter to an auditor) but not measured.
  const shown = facts
    .map((f, idx) => ({ f, m: measures[idx]! }))
    .filter(
      ({ f, m }) => m.inRange || (f.detectedAt < since && (f.resolvedAt === null || f.resolvedAt >= since)),
    )
    .sort((a, b) => a.f.detectedAt - b.f.detectedAt);

  const isMajor = (f: IncidentFacts) => f.severity !== null && rank(f.severity) <= rank(config.majorSeverity);
  const incidents: EvidenceIncident[] = shown.map(({ f, m }) => ({
    number: f.number,
    key: f.key,
    title: f.title,
    url: f.url,
    severity: f.severity,
    major: isMajor(f),
    state: f.state,
    startedAt: iso(f.startedAt),
    startSource: f.startSource,
    detectedAt: iso(f.detectedAt),
    resolvedAt: f.resolvedAt === null ? null : iso(f.resolvedAt),
    reopened: f.reopened,
    inRange: m.inRange,
    mttdMs: m.mttdMs,
    mttrMs: m.mttrMs,
    timeToRestoreMs: m.timeToRestoreMs,
    rootCauses: f.rootCauses.map((rc) => {
      const sha = fullSha(rc) ?? rc;
      const at = linked.deployedAt.get(sha);
      return {
        sha,
        pullRequest: prByMerge.get(sha)?.number ?? null,
        deployedAt: at === undefined ? null : iso(at),
      };
    }),
    timeline: f.timeline,
    notes: [
      ...(m.inRange ? [] : ["detected before the range: listed, not measured"]),
      ...(f.severity === null ? ["no severity:<level> label"] : []),
      ...m.notes,
    ],
  }));

  const within = (iso: string | null) => iso !== null && Date.parse(iso) >= since && Date.parse(iso) < until;
  const violations = findViolations(exp).filter((v) => within(v.found.at));
  const detectedAt = new Map(facts.map((f) => [f.number, f.detectedAt]));
  const dora = computeDora({
    deployments: linked.deployments,
    incidents: measures,
    detectedAt,
    since,
    until,
  });

  const approvals: EvidenceApproval[] = exp.pullRequests
    .filter((pr) => within(pr.mergedAt))
    .flatMap((pr) =>
      approvalsOf(pr).map((a) => ({
        pullRequest: pr.number,
        ...a,
        selfApproval: a.login === pr.user,
        destructive: pr.labels.includes("risk:destructive"),
      })),
    );

  // Audit records: only from bot-authored comments and check summaries of apps.
  const ledgerText = exp.auditLedger;
  const ledgerCheck = ledgerText === null ? null : verifyChain(ledgerText);
  const ledgerRecords = new Set<string>();
  if (ledgerText !== null) {
    for (const line of ledgerText.split("\n")) {
      try {
        const v = JSON.parse(line) as { record?: unknown };
        if (v.record) ledgerRecords.add(canonicalJson(v.record));
      } catch {
        // Unparsable lines are reported by the verification.
      }
    }
  }
  const auditRecords: EvidencePack["auditRecords"] = [];
  const pushRecord = (record: AuditRecord, source: string) =>
    auditRecords.push({
      record,
      source,
      inLedger: ledgerText === null ? null : ledgerRecords.has(canonicalJson(record)),
    });
  for (const f of facts) for (const r of f.auditRecords) pushRecord(r, `issue #${f.number}`);
  for (const pr of exp.pullRequests) {
    for (const c of pr.comments) {
      if (!(c.userIsBot || c.user.endsWith("[bot]") || opts.botLogins?.includes(c.user))) continue;
      const b = parseAuditBlock(c.body);
      if (b.ok) pushRecord(b.record, `PR #${pr.number} comment`);
    }
  }
  for (const run of exp.checkRuns) {
    const b = run.summary ? parseAuditBlock(run.summary) : null;
    if (b?.ok) pushRecord(b.record, `check run ${run.name} ${run.id}`);
  }
  auditRecords.sort((a, b) => Date.parse(a.record.at) - Date.parse(b.record.at));
  // Keep only the range's records (the ledger check above still covers the whole ledger).
  auditRecords.splice(0, auditRecords.length, ...auditRecords.filter((a) => within(a.record.at)));

  const overrides: EvidenceOverride[] = [];
  const overrideKey = new Set<string>();
  const addOverride = (o: EvidenceOverride) => {
    if (!within(o.at)) return;
    const k = `${o.number}\u0000${o.actor}\u0000${o.check}\u0000${o.reason}`;
    if (overrideKey.has(k)) return;
    overrideKey.add(k);
    overrides.push(o);
  };
  for (const pr of exp.pullRequests) {
    const records = commandRecordsOf(pr);
    for (const { record: r, at, url } of records) {
      if (r.kind === "override")
        addOverride({
          number: pr.number,
          actor: r.actor,
          at,
          check: r.check,
          reason: r.reason,
          source: "command-record",
          url,
        });
    }
    // The bot's records say what it accepted; raw comment lines are the fallback for older history.
    if (records.length > 0) continue;
    for (const c of pr.comments) {
      for (const line of commandLines(c.body)) {
        const m = /^\/override\s+(\S+)\s+(.+)$/.exec(line);
        if (m)
          addOverride({
            number: pr.number,
            actor: c.user,
            at: c.createdAt,
            check: m[1]!,
            reason: m[2]!.trim(),
            source: "command",
            url: c.url,
          });
      }
    }
  }
  for (const { record: r, source } of auditRecords) {
    if (!/\.override$/.test(r.action)) continue;
    const check = typeof r.inputs["check"] === "string" ? (r.inputs["check"] as string) : "";
    const actor =
      typeof r.inputs["requestedBy"] === "string" ? (r.inputs["requestedBy"] as string) : r.actor.login;
    addOverride({
      number: r.subject?.number ?? 0,
      actor,
      at: r.at,
      check,
      reason: r.reason,
      source: "audit-record",
      url: r.subject?.url ?? source,
    });
  }

  const backupTests: EvidenceBackupTest[] = [];
  const wanted = new Set(config.backupTestRunbooks);
  for (const pr of exp.pullRequests) {
    const rb = pr.labels
      .map((l) => /^runbook:(.+)$/.exec(l)?.[1])
      .find((id) => id !== undefined && wanted.has(id));
    if (!rb) continue;
    const deps = linked.deployments.filter(
      (d) => d.changes.includes(pr.mergeCommitSha) && linked.deploymentsFrom === "deployments",
    );
    const failed = deps.some((d) => d.state === "failure" || d.state === "error");
    const ok = deps.some((d) => d.state === "success");
    backupTests.push({
      runbook: rb,
      at: pr.mergedAt,
      outcome: failed ? "failed" : ok ? "passed" : "unknown",
      detail: deps.length
        ? `deployment ${deps.map((d) => `${d.id} ${d.state}`).join(", ")}`
        : "merged; no production deployment status recorded",
      pullRequest: pr.number,
      url: pr.url,
    });
  }
  for (const { record: r } of auditRecords) {
    if (!r.runbook || !wanted.has(r.runbook.id) || r.subject?.kind === "pull_request") continue;
    backupTests.push({
      runbook: r.runbook.id,
      at: r.at,
      outcome: r.outcome.status === "ok" ? "passed" : r.outcome.status === "failed" ? "failed" : "unknown",
      detail: `${r.action}: ${r.outcome.detail ?? r.outcome.status}`,
      pullRequest: null,
      url: r.subject?.url ?? "",
    });
  }
  backupTests.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  backupTests.splice(0, backupTests.length, ...backupTests.filter((b) => within(b.at)));

  const scanners = config.scanners.map((s) => s.toLowerCase());
  const prBySha = new Map<string, number>();
  for (const pr of exp.pullRequests)
    for (const sha of [pr.headSha, pr.mergeCommitSha, ...pr.commits.map((c) => c.sha)])
      prBySha.set(sha, pr.number);
  const scans: EvidenceScan[] = exp.checkRuns
    .filter(
      (r) => scanners.some((s) => r.name.toLowerCase().startsWith(s)) && within(r.completedAt ?? r.startedAt),
    )
    .map((r) => ({
      name: r.name,
      sha: r.headSha,
      pullRequest: prBySha.get(r.headSha) ?? null,
      conclusion: r.conclusion,
      completedAt: r.completedAt,
      title: r.title,
      findings: r.annotations.length,
      url: r.url,
    }))
    .sort((a, b) => Date.parse(a.completedAt ?? "") - Date.parse(b.completedAt ?? ""));

  const doraReports = shown
    .filter(({ f }) => isMajor(f))
    .map(({ f }) => {
      const rcShas = f.rootCauses.map((rc) => fullSha(rc) ?? rc);
      // The root cause is addressed when its revert reaches production (or merges, without deployments).
      const reverts = rcShas.flatMap((s) => linked.revertedBy.get(s) ?? []);
      const commitTime = new Map(exp.commits.map((c) => [c.sha, Date.parse(c.committedAt)]));
      const fixTimes = reverts
        .map((s) => linked.deployedAt.get(s) ?? commitTime.get(s))
        .filter((t): t is number => t !== undefined);
      const fixedAt = fixTimes.length ? Math.min(...fixTimes) : null;
      const recurring = facts.filter((o) => o.key === f.key && o.number !== f.number).map((o) => o.number);
      return buildDoraReport(f, {
        majorBasis: `severity ${f.severity} is at or above evidence.majorSeverity (${config.majorSeverity}); confirm against Art. 8 of Delegated Regulation (EU) 2024/1772`,
        recurring,
        rootCauseShas: rcShas,
        rootCauseFixedAt: fixedAt,
        labels: f.labels,
      });
    });

  const found = new Map<number, number>();
  const fixed = new Map<number, number>();
  for (const v of violations) {
    const w = weekStart(Date.parse(v.found.at));
    found.set(w, (found.get(w) ?? 0) + 1);
    if (v.fixed) {
      const wf = weekStart(Date.parse(v.fixed.at));
      fixed.set(wf, (fixed.get(wf) ?? 0) + 1);
    }
  }
  const measured = incidents.filter((i) => i.inRange);
  const med = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
    if (v.length === 0) return null;
    const m = (v.length - 1) / 2;
    return (v[Math.floor(m)]! + v[Math.ceil(m)]!) / 2;
  };
  if (facts.some((f) => f.startSource === "issue-created")) {
    notes.push("some incidents carry no alert start time: their impact start is the issue creation (MTTD 0)");
  }

  return {
    schema: "gitops-medic/evidence@1",
    repository: exp.repository,
    since: iso(since),
    until: iso(until),
    generatedAt: iso(opts.generatedAt),
    source: { kind: opts.source.kind, name: opts.source.name, exportedAt: exp.exportedAt },
    config: {
      scanners: config.scanners,
      backupTestRunbooks: config.backupTestRunbooks,
      majorSeverity: config.majorSeverity,
      incidentLabel: config.incidentLabel,
      productionEnvironments: config.productionEnvironments,
      deploymentSource: config.deploymentSource,
    },
    summary: {
      incidents: measured.length,
      majorIncidents: measured.filter((i) => i.major).length,
      openIncidents: incidents.filter((i) => i.resolvedAt === null || Date.parse(i.resolvedAt) >= until)
        .length,
      mttd: { medianMs: med(measured.map((i) => i.mttdMs)) },
      mttr: { medianMs: med(measured.map((i) => i.mttrMs)) },
      violationsFound: violations.length,
      violationsFixed: violations.filter((v) => v.fixed).length,
      changes: linked.changes.length,
      changesWithoutPullRequest: linked.changes.filter((c) => c.pullRequest === null).length,
      overrides: overrides.length,
    },
    dora: {
      deploymentsFrom: linked.deploymentsFrom,
      deploymentFrequency: dora.deploymentFrequency,
      leadTime: dora.leadTime,
      changeFailureRate: dora.changeFailureRate,
      timeToRestore: dora.timeToRestore,
      weekly: dora.weekly.map((w) => ({
        ...w,
        weekStart: iso(w.weekStart),
        violationsFound: found.get(w.weekStart) ?? 0,
        violationsFixed: fixed.get(w.weekStart) ?? 0,
      })),
    },
    incidents,
    changes: linked.changes,
    violations,
    approvals,
    overrides,
    backupTests,
    scans,
    auditRecords,
    ledger: ledgerCheck && {
      ok: ledgerCheck.ok,
      lines: ledgerCheck.ok ? ledgerCheck.tip.count : ledgerCheck.break.line - 1,
      head: ledgerCheck.tip.hash,
      break: ledgerCheck.ok ? null : ledgerCheck.break,
    },
    doraReports,
    notes,
  };
}
