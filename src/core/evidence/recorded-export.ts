import { z } from "zod";

// Factories, not shared instances: each field gets its own schema so its JSDoc description stays its own.
const timestamp = () => z.iso.datetime({ offset: true });
const sha = () => z.string().regex(/^[0-9a-f]{40}$/, "must be a 40-character commit SHA");
const login = () => z.string().min(1).max(100);

/** A comment on an issue or pull request. */
export const ExportComment = z.strictObject({
  /** GitHub comment id. */
  id: z.number().int(),
  /** Author login (`gitops-medic[bot]` for the bot). */
  user: login(),
  /** Whether the author is a bot or app account (GitHub `user.type == "Bot"`). */
  userIsBot: z.boolean().default(false),
  /** Creation time. */
  createdAt: timestamp(),
  /** Markdown body, verbatim. */
  body: z.string(),
  /** Link to the comment. */
  url: z.string().default(""),
});
export type ExportComment = z.infer<typeof ExportComment>;

/** A state change of an issue, from its timeline. */
export const ExportIssueEvent = z.strictObject({
  /** GitHub timeline event name. */
  event: z.enum(["closed", "reopened", "labeled", "unlabeled", "referenced", "cross-referenced", "assigned"]),
  /** Who caused it. */
  actor: z.string().default(""),
  /** When. */
  createdAt: timestamp(),
  /** Label name for `labeled`/`unlabeled`. */
  label: z.string().optional(),
  /** Commit SHA for `closed`/`referenced` by a commit. */
  commitId: sha().optional(),
});
export type ExportIssueEvent = z.infer<typeof ExportIssueEvent>;

/** An issue labelled `incident`, with its timeline (comments and state events). */
export const ExportIssue = z.strictObject({
  /** Issue number. */
  number: z.number().int().positive(),
  /** Title. */
  title: z.string(),
  /** State at export time. */
  state: z.enum(["open", "closed"]),
  /** Label names. */
  labels: z.array(z.string()),
  /** Author login. */
  user: login(),
  /** Creation time (Four Keys: when the incident was detected). */
  createdAt: timestamp(),
  /** Last close time, when closed. */
  closedAt: timestamp().nullable(),
  /** Markdown body (holds the `<!-- medic:incident KEY -->` marker and the timeline table). */
  body: z.string().default(""),
  /** Link to the issue. */
  url: z.string().default(""),
  /** Comments, oldest first. */
  comments: z.array(ExportComment).default([]),
  /** State events, oldest first. */
  events: z.array(ExportIssueEvent).default([]),
});
export type ExportIssue = z.infer<typeof ExportIssue>;

/** A review of a pull request. */
export const ExportReview = z.strictObject({
  /** Reviewer login. */
  user: login(),
  /** Whether the reviewer is a bot or app. */
  userIsBot: z.boolean().default(false),
  /** GitHub review state. */
  state: z.enum(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]),
  /** Submission time (absent for pending reviews). */
  submittedAt: timestamp().nullable(),
  /** The commit the review was given on. */
  commitId: sha().nullable(),
  /** Review body. */
  body: z.string().default(""),
});
export type ExportReview = z.infer<typeof ExportReview>;

/** A merged pull request into the default branch, with what reviewed and checked it. */
export const ExportPullRequest = z.strictObject({
  /** PR number. */
  number: z.number().int().positive(),
  /** Title. */
  title: z.string(),
  /** Author login. */
  user: login(),
  /** Whether the author is a bot or app. */
  userIsBot: z.boolean().default(false),
  /** Markdown body. */
  body: z.string().default(""),
  /** Label names (`risk:destructive`, `runbook:<id>`, `revert` …). */
  labels: z.array(z.string()).default([]),
  /** Creation time. */
  createdAt: timestamp(),
  /** Merge time. */
  mergedAt: timestamp(),
  /** Who merged it. */
  mergedBy: z.string().nullable().default(null),
  /** The commit the merge produced on the base branch. */
  mergeCommitSha: sha(),
  /** Head SHA at merge time (approvals must be on it). */
  headSha: sha(),
  /** Base branch. */
  baseRef: z.string(),
  /** Link. */
  url: z.string().default(""),
  /** The PR's commits, oldest first (lead time starts at the first one). */
  commits: z.array(z.strictObject({ sha: sha(), authoredAt: timestamp() })).default([]),
  /** Reviews, oldest first. */
  reviews: z.array(ExportReview).default([]),
  /** Conversation comments (slash commands such as `/approve`, `/override`; the bot's audit blocks). */
  comments: z.array(ExportComment).default([]),
});
export type ExportPullRequest = z.infer<typeof ExportPullRequest>;

/** A commit on the default branch. */
export const ExportCommit = z.strictObject({
  /** SHA. */
  sha: sha(),
  /** Full message (`This reverts commit <sha>` marks reverts). */
  message: z.string(),
  /** Author name or login. */
  author: z.string(),
  /** Author date. */
  authoredAt: timestamp(),
  /** Committer date. */
  committedAt: timestamp(),
  /** Parent SHAs (to walk from one deployment to the previous). */
  parents: z.array(sha()),
});
export type ExportCommit = z.infer<typeof ExportCommit>;

