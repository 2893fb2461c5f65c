import { z } from "zod";
import { AuditRecord } from "../audit/audit-record.js";

// Factories, not shared instances: each field gets its own schema so its JSDoc description stays its own.
const time = () => z.string();
const ms = () => z.number().nullable();

const notes = () => z.array(z.string());

/** One incident in the evidence pack. */
export const EvidenceIncident = z.object({
  /** Issue number. */
  number: z.number(),
  /** Incident key from the hidden marker, or `#<number>`. */
  key: z.string(),
  /** Issue title. */
  title: z.string(),
  /** Link to the issue. */
  url: z.string(),
  /** Severity from the `severity:<level>` label (null when unlabelled). */
  severity: z.enum(["critical", "warning", "info"]).nullable(),
  /** Whether it is at or above `evidence.majorSeverity` (gets a DORA report draft). */
  major: z.boolean(),
  /** Issue state at export time. */
  state: z.enum(["open", "closed"]),
  /** Impact start (RFC 3339). */
  startedAt: time(),
  /** Where the start time came from: the incident state block, the bot's audit record, the issue body, or issue creation. */
  startSource: z.enum(["incident-state", "audit-record", "body", "issue-created"]),
  /** Detection: the incident issue was opened. */
  detectedAt: time(),
  /** Resolution, null while open. */
  resolvedAt: time().nullable(),
  /** Times reopened. */
  reopened: z.number(),
  /** Whether it was detected inside the range (counts in the metrics). */
  inRange: z.boolean(),
  /** time() to detect in ms (null when excluded; see notes). */
  mttdMs: ms(),
  /** time() to resolve in ms (null when open or excluded). */
  mttrMs: ms(),
  /** DORA time to restore in ms (from the root-cause deployment when earlier than the start). */
  timeToRestoreMs: ms(),
  /** Commits named by `root cause: <sha>`, resolved to full SHAs where the export knows them. */
  rootCauses: z.array(
    z.object({ sha: z.string(), pullRequest: z.number().nullable(), deployedAt: time().nullable() }),
  ),
  /** The incident's timeline, oldest first. */
  timeline: z.array(
    z.object({
      at: time(),
      kind: z.string(),
      actor: z.string(),
      text: z.string(),
      url: z.string().optional(),
    }),
  ),
  /** Why a duration is missing, and other remarks. */
  notes: notes(),
});
export type EvidenceIncident = z.infer<typeof EvidenceIncident>;

/** One entry of the change log: commit → PR → approvals → checks → deployment status. */
export const EvidenceChange = z.object({
  /** Default-branch commit SHA. */
  sha: z.string(),
  /** First line of the commit message. */
  message: z.string(),
  /** Commit author. */
  author: z.string(),
  /** Commit time. */
  committedAt: time(),
  /** The PR that produced it, if any (a direct push has none: flagged in notes). */
  pullRequest: z
    .object({
      number: z.number(),
      title: z.string(),
      url: z.string(),
      author: z.string(),
      mergedAt: time(),
      mergedBy: z.string().nullable(),
      labels: z.array(z.string()),
    })
    .nullable(),
  /** Approving reviews and `/approve` commands. */
  approvals: z.array(
    z.object({
      login: z.string(),
      at: time(),
      via: z.enum(["review", "command"]),
      atHead: z.boolean().nullable(),
      bot: z.boolean(),
    }),
  ),
  /** Check runs on the PR head and the merge commit (name, conclusion, link). */
  checks: z.array(
    z.object({ name: z.string(), sha: z.string(), conclusion: z.string().nullable(), url: z.string() }),
  ),
  /** Deployments that shipped it, with their final state. */
  deployments: z.array(z.object({ id: z.string(), environment: z.string(), state: z.string(), at: time() })),
  /** First commit of the change → its deployment, in ms. */
  leadTimeMs: ms(),
  /** Whether a deployment of it failed (root cause of an incident, reverted, or failed status). */
  failed: z.boolean(),
  /** Why it counts as failed. */
  failureReasons: z.array(z.string()),
  /** Remarks (direct push, unknown lead time…). */
  notes: notes(),
});
export type EvidenceChange = z.infer<typeof EvidenceChange>;

/** A policy violation found by `medic/policy` and how it was fixed. */
export const EvidenceViolation = z.object({
  /** PR it was found on. */
  pullRequest: z.number(),
  /** File path. */
  path: z.string(),
  /** Line. */
  line: z.number(),
  /** Policy/rule (annotation title). */
  rule: z.string(),
  /** Finding message. */
  message: z.string(),
  /** Annotation level. */
  level: z.string(),
  /** First failing run that reported it. */
  found: z.object({ at: time(), sha: z.string(), checkRunId: z.number(), url: z.string() }),
  /** Remediation proof: the first later `medic/policy` run without it (null when never fixed). */
  fixed: z
    .object({ at: time(), sha: z.string(), checkRunId: z.number(), url: z.string(), conclusion: z.string() })
    .nullable(),
});
export type EvidenceViolation = z.infer<typeof EvidenceViolation>;

