import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildRunbookRegistry } from "../../../src/core/runbook/build-runbook-registry.js";
import { describeRunbookError, parseRunbook } from "../../../src/core/runbook/parse-runbook.js";

const VALID = `
id: restart-stuck
title: Restart a stuck rollout
version: 1.2.0
match:
  alertnames: [KubeDeploymentRolloutStuck]
parameters:
  - name: namespace
    type: dns1123-label
    from: ["label:namespace"]
  - name: deployment
    type: dns1123-subdomain
    from: ["label:deployment"]
steps:
  - id: restart
    imperative: rollout-restart
    with: { namespace: "{{namespace}}", name: "{{deployment}}", kind: Deployment }
risk: safe
`;

/** Replaces one top-level block of the valid runbook. */
function variant(replace: string, by: string): string {
  expect(VALID).toContain(replace);
  return VALID.replace(replace, by);
}

describe("parseRunbook", () => {
  it("loads a valid runbook with defaults filled in", () => {
    const res = parseRunbook(VALID, "restart-stuck.yaml");
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.runbook.limits).toEqual({ cooldown: "30m", maxRunsPerTargetPerDay: 3 });
    expect(res.runbook.match.labels).toEqual([]);
    expect(res.runbook.parameters[0]).toMatchObject({ name: "namespace", required: true });
  });

  it.each([
    [
      "unknown top-level field",
      variant("risk: safe", "risk: safe\nowner: me"),
      "owner",
      'unknown field "owner"',
    ],
    ["id not DNS-1123", variant("id: restart-stuck", "id: Restart_Stuck"), "id", "a DNS-1123 label"],
    [
      "id not the file name",
      variant("id: restart-stuck", "id: other"),
      "id",
      'must match the file name "restart-stuck.yaml"',
    ],
    ["version not semantic", variant("version: 1.2.0", "version: v1"), "version", "a semantic version"],
    [
      "no alert names",
      variant("alertnames: [KubeDeploymentRolloutStuck]", "alertnames: []"),
      "match.alertnames",
      "",
    ],
    [
      "unknown action",
      variant("imperative: rollout-restart", "imperative: delete-namespace"),
      "steps.0.imperative",
      "",
    ],
    [
      "step without action",
      variant("    imperative: rollout-restart\n", ""),
      "steps.0",
      "needs either `action`",
    ],
    [
      "placeholder without parameter",
      variant('"{{deployment}}"', '"{{workload}}"'),
      "steps.0.with.name",
      "{{workload}} names no declared parameter",
    ],
    [
      "bad parameter source",
      variant('from: ["label:namespace"]', 'from: ["env:HOME"]'),
      "parameters.0.from.0",
      "",
    ],
    [
      "bad regex pattern",
      variant('    from: ["label:deployment"]', '    from: ["label:deployment"]\n    pattern: "("'),
      "parameters.1.pattern",
      "not a valid regular expression",
    ],
    [
      "duplicate parameter",
      variant("  - name: deployment", "  - name: namespace"),
      "parameters.1.name",
      'duplicate parameter "namespace"',
    ],
    [
      "negative limit",
      variant("risk: safe", "limits:\n  maxWorkers: 0\nrisk: safe"),
      "limits.maxWorkers",
      "",
    ],
    [
      "bad cooldown",
      variant("risk: safe", "limits:\n  cooldown: soon\nrisk: safe"),
      "limits.cooldown",
      "duration",
    ],
    [
      "bad volume limit",
      variant("risk: safe", "limits:\n  maxVolumeSize: big\nrisk: safe"),
      "limits.maxVolumeSize",
      "quantity",
    ],
  ])("%s ⇒ names the field", (_name, text, field, message) => {
    const res = parseRunbook(text, "restart-stuck.yaml");
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.field).toBe(field);
    expect(res.error.message).toContain(message);
    expect(res.error.file).toBe("restart-stuck.yaml");
  });

  it("refuses a risk lower than its most destructive step (drain ⇒ destructive)", () => {
    const text = variant(
      '    imperative: rollout-restart\n    with: { namespace: "{{namespace}}", name: "{{deployment}}", kind: Deployment }',
      '    imperative: drain\n    with: { node: "{{namespace}}" }',
    );
    const res = parseRunbook(text, "restart-stuck.yaml");
    expect(res).toEqual({
      ok: false,
      error: {
        file: "restart-stuck.yaml",
        field: "risk",
        message:
          'declared "safe" but step "restart" (drain) is destructive; the risk may not be lower than its most destructive step',
      },
    });
    expect(parseRunbook(text.replace("risk: safe", "risk: destructive"), "restart-stuck.yaml").ok).toBe(true);
  });

  it.each([
    [
      "billion laughs",
      `a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
    ],
    ["5,000 nested brackets", `${"[".repeat(5000)}${"]".repeat(5000)}`],
    ["6 MB file", `id: x\ndescription: "${"a".repeat(6 * 1024 * 1024)}"\n`],
    ["syntax error", "id: [unclosed\n"],
    ["two documents", `${VALID}\n---\n${VALID}`],
    ["a list at the top", "- id: x\n"],
  ])("%s ⇒ a clear error on (root), quickly", (_name, text) => {
    const t0 = performance.now();
    const res = parseRunbook(text, "restart-stuck.yaml");
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.field).toBe("(root)");
    expect(describeRunbookError(res.error)).toMatch(
      /^Invalid runbook in restart-stuck\.yaml: field `\(root\)`: .+/,
    );
  });

  it("every bundled runbook loads", () => {
    const dir = new URL("../../../runbooks/", import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
    expect(files.sort()).toEqual([
      "crashloop-rollback.yaml",
      "ingress-5xx.yaml",
      "node-pressure.yaml",
      "pvc-full.yaml",
    ]);
    for (const f of files) {
      const res = parseRunbook(readFileSync(new URL(f, dir), "utf8"), `runbooks/${f}`);
      expect(res.ok ? "ok" : describeRunbookError(res.error)).toBe("ok");
    }
  });
});

describe("buildRunbookRegistry", () => {
  it("reports a broken runbook with file and field and still loads the others", () => {
    const reg = buildRunbookRegistry([
      { file: "runbooks/restart-stuck.yaml", text: VALID, origin: "bundled" },
      { file: ".github/medic/runbooks/broken.yaml", text: "id: broken\ntitle: x\n", origin: "repository" },
    ]);
    expect(reg.runbooks.map((r) => r.runbook.id)).toEqual(["restart-stuck"]);
    expect(reg.errors).toEqual([
      { file: ".github/medic/runbooks/broken.yaml", field: "version", message: expect.any(String) },
    ]);
  });

  it("refuses a repository runbook that reuses a bundled id", () => {
    const reg = buildRunbookRegistry([
      { file: ".github/medic/runbooks/restart-stuck.yaml", text: VALID, origin: "repository" },
      { file: "runbooks/restart-stuck.yaml", text: VALID, origin: "bundled" },
    ]);
    expect(reg.runbooks).toHaveLength(1);
    expect(reg.runbooks[0]?.origin).toBe("bundled");
    expect(reg.errors).toEqual([
      {
        file: ".github/medic/runbooks/restart-stuck.yaml",
        field: "id",
        message: 'runbook id "restart-stuck" is already defined in runbooks/restart-stuck.yaml',
      },
    ]);
  });
});
