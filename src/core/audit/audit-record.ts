import { z } from "zod";

/** Who or what took a decision or an action. */
export const AuditActor = z.strictObject({
  /** `bot` for gitops-medic itself, `user` for a person, `app` for another GitHub App or automation. */
  kind: z.enum(["bot", "user", "app"]),
  /** GitHub login (e.g. `gitops-medic[bot]`, `alice`). */
  login: z.string().min(1).max(100),
});
export type AuditActor = z.infer<typeof AuditActor>;

/** What a decision or action was about. */
export const AuditSubject = z.strictObject({
  /** The kind of GitHub object. */
  kind: z.enum(["issue", "pull_request", "check_run", "commit", "deployment", "repository", "ledger"]),
  /** `owner/name` of the repository that holds the object. */
  repo: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/)
    .optional(),
  /** Issue or pull request number. */
  number: z.number().int().positive().optional(),
  /** Check run or deployment id, or a commit SHA. */
  id: z.string().max(100).optional(),
  /** Link to the object. */
  url: z.string().url().optional(),
});
export type AuditSubject = z.infer<typeof AuditSubject>;

/** What came of the action. */
export const AuditOutcome = z.strictObject({
  /** `ok` done, `refused` not allowed (permissions, gates, hold), `failed` attempted and failed, `skipped` nothing to do. */
  status: z.enum(["ok", "refused", "failed", "skipped"]),
  /** One line for people. */
  detail: z.string().max(2000).optional(),
});
export type AuditOutcome = z.infer<typeof AuditOutcome>;

/**
 * One Evidence record: a decision or action of the bot (or a person acting through it), readable by people
 * in the bot's comments and check summaries, and verifiable by machines in the hash-chained ledger.
 */
export const AuditRecord = z.strictObject({
  /** Format version of the record. */
  v: z.literal(1),
  /** When it happened (RFC 3339, UTC). */
  at: z.iso.datetime({ offset: true }),
  /** Who or what acted. */
  actor: AuditActor,
  /** Dotted verb, e.g. `incident.opened`, `remediation.proposed`, `approval.override`, `rollout.reverted`. */
  action: z
    .string()
    .regex(
      /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/,
      "must be a dotted lower-case verb such as incident.opened",
    ),
  /** Why: the rule, command or reason that led to it (override reasons go here verbatim). */
  reason: z.string().max(4000),
  /** The GitHub webhook delivery id (`X-GitHub-Delivery`) or Alertmanager group key that triggered it. */
  deliveryId: z.string().max(300).optional(),
  /** The incident key, when the action belongs to an incident. */
  incidentKey: z.string().max(300).optional(),
  /** The runbook that was applied, with its version (blob SHA of the runbook file). */
  runbook: z.strictObject({ id: z.string().min(1).max(100), version: z.string().max(100) }).optional(),
  /** The object the action was about. */
  subject: AuditSubject.optional(),
  /** Commit SHAs that matter (`base`, `head`, `merge`, `revert`, …), named. */
  shas: z.record(z.string(), z.string().regex(/^[0-9a-f]{7,64}$/)).default({}),
  /** The inputs the decision was taken on (alert labels, command arguments, check conclusions…). */
  inputs: z.record(z.string(), z.unknown()).default({}),
  /** What came of it. */
  outcome: AuditOutcome,
});
export type AuditRecord = z.infer<typeof AuditRecord>;
/** A record as callers write it (defaults not yet applied). */
export type AuditRecordInput = z.input<typeof AuditRecord>;