/** An approval (review or command) of a merged PR. */
export const EvidenceApproval = z.object({
  /** PR. */
  pullRequest: z.number(),
  /** Approver. */
  login: z.string(),
  /** When. */
  at: time(),
  /** A review, or an `/approve` comment. */
  via: z.enum(["review", "command"]),
  /** Given on the commit that merged (null when unknown, e.g. commands). */
  atHead: z.boolean().nullable(),
  /** Approver is a bot or app (never counts for the gate). */
  bot: z.boolean(),
  /** Approver is the PR author (never counts for the gate). */
  selfApproval: z.boolean(),
  /** Whether the PR was labelled `risk:destructive`. */
  destructive: z.boolean(),
});
export type EvidenceApproval = z.infer<typeof EvidenceApproval>;

/** A break-glass override of a check, with its reason. */
export const EvidenceOverride = z.object({
  /** PR or issue number. */
  number: z.number(),
  /** Who overrode. */
  actor: z.string(),
  /** When. */
  at: time(),
  /** The check overridden (e.g. `medic/approval`). */
  check: z.string(),
  /** The reason given, verbatim. */
  reason: z.string(),
  /** From the bot's command record, its audit record, or (older history) the slash command's comment. */
  source: z.enum(["command-record", "audit-record", "command"]),
  /** Link. */
  url: z.string(),
});
export type EvidenceOverride = z.infer<typeof EvidenceOverride>;

/** A run of a backup/restore test runbook. */
export const EvidenceBackupTest = z.object({
  /** Runbook id. */
  runbook: z.string(),
  /** When it ran (merge or record time). */
  at: time(),
  /** `passed`, `failed` or `unknown` (no deployment status or outcome recorded). */
  outcome: z.enum(["passed", "failed", "unknown"]),
  /** How the outcome was established. */
  detail: z.string(),
  /** PR number when it ran as a remediation PR. */
  pullRequest: z.number().nullable(),
  /** Link. */
  url: z.string(),
});
export type EvidenceBackupTest = z.infer<typeof EvidenceBackupTest>;

/** A vulnerability scanner's check run. */
export const EvidenceScan = z.object({
  /** Check run name. */
  name: z.string(),
  /** Commit scanned. */
  sha: z.string(),
  /** PR the commit belongs to, if any. */
  pullRequest: z.number().nullable(),
  /** Conclusion. */
  conclusion: z.string().nullable(),
  /** Completion time. */
  completedAt: time().nullable(),
  /** Output title. */
  title: z.string().nullable(),
  /** Annotations (findings) the export holds for it. */
  findings: z.number(),
  /** Link. */
  url: z.string(),
});
export type EvidenceScan = z.infer<typeof EvidenceScan>;

/** Classification criteria of Delegated Regulation (EU) 2024/1772, Articles 1–7. */
const Criterion = z.object({
  /** Whether the materiality threshold is met (null: to be assessed by the entity). */
  met: z.boolean().nullable(),
  /** What the timeline shows, or what to assess. */
  detail: z.string(),
});

/** A draft report for a major incident, in the structure of DORA Art. 19 and RTS (EU) 2025/301 Art. 2–4. */
export const DoraIncidentReport = z.object({
  /** Incident issue number. */
  incident: z.number(),
  /** Incident key. */
  key: z.string(),
  /** Classification against Art. 18 DORA / RTS 2024/1772. */
  classification: z.object({
    /** Why the incident is treated as major here (severity rule); the entity confirms against Art. 8. */
    basis: z.string(),
    /** Art. 1: clients, financial counterparts and transactions affected. */
    clientsCounterpartsTransactions: Criterion,
    /** Art. 2: reputational impact. */
    reputationalImpact: Criterion,
    /** Art. 3: duration and service downtime. */
    durationAndDowntime: Criterion,
    /** Art. 4: geographical spread. */
    geographicalSpread: Criterion,
    /** Art. 5: data losses. */
    dataLosses: Criterion,
    /** Art. 6: critical services affected. */
    criticalServicesAffected: Criterion,
    /** Art. 7: economic impact. */
    economicImpact: Criterion,
  }),
  /** Initial notification (RTS 2025/301 Art. 2). */
  initial: z.object({
    incidentReferenceCode: z.string(),
    detectedAt: time(),
    classifiedAt: time(),
    description: z.string(),
    howDiscovered: z.string(),
    origin: z.string().nullable(),
    memberStatesAffected: z.string().nullable(),
    businessContinuityActivated: z.boolean().nullable(),
    dueBy: time(),
  }),
  /** Intermediate report (RTS 2025/301 Art. 3). */
  intermediate: z.object({
    occurredAt: time(),
    recoveredAt: time().nullable(),
    incidentType: z.string(),
    affectedInfrastructure: z.array(z.string()),
    actionsTaken: z.array(z.object({ at: time(), text: z.string() })),
    reportedToOtherAuthorities: z.string().nullable(),
    dueBy: time(),
  }),
  /** Final report (RTS 2025/301 Art. 4). */
  final: z.object({
    rootCauses: z.array(z.string()),
    resolvedAt: time().nullable(),
    rootCauseAddressedAt: time().nullable(),
    resolution: z.string(),
    costsAndLosses: z.string().nullable(),
    recurringIncidents: z.array(z.number()),
    dueBy: time().nullable(),
  }),
  /** Fields the timeline cannot fill: the reporting entity must complete them before submission. */
  toComplete: z.array(z.string()),
});
export type DoraIncidentReport = z.infer<typeof DoraIncidentReport>;

