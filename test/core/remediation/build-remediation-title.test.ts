import { describe, expect, it } from "vitest";
import {
  buildRemediationLabels,
  missingLabels,
} from "../../../src/core/remediation/build-remediation-labels.js";
import { buildRemediationTitle } from "../../../src/core/remediation/build-remediation-title.js";

describe("buildRemediationTitle", () => {
  it.each([
    [
      {
        runbook: { id: "crashloop-rollback" },
        target: "Deployment shop/checkout",
        incidentKey: "KubePodCrashLooping/shop/checkout",
      },
      "medic(crashloop-rollback): Deployment shop/checkout — KubePodCrashLooping/shop/checkout",
    ],
    [{ runbook: { id: "r" }, target: "a\nb\u202e", incidentKey: "k" }, "medic(r): a b — k"],
  ])("%j", (plan, title) => {
    expect(buildRemediationTitle(plan as never)).toBe(title);
  });

  it("stays under 256 characters", () => {
    const t = buildRemediationTitle({
      runbook: { id: "r" },
      target: "x".repeat(400),
      incidentKey: "k",
    } as never);
    expect(t.length).toBe(255);
    expect(t.endsWith("…")).toBe(true);
  });
});

describe("buildRemediationLabels", () => {
  it.each([
    [{ runbookId: "pvc-full", risk: "safe" as const }, [], ["medic", "risk:safe", "runbook:pvc-full"]],
    [
      { runbookId: "node-pressure", risk: "destructive" as const },
      ["ops", "Medic", "ops"],
      ["medic", "risk:destructive", "runbook:node-pressure", "ops"],
    ],
    [
      { runbookId: "r".repeat(60), risk: "safe" as const },
      [],
      ["medic", "risk:safe", `runbook:${"r".repeat(42)}`],
    ],
  ])("%j + %j", (input, extra, labels) => {
    expect(buildRemediationLabels(input, extra)).toEqual(labels);
  });

  it("finds missing labels case-insensitively", () => {
    expect(missingLabels(["medic", "risk:safe", "runbook:x"], ["Medic", "bug"])).toEqual([
      "risk:safe",
      "runbook:x",
    ]);
  });
});
