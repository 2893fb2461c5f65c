import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkKyvernoTest } from "../../../src/core/policy/check-kyverno-test.js";
import type { Evaluation } from "../../../src/core/policy/evaluate-policies.js";
import { parseKyvernoTest } from "../../../src/core/policy/parse-kyverno-test.js";

describe("parseKyvernoTest", () => {
  it("reads the cli.kyverno.io/v1alpha1 form and the legacy `resource` field", () => {
    const r = parseKyvernoTest(
      parse(`apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: { name: t }
policies: [p.yaml]
resources: [r.yaml]
results:
  - { policy: p, rule: r, resources: [a, ns/b], kind: Pod, result: pass }
  - { policy: p, rule: r, resource: c, kind: Pod, result: fail }
`),
    );
    expect(r).toEqual({
      ok: true,
      test: {
        name: "t",
        policies: ["p.yaml"],
        resources: ["r.yaml"],
        results: [
          { policy: "p", rule: "r", resources: ["a", "ns/b"], kind: "Pod", result: "pass" },
          { policy: "p", rule: "r", resources: ["c"], kind: "Pod", result: "fail" },
        ],
      },
    });
  });

  it.each([
    ["policies: x\nresources: []\nresults: []", "policies"],
    [
      "policies: []\nresources: []\nresults: [{policy: p, rule: r, resources: [a], result: maybe}]",
      "results[0].result",
    ],
  ])("names the broken field", (yaml, field) => {
    expect(parseKyvernoTest(parse(yaml))).toMatchObject({ ok: false, field });
  });
});

describe("checkKyvernoTest", () => {
  const e = (name: string, result: Evaluation["result"], ns = ""): Evaluation => ({
    policy: "p",
    rule: "r",
    resource: { apiVersion: "v1", kind: "Pod", namespace: ns, name },
    file: "r.yaml",
    documentIndex: 0,
    line: 1,
    column: 1,
    result,
    message: "m",
    action: "Enforce",
  });
  it("compares per resource; an unmatched resource counts only as skip", () => {
    const out = checkKyvernoTest(
      [
        { policy: "p", rule: "r", resources: ["a", "prod/b"], kind: "Pod", result: "pass" },
        { policy: "p", rule: "r", resources: ["c"], result: "skip" },
        { policy: "p", rule: "r", resources: ["d"], result: "fail" },
      ],
      [e("a", "pass"), e("b", "fail", "prod")],
    );
    expect(out.map((o) => [o.resource, o.actual, o.ok])).toEqual([
      ["a", "pass", true],
      ["prod/b", "fail", false],
      ["c", "not matched", true],
      ["d", "not matched", false],
    ]);
  });
});