const duration = () => z.object({ medianMs: ms() });

/** `evidence.json`: the compliance evidence pack `medic evidence` writes. */
export const EvidencePack = z.object({
  /** Format marker and version. */
  schema: z.literal("gitops-medic/evidence@1"),
  /** `owner/name`. */
  repository: z.string(),
  /** Range start (inclusive). */
  since: time(),
  /** Range end (exclusive). */
  until: time(),
  /** When the pack was generated. */
  generatedAt: time(),
  /** Where the data came from: the GitHub API or a recorded export file, and when it was taken. */
  source: z.object({ kind: z.enum(["github", "file"]), exportedAt: time(), name: z.string() }),
  /** The `evidence` configuration used. */
  config: z.object({
    scanners: z.array(z.string()),
    backupTestRunbooks: z.array(z.string()),
    majorSeverity: z.string(),
    incidentLabel: z.string(),
    productionEnvironments: z.array(z.string()),
    deploymentSource: z.string(),
  }),
  /** Headline figures. */
  summary: z.object({
    incidents: z.number(),
    majorIncidents: z.number(),
    openIncidents: z.number(),
    mttd: duration(),
    mttr: duration(),
    violationsFound: z.number(),
    violationsFixed: z.number(),
    changes: z.number(),
    changesWithoutPullRequest: z.number(),
    overrides: z.number(),
  }),
  /** The four DORA keys and their weekly series; `deploymentsFrom` says what counted as a deployment. */
  dora: z.object({
    deploymentsFrom: z.enum(["deployments", "merges"]),
    deploymentFrequency: z.object({
      deployments: z.number(),
      days: z.number(),
      perDay: z.number(),
      perWeek: z.number(),
      bucket: z.string().nullable(),
    }),
    leadTime: z.object({ changes: z.number(), medianMs: ms(), p90Ms: ms(), bucket: z.string().nullable() }),
    changeFailureRate: z.object({
      deployments: z.number(),
      failed: z.number(),
      rate: z.number().nullable(),
      bucket: z.string().nullable(),
    }),
    timeToRestore: z.object({ incidents: z.number(), medianMs: ms(), bucket: z.string().nullable() }),
    weekly: z.array(
      z.object({
        weekStart: time(),
        deployments: z.number(),
        failedDeployments: z.number(),
        changeFailureRate: z.number().nullable(),
        leadTimeMedianMs: ms(),
        incidents: z.number(),
        mttdMedianMs: ms(),
        mttrMedianMs: ms(),
        timeToRestoreMedianMs: ms(),
        violationsFound: z.number(),
        violationsFixed: z.number(),
      }),
    ),
  }),
  /** Incidents detected in the range (and earlier ones still open in it). */
  incidents: z.array(EvidenceIncident),
  /** The change log. */
  changes: z.array(EvidenceChange),
  /** Policy violations with their remediation proof. */
  violations: z.array(EvidenceViolation),
  /** Approvals of merged PRs. */
  approvals: z.array(EvidenceApproval),
  /** Overrides with reasons. */
  overrides: z.array(EvidenceOverride),
  /** Backup/restore test runs. */
  backupTests: z.array(EvidenceBackupTest),
  /** Vulnerability scan results. */
  scans: z.array(EvidenceScan),
  /** Audit records found in the bot's comments and check summaries, and whether the ledger holds each. */
  auditRecords: z.array(
    z.object({ record: AuditRecord, source: z.string(), inLedger: z.boolean().nullable() }),
  ),
  /** Verification of the audit ledger, when the export carries it. */
  ledger: z
    .object({
      ok: z.boolean(),
      lines: z.number(),
      head: z.string(),
      break: z
        .object({
          line: z.number(),
          kind: z.string(),
          expected: z.string(),
          found: z.string(),
          message: z.string(),
        })
        .nullable(),
    })
    .nullable(),
  /** Draft DORA incident reports, one per major incident. */
  doraReports: z.array(DoraIncidentReport),
  /** Caveats about the data (what was excluded and why). */
  notes: z.array(z.string()),
});
export type EvidencePack = z.infer<typeof EvidencePack>;
