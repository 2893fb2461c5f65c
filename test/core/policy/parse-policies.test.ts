import { describe, expect, it } from "vitest";
import { describePolicyError, loadPolicies } from "../../../src/core/policy/load-policies.js";

const base = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: p
spec:
  rules:
  - name: r
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      pattern:
        spec: {}
`;

describe("loadPolicies errors name the file and field", () => {
  it.each([
    ["wrong kind", base.replace("ClusterPolicy", "ValidatingPolicy"), "kind", 2],
    ["missing name", base.replace("  name: p\n", "  labels: {}\n"), "metadata.name", 3],
    [
      "bad action",
      base.replace("spec:\n  rules:", "spec:\n  validationFailureAction: Block\n  rules:"),
      "spec.validationFailureAction",
      6,
    ],
    ["no kinds", base.replace("kinds: [Pod]", "names: [x]"), "spec.rules[0].match", 8],
    [
      "unknown operator",
      base.replace(
        "      pattern:\n        spec: {}\n",
        "      deny:\n        conditions:\n          any:\n          - key: a\n            operator: Like\n            value: b\n",
      ),
      "spec.rules[0].validate.deny.conditions.any[0].operator",
      17,
    ],
    [
      "two validations",
      base.replace("      pattern:", "      deny: {}\n      pattern:"),
      "spec.rules[0].validate",
      12,
    ],
    ["yaml syntax", "a: [", "(yaml)", undefined],
  ])("%s", (_n, text, field, line) => {
    const r = loadPolicies([{ file: ".github/medic/policies/p.yaml", text }]);
    expect(r.policies).toEqual([]);
    expect(r.errors[0]).toMatchObject({ file: ".github/medic/policies/p.yaml", field });
    if (line !== undefined) expect(r.errors[0]!.line).toBe(line);
    expect(describePolicyError(r.errors[0]!)).toContain(`field \`${field}\``);
  });

  it("reads policy annotations and defaults", () => {
    const text = base.replace(
      "  name: p\n",
      "  name: p\n  annotations:\n    policies.kyverno.io/severity: high\n    policies.kyverno.io/category: Security\n",
    );
    const r = loadPolicies([{ file: "p.yaml", text }]);
    expect(r.policies[0]).toMatchObject({
      name: "p",
      action: "Audit",
      severity: "high",
      category: "Security",
      scored: true,
    });
  });

  it("rejects the same policy name in two files", () => {
    const r = loadPolicies([
      { file: "a.yaml", text: base },
      { file: "b.yaml", text: base },
    ]);
    expect(r.errors).toEqual([
      { file: "b.yaml", field: "metadata.name", message: "policy p is also defined in a.yaml" },
    ]);
  });
});
