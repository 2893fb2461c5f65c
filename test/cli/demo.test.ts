import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMedic } from "./run-medic.js";

describe("medic demo", () => {
  const cwd = mkdtempSync(join(tmpdir(), "medic-demo-"));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it("runs every scenario through the pipeline, prints a story each and writes the report", async () => {
    const r = await runMedic(["demo"], cwd);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.match(/✓ as expected/g)).toHaveLength(7);
    expect(r.stdout).toContain("runbook    crashloop-rollback 1.0.0 → Deployment shop/checkout");
    expect(r.stdout).toContain("runbook    pvc-full 1.0.0 — no plan (refused, steps.0)");
    // One policy line per planned scenario: the rollback keeps a tag, which the digest policy audits.
    expect(r.stdout.match(/^ {3}policy {5}/gm)).toHaveLength(5);
    expect(r.stdout).toContain(
      "   policy     medic/policy would conclude neutral: require-image-digest/autogen-require-image-digest Audit at apps/checkout/deployment.yaml:47\n",
    );
    expect(r.stdout).toContain("   policy     all 1 evaluation passed (10 policies)\n");
    expect(r.stdout).not.toContain("would conclude failure");
    expect(r.stdout).toMatch(
      /7 of 7 scenarios planned as expected in \d+ ms; full plans: \.medic-out\/demo-report\.md\n$/,
    );
    const report = readFileSync(join(cwd, ".medic-out/demo-report.md"), "utf8");
    expect(report).toContain("## 3. worker-2 runs out of memory and the kubelet evicts pods");
    expect(report).toContain('-  "worker_count": 3,\n+  "worker_count": 4,');
    expect(report.match(/Result: \*\*as expected\*\*/g)).toHaveLength(7);
    expect(report.match(/^### Policy results$/gm)).toHaveLength(5);
    expect(report).toContain(
      "| pass | Enforce | disallow-latest-tag/autogen-validate-image-tag | Deployment/shop/checkout | apps/checkout/deployment.yaml:3 | validation rule 'autogen-validate-image-tag' passed. |",
    );
  });

  it("a scenario that does not plan as expected makes the demo exit 1", async () => {
    const examples = join(cwd, "examples");
    cpSync(new URL("../../examples/", import.meta.url).pathname, examples, { recursive: true });
    const file = join(examples, "alerts/scenarios.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(
        "runbook: node-pressure\n      risk: destructive",
        "runbook: node-pressure\n      risk: safe",
      ),
    );
    const r = await runMedic(["demo", "--examples", examples, "--out", "report.md"], cwd);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ NOT as expected:\n     - risk: expected safe, got destructive");
    expect(r.stdout).toContain("6 of 7 scenarios planned as expected");
    expect(readFileSync(join(cwd, "report.md"), "utf8")).toContain("Result: **not as expected**");
  });

  it("missing examples are a usage error naming the scenarios file", async () => {
    const r = await runMedic(["demo", "--examples", join(cwd, "missing")], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^medic demo: scenarios .*missing\/alerts\/scenarios\.yaml: no such file\n$/);
  });
});