/** An annotation of a check run (policy findings, scanner results). */
export const ExportAnnotation = z.strictObject({
  /** File path. */
  path: z.string(),
  /** First line. */
  startLine: z.number().int(),
  /** `notice`, `warning` or `failure`. */
  level: z.enum(["notice", "warning", "failure"]),
  /** Title (the policy/rule for `medic/policy`). */
  title: z.string().default(""),
  /** Message. */
  message: z.string(),
});
export type ExportAnnotation = z.infer<typeof ExportAnnotation>;

/** A check run on a commit of a merged PR or on a default-branch commit. */
export const ExportCheckRun = z.strictObject({
  /** Check run id. */
  id: z.number().int(),
  /** Name (`medic/policy`, `medic/approval`, `trivy` …). */
  name: z.string(),
  /** Commit it ran on. */
  headSha: sha(),
  /** GitHub status. */
  status: z.enum(["queued", "in_progress", "completed", "waiting", "requested", "pending"]),
  /** Conclusion once completed. */
  conclusion: z
    .enum(["success", "failure", "neutral", "cancelled", "skipped", "timed_out", "action_required", "stale"])
    .nullable(),
  /** Start time. */
  startedAt: timestamp().nullable(),
  /** Completion time. */
  completedAt: timestamp().nullable(),
  /** The GitHub App that ran it (slug). */
  app: z.string().default(""),
  /** Output title. */
  title: z.string().nullable().default(null),
  /** Output summary (Markdown; the bot's ends with an audit block). */
  summary: z.string().nullable().default(null),
  /** Annotations (read for failing `medic/policy` and scanner runs only). */
  annotations: z.array(ExportAnnotation).default([]),
  /** Link. */
  url: z.string().default(""),
});
export type ExportCheckRun = z.infer<typeof ExportCheckRun>;

/** A GitHub Deployment with its statuses. */
export const ExportDeployment = z.strictObject({
  /** Deployment id. */
  id: z.number().int(),
  /** Deployed commit. */
  sha: sha(),
  /** Ref name. */
  ref: z.string(),
  /** Environment (`production`, `staging` …). */
  environment: z.string(),
  /** Creation time. */
  createdAt: timestamp(),
  /** Creator login. */
  creator: z.string().default(""),
  /** Description. */
  description: z.string().nullable().default(null),
  /** Statuses, oldest first. */
  statuses: z
    .array(
      z.strictObject({
        /** GitHub deployment state. */
        state: z.enum(["error", "failure", "inactive", "in_progress", "queued", "pending", "success"]),
        /** When. */
        createdAt: timestamp(),
        /** Description (Argo health words for the bot's own statuses). */
        description: z.string().nullable().default(null),
        /** Link to logs. */
        logUrl: z.string().nullable().default(null),
      }),
    )
    .default([]),
});
export type ExportDeployment = z.infer<typeof ExportDeployment>;

/**
 * A recorded export of a repository's history: what `medic evidence --from FILE` and `medic noise --from FILE`
 * read, and exactly what the GitHub evidence source produces from the API. Everything in it is what GitHub
 * returned, reduced to the fields the evidence uses; nothing is computed.
 */
export const RecordedExport = z.strictObject({
  /** Format marker. */
  kind: z.literal("gitops-medic/export"),
  /** Format version. */
  version: z.literal(1),
  /** `owner/name`. */
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/name"),
  /** Default branch name. */
  defaultBranch: z.string().min(1),
  /** When the export was taken. */
  exportedAt: timestamp(),
  /** Start of the exported range (inclusive). */
  since: timestamp(),
  /** End of the exported range (exclusive). */
  until: timestamp(),
  /** `.github/medic.yml` of the default branch, parsed (null when absent). */
  medicConfig: z.unknown().nullable().default(null),
  /** Issues labelled `incident` created before `until` and not closed before `since`. */
  issues: z.array(ExportIssue).default([]),
  /** PRs merged into the default branch in the range. */
  pullRequests: z.array(ExportPullRequest).default([]),
  /** Default-branch commits in the range (and the parents needed to link deployments). */
  commits: z.array(ExportCommit).default([]),
  /** Check runs on the commits of those PRs and on the default-branch commits. */
  checkRuns: z.array(ExportCheckRun).default([]),
  /** Deployments created in the range, with statuses. */
  deployments: z.array(ExportDeployment).default([]),
  /** The audit ledger's text (`audit.jsonl` on the ledger branch), when present. */
  auditLedger: z.string().nullable().default(null),
});
export type RecordedExport = z.infer<typeof RecordedExport>;
export type RecordedExportInput = z.input<typeof RecordedExport>;

export type ParseExportResult =
  | { ok: true; export: RecordedExport }
  | { ok: false; field: string; message: string };

/** Validates a parsed export; the failure names the field (`issues.3.createdAt`). */
export function parseRecordedExport(value: unknown): ParseExportResult {
  const res = RecordedExport.safeParse(value);
  if (res.success) return { ok: true, export: res.data };
  const issue = res.error.issues[0];
  let field = issue?.path.map(String).join(".") || "(root)";
  let message = issue?.message ?? "invalid export";
  if (issue?.code === "unrecognized_keys") {
    field = [...(issue.path.map(String) ?? []), issue.keys[0] ?? ""].filter(Boolean).join(".");
    message = `unknown field "${issue.keys[0]}"`;
  }
  return { ok: false, field, message };
}
