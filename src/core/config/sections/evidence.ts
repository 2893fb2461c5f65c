import { z } from "zod";

/** Compliance evidence export and the audit ledger. */
export const EvidenceConfig = z.strictObject({
  /** Check-run names of vulnerability scanners whose results go into the evidence pack (case-insensitive prefix match). */
  scanners: z.array(z.string().min(1)).default(["trivy", "grype"]),
  /** Runbook ids whose runs (PRs labelled `runbook:<id>`, audit records naming the runbook) count as backup/restore tests. */
  backupTestRunbooks: z.array(z.string()).default([]),
  /** Severity from which an incident is "major" (gets a DORA incident report draft). */
  majorSeverity: z.enum(["critical", "warning", "info"]).default("critical"),
  /** Label that makes an issue an incident (Four Keys convention). */
  incidentLabel: z.string().min(1).max(50).default("incident"),
  /** Deployment environments that count as production for the DORA keys. */
  productionEnvironments: z.array(z.string().min(1)).default(["production"]),
  /**
   * What counts as a deployment: GitHub Deployments with a `success` status in a production environment,
   * merges into the default branch (GitOps: Argo CD applies what is merged), or `auto` (deployments when
   * the range has any, else merges — the evidence says which was used).
   */
  deploymentSource: z.enum(["auto", "deployments", "merges"]).default("auto"),
  /** Branch of the GitOps repository that holds the audit ledger. */
  ledgerBranch: z
    .string()
    .regex(/^[\w./-]+$/)
    .default("medic-audit"),
  /** Path of the JSON Lines ledger on that branch. */
  ledgerPath: z
    .string()
    .regex(/^[\w./-]+$/)
    .default("audit.jsonl"),
});
export type EvidenceConfig = z.infer<typeof EvidenceConfig>;
