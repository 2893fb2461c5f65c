import { sanitizeTitle } from "../markdown/sanitize-title.js";
import type { RemediationPlan } from "../plan/remediation-plan.js";

/** GitHub rejects PR titles of 256 characters and more; stay one under. */
export const MAX_PR_TITLE_LENGTH = 255;

/** `medic(<runbook>): <target> — <incident key>`, one line, under GitHub's title limit. */
export function buildRemediationTitle(
  plan: Pick<RemediationPlan, "runbook" | "target" | "incidentKey">,
): string {
  return sanitizeTitle(
    `medic(${plan.runbook.id}): ${plan.target} — ${plan.incidentKey}`,
    MAX_PR_TITLE_LENGTH,
  );
}
