import { z } from "zod";

/** The separation-of-duties gate on destructive changes. */
export const ApprovalConfig = z.strictObject({
  /** GitHub teams (`org/team`) whose members are security approvers. */
  securityTeams: z.array(z.string().regex(/^@?[\w.-]+\/[\w.-]+$/)).default([]),
  /** Number of qualifying approvals a destructive change needs. */
  requiredApprovals: z.number().int().min(1).max(10).default(1),
  /** Users (`login`) or teams (`org/team`) allowed to use `/override medic/approval REASON` (break-glass). */
  overrideUsers: z.array(z.string().regex(/^@?[\w.-]+(?:\/[\w.-]+)?$/)).default([]),
  /** Relative drop in replicas (0–1) above which a change counts as destructive. */
  replicaDropThreshold: z.number().min(0).max(1).default(0.5),
  /** Extra gitignore-style patterns of files that guard the platform; changing them is destructive. */
  guardrailPaths: z.array(z.string().min(1).max(200)).max(100).default([]),
  /** Seconds a team-membership answer is reused (GitHub API calls saved; at most 60 so removals apply fast). */
  membershipCacheSeconds: z.number().int().min(0).max(60).default(60),
});
export type ApprovalConfig = z.infer<typeof ApprovalConfig>;
