import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMedic } from "./run-medic.js";

const root = new URL("../../", import.meta.url).pathname;

describe("medic runbook test", () => {
  it("runs the bundled test cases and ends with the counts", async () => {
    const r = await runMedic(["runbook", "test"], root);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("13 passed, 0 failed");
    expect(lines.filter((l) => l.startsWith("ok   runbooks/tests/"))).toHaveLength(13);
  });

  describe("a repository's runbook folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "medic-rbtest-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, "tests"));
    const examples = join(root, "examples");
    // A repository runbook that handles KubeHpaMaxedOut by raising the HPA's minimum.
    writeFileSync(
      join(dir, "hpa-maxed.yaml"),
      `id: hpa-maxed
title: Raise the floor of a maxed-out HPA
version: 0.1.0
match: { alertnames: [KubeHpaMaxedOut] }
parameters:
  - { name: namespace, type: dns1123-label, from: ["label:namespace"] }
  - { name: hpa, type: dns1123-subdomain, from: ["label:horizontalpodautoscaler"] }
steps:
  - { id: scale, action: scale-hpa, with: { namespace: "{{namespace}}", workload: "{{hpa}}", to: 4 } }
limits: { maxReplicas: 8 }
risk: safe
`,
    );
    writeFileSync(join(dir, "broken.yaml"), "id: broken\ntitle: x\nversion: 1\n");
    const alert = JSON.parse(readFileSync(join(examples, "alerts/ingress-5xx-checkout.json"), "utf8"));
    alert.alerts[0].labels = {
      alertname: "KubeHpaMaxedOut",
      namespace: "shop",
      horizontalpodautoscaler: "checkout",
    };
    writeFileSync(join(dir, "tests/hpa-alert.json"), JSON.stringify(alert));
    const testCase = (name: string, added: string) =>
      `name: ${name}\nalert: hpa-alert.json\nrepo: ${join(examples, "gitops")}\nexpect:\n  status: planned\n  runbook: hpa-maxed\n  changes:\n    - path: apps/checkout/hpa.yaml\n      removed: ["  minReplicas: 3"]\n      added: ["${added}"]\n`;
    writeFileSync(join(dir, "tests/good.yaml"), testCase("raises the floor to 4", "  minReplicas: 4"));
    writeFileSync(join(dir, "tests/wrong.yaml"), testCase("claims 7", "  minReplicas: 7"));
    writeFileSync(join(dir, "tests/invalid.yaml"), "name: x\nexpect: {}\n");

    it("reports failures with the difference, and a broken runbook fails every case", async () => {
      let r = await runMedic(["runbook", "test", dir], root);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("runbook not loaded: Invalid runbook in");
      expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("0 passed, 3 failed");

      rmSync(join(dir, "broken.yaml"));
      r = await runMedic(["runbook", "test", dir], root);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/ok {3}.*good\.yaml: raises the floor to 4/);
      expect(r.stdout).toMatch(
        /FAIL .*wrong\.yaml: claims 7\n {7}apps\/checkout\/hpa\.yaml: added lines differ:/,
      );
      expect(r.stdout).toMatch(/FAIL .*invalid\.yaml: \(invalid test case\)\n {7}field `alert`/);
      expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("1 passed, 2 failed");
    });
  });

  it("a folder without tests is a usage error", async () => {
    const r = await runMedic(["runbook", "test", "examples/cluster"], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("medic runbook test: no test cases in examples/cluster/tests/*.yaml\n");
  });

  it("copies of the bundled cases work from another folder (paths are relative to each case)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "medic-rbcopy-"));
    try {
      cpSync(join(root, "runbooks/tests"), join(dir, "runbooks/tests"), { recursive: true });
      cpSync(join(root, "examples"), join(dir, "examples"), { recursive: true });
      const r = await runMedic(["runbook", "test", "runbooks"], dir);
      expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("13 passed, 0 failed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
