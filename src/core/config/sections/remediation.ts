import { z } from "zod";

/** How remediation pull requests are opened. */
export const RemediationConfig = z.strictObject({
  /**
   * The GitOps repository (`owner/name`) the remediation PRs go to, when incidents live in another
   * repository (`INCIDENT_REPO`). Set in the incident repository's file; plans read the named
   * repository's default branch and its own `.github/medic.yml` governs its PRs (base branch, labels,
   * runbooks). The app must be installed on it. This repository when empty.
   */
  repository: z
    .string()
    .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "must be owner/name")
    .optional(),
  /** Branch the remediation PRs target; the repository's default branch when empty. */
  baseBranch: z.string().min(1).optional(),
  /** Open remediation PRs as drafts. */
  draft: z.boolean().default(false),
  /** Extra labels on every remediation PR. */
  labels: z.array(z.string().min(1).max(50)).default([]),
  /** Let safe runbooks merge automatically once every check passes. Off by default. */
  autoMergeSafe: z.boolean().default(false),
  /** Refuse to open more than this many remediation PRs at once in the repository. */
  maxOpenPullRequests: z.number().int().min(1).max(100).default(10),
  /** Runbook ids that may run; every approved runbook when empty. */
  enabledRunbooks: z.array(z.string()).default([]),
  /** Runbook ids that must never run here. */
  disabledRunbooks: z.array(z.string()).default([]),
});
export type RemediationConfig = z.infer<typeof RemediationConfig>;
