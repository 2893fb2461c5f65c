import type { PlannedImperativeStep, PlanRisk, RequiredApprovals } from "./remediation-plan.js";

/**
 * Destructive ⇒ a security CODEOWNER's approval at the head SHA (by someone who is neither the author,
 * the requester nor a bot); imperative steps never run before an approval, even when safe.
 */
export function buildRequiredApprovals(
  risk: PlanRisk,
  steps: readonly PlannedImperativeStep[],
  requiredApprovals: number,
): RequiredApprovals {
  const reasons: string[] = [];
  const destructive = risk.level === "destructive";
  if (destructive) {
    reasons.push(
      `destructive: ${requiredApprovals} approval(s) from a security CODEOWNER at the PR's head SHA, not the author, the requester or a bot`,
    );
  } else {
    reasons.push("safe: normal review applies");
  }
  if (steps.length > 0) {
    reasons.push(
      `imperative steps (${steps.map((s) => s.action).join(", ")}) run only after the approval gate is satisfied`,
    );
  }
  return {
    securityApproval: destructive,
    count: destructive ? requiredApprovals : steps.length > 0 ? 1 : 0,
    beforeImperativeSteps: steps.length > 0,
    reasons,
  };
}
