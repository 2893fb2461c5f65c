import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

const cwd = new URL("../fixtures/policy/check/", import.meta.url).pathname;

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    cwd,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: {},
    isTTY: false,
  });
  return { code, stdout, stderr };
}

describe("medic policy check", () => {
  it("--format json lists every evaluation with the exact shape, and exits 1 on an Enforce failure", async () => {
    const r = await run([
      "policy",
      "check",
      "--policies",
      "policy.yaml",
      "--policies",
      "audit-policy.yaml",
      "--format",
      "json",
      "manifests",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      results: [
        {
          policy: "require-tag",
          rule: "autogen-image-tag",
          resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web" },
          file: "manifests/web.yaml",
          line: 11,
          result: "fail",
          message:
            "validation error: An image tag is required. rule autogen-image-tag failed at path /spec/template/spec/containers/0/image/",
        },
        {
          policy: "require-team",
          rule: "team-label",
          resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web" },
          file: "manifests/web.yaml",
          line: 3,
          result: "fail",
          message:
            "validation error: label team is required. rule team-label failed at path /metadata/labels/",
        },
        {
          policy: "require-tag",
          rule: "autogen-image-tag",
          resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "worker" },
          file: "manifests/worker.yaml",
          line: 1,
          result: "pass",
          message: "validation rule 'autogen-image-tag' passed.",
        },
        {
          policy: "require-team",
          rule: "team-label",
          resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "worker" },
          file: "manifests/worker.yaml",
          line: 1,
          result: "pass",
          message: "validation rule 'team-label' passed.",
        },
      ],
      summary: { pass: 2, fail: 2, warn: 0, skip: 0, error: 0 },
    });
  });

  it("exits 0 when only Audit rules fail", async () => {
    const r = await run(["policy", "check", "--policies", "audit-policy.yaml", "manifests/web.yaml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "manifests/web.yaml:3:1: FAIL (Audit) require-team/team-label Deployment/shop/web: validation error: label team is required. rule team-label failed at path /metadata/labels/\n" +
        "pass: 0, fail: 1, warn: 0, error: 0, skip: 0\n",
    );
  });

  it("--format sarif is SARIF 2.1.0 with rules, levels and physical locations", async () => {
    const r = await run([
      "policy",
      "check",
      "--policies",
      "policy.yaml",
      "--policies",
      "audit-policy.yaml",
      "--format",
      "sarif",
      "manifests",
    ]);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    const run0 = sarif.runs[0];
    expect(run0.tool.driver.name).toBe("gitops-medic");
    expect(run0.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual([
      "require-tag/autogen-image-tag",
      "require-team/team-label",
    ]);
    expect(run0.tool.driver.rules[0].properties["security-severity"]).toBe("7.5");
    expect(run0.results.map((x: Record<string, unknown>) => [x.ruleId, x.ruleIndex, x.level])).toEqual([
      ["require-tag/autogen-image-tag", 0, "error"],
      ["require-team/team-label", 1, "warning"],
    ]);
    expect(run0.results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "manifests/web.yaml", uriBaseId: "%SRCROOT%" },
      region: { startLine: 11, startColumn: 11 },
    });
  });

  it("--format policyreport emits a wgpolicyk8s.io/v1alpha2 PolicyReport", async () => {
    const r = await run([
      "policy",
      "check",
      "--policies",
      "policy.yaml",
      "--format",
      "policyreport",
      "manifests",
    ]);
    const report = JSON.parse(r.stdout);
    expect(report.apiVersion).toBe("wgpolicyk8s.io/v1alpha2");
    expect(report.kind).toBe("PolicyReport");
    expect(report.summary).toEqual({ pass: 1, fail: 1, warn: 0, error: 0, skip: 0 });
    expect(report.results[0]).toMatchObject({
      policy: "require-tag",
      rule: "autogen-image-tag",
      result: "fail",
      severity: "high",
      source: "kyverno",
      resources: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "shop" }],
    });
    expect(typeof report.results[0].timestamp.seconds).toBe("number");
  });

  it.each([
    [["policy", "check"], "give at least one manifest file or folder"],
    [
      ["policy", "check", "--format", "xml", "manifests"],
      "--format must be one of text, json, sarif, policyreport",
    ],
    [["policy", "check", "--policies", "nope.yaml", "manifests"], "cannot read policies"],
    [["policy", "check", "--policies", "policy.yaml", "missing-dir"], "cannot read manifests"],
  ])("usage errors exit 2: %j", async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("a broken policy exits 2 naming file and field", async () => {
    const r = await run(["policy", "check", "--policies", "manifests/web.yaml", "manifests"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Invalid policy in manifests/web.yaml: field `apiVersion` (line 1)");
  });

  it("uses the bundled policies by default", async () => {
    const r = await run(["policy", "check", "--format", "json", "manifests/worker.yaml"]);
    const rules = new Set(JSON.parse(r.stdout).results.map((x: { rule: string }) => x.rule));
    expect(rules).toContain("autogen-validate-image-tag");
    expect(rules).toContain("require-owner-labels");
  });
});
