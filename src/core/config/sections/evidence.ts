import { z } from "zod";

/** Compliance evidence export. */
export const EvidenceConfig = z.strictObject({
  /** Check-run names of vulnerability scanners whose results go into the evidence pack. */
  scanners: z.array(z.string().min(1)).default(["trivy", "grype"]),
  /** Runbook ids whose runs count as backup/restore tests. */
  backupTestRunbooks: z.array(z.string()).default([]),
  /** Severity from which an incident is "major" (gets a DORA incident report draft). */
  majorSeverity: z.enum(["critical", "warning", "info"]).default("critical"),
});
export type EvidenceConfig = z.infer<typeof EvidenceConfig>;
