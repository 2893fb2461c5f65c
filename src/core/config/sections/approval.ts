import { z } from "zod";

/** The separation-of-duties gate on destructive changes. */
export const ApprovalConfig = z.strictObject({
  /** GitHub teams (`org/team`) whose members are security approvers. */
  securityTeams: z.array(z.string().regex(/^@?[\w.-]+\/[\w.-]+$/)).default([]),
  /** Number of qualifying approvals a destructive change needs. */
  requiredApprovals: z.number().int().min(1).max(10).default(1),
  /** Users allowed to use `/override medic/approval REASON` (break-glass). */
  overrideUsers: z.array(z.string().min(1)).default([]),
  /** Relative drop in replicas (0–1) above which a change counts as destructive. */
  replicaDropThreshold: z.number().min(0).max(1).default(0.5),
});
export type ApprovalConfig = z.infer<typeof ApprovalConfig>;
