import { buildChange } from "../../../src/core/plan/build-change.js";
import type { RemediationPlan } from "../../../src/core/plan/remediation-plan.js";

/** A realistic plan (image rollback of shop/checkout) for the renderer and decision tests. */
export function samplePlan(overrides: Partial<RemediationPlan> = {}): RemediationPlan {
  const before =
    "spec:\n  template:\n    spec:\n      containers:\n        - name: checkout\n          image: ghcr.io/acme/checkout:1.4.2\n";
  return {
    incidentKey: "KubePodCrashLooping/shop/checkout",
    runbook: {
      id: "crashloop-rollback",
      version: "3b18e512dba79e4c8300dd08aeb37f8e728b8dad",
      file: "runbooks/crashloop-rollback.yaml",
      origin: "bundled",
    },
    target: "Deployment shop/checkout",
    parameters: { namespace: { value: "shop", source: "label:namespace" } },
    changes: [
      buildChange({
        path: "apps/checkout/deployment.yaml",
        before,
        after: before.replace("1.4.2", "1.4.1"),
        step: "rollback",
        summary: "image checkout 1.4.2 → 1.4.1",
      }),
    ],
    steps: [],
    risk: { level: "safe", reasons: ["image rollback to a previously deployed tag"] },
    approvals: {
      securityApproval: false,
      count: 0,
      beforeImperativeSteps: false,
      reasons: ["safe: normal review applies"],
    },
    evidence: [{ source: "cluster", label: "last termination", detail: "Error, exit code 1" }],
    suggestions: [],
    undo: ["Revert this pull request."],
    baseRevision: "a".repeat(40),
    ...overrides,
  };
}
