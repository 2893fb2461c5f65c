import type { RemediationPlan } from "./remediation-plan.js";

/**
 * A plan as plain text for terminals and logs: target, risk, approvals, steps, evidence, suggestions,
 * undo and the unified diffs. Untrusted values (labels, log lines) were redacted when they became
 * evidence; this only lays them out.
 */
export function renderPlanText(plan: RemediationPlan, opts: { diffs?: boolean } = {}): string {
  const out: string[] = [];
  out.push(
    `runbook:   ${plan.runbook.id} ${plan.runbook.version} (${plan.runbook.origin}: ${plan.runbook.file})`,
  );
  out.push(`target:    ${plan.target}`);
  out.push(`risk:      ${plan.risk.level}`);
  for (const r of plan.risk.reasons) out.push(`           - ${r}`);
  out.push(
    `approvals: ${plan.approvals.securityApproval ? `${plan.approvals.count} security CODEOWNER approval(s) at the head SHA` : plan.approvals.count > 0 ? `${plan.approvals.count} approval before imperative steps` : "normal review"}`,
  );
  for (const r of plan.approvals.reasons) out.push(`           - ${r}`);
  if (plan.changes.length > 0) {
    out.push("changes:");
    for (const c of plan.changes) out.push(`  ${c.before === null ? "A" : "M"} ${c.path} — ${c.summary}`);
  }
  if (plan.steps.length > 0) {
    out.push("imperative steps (run only after approval):");
    for (const s of plan.steps) out.push(`  ${s.id} [${s.risk}]: ${s.description}`);
  }
  if (plan.evidence.length > 0) {
    out.push("evidence:");
    for (const e of plan.evidence) {
      const [first, ...rest] = e.detail.split("\n");
      out.push(`  [${e.source}] ${e.label}: ${first}`);
      for (const line of rest) out.push(`      | ${line}`);
    }
  }
  if (plan.suggestions.length > 0) {
    out.push("suggestions (not applied):");
    for (const s of plan.suggestions) {
      out.push(`  * ${s.title}`);
      for (const line of s.body.split("\n")) out.push(`      ${line}`);
    }
  }
  if (plan.undo.length > 0) {
    out.push("undo:");
    for (const u of plan.undo) out.push(`  - ${u}`);
  }
  if (opts.diffs !== false && plan.changes.length > 0) {
    out.push("diff:");
    for (const c of plan.changes) out.push(c.diff.trimEnd());
  }
  return `${out.join("\n")}\n`;
}
