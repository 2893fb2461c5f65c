import type { RiskLevel } from "../runbook/runbook.js";

/** GitHub's limit on a label name. */
export const MAX_LABEL_LENGTH = 50;

/**
 * The labels of a remediation PR: `medic`, `risk:safe|destructive`, `runbook:<id>`, then the repository's
 * extra labels (config), without duplicates and cut to GitHub's 50 characters.
 */
export function buildRemediationLabels(
  input: { runbookId: string; risk: RiskLevel },
  extra: readonly string[] = [],
): string[] {
  const labels = ["medic", `risk:${input.risk}`, `runbook:${input.runbookId}`, ...extra].map((l) =>
    l.trim().slice(0, MAX_LABEL_LENGTH),
  );
  const seen = new Set<string>();
  return labels.filter((l) => {
    const k = l.toLowerCase();
    if (l === "" || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Labels in `wanted` the PR does not have yet (GitHub compares label names case-insensitively). */
export function missingLabels(wanted: readonly string[], present: readonly string[]): string[] {
  const have = new Set(present.map((l) => l.toLowerCase()));
  return wanted.filter((l) => !have.has(l.toLowerCase()));
}
