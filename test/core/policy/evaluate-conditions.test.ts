import { describe, expect, it } from "vitest";
import { applyOperator, evaluateConditions } from "../../../src/core/policy/evaluate-conditions.js";

describe("applyOperator", () => {
  it.each([
    ["Equals", "prod", "prod", true],
    ["Equals", "prod-eu", "prod-*", true],
    ["Equals", "dev", "prod-*", false],
    ["Equals", 3, "3", true],
    ["Equals", "1Gi", "1024Mi", true],
    ["Equals", "60s", "1m", true],
    ["Equals", { a: [1] }, { a: [1] }, true],
    ["NotEquals", "prod", "dev", true],
    ["In", "a", ["a", "b"], true],
    ["In", ["a", "b"], ["a", "b", "c"], true],
    ["In", ["a", "z"], ["a", "b"], false],
    ["NotIn", "z", ["a", "b"], true],
    ["AnyIn", ["a", "z"], ["a", "b"], true],
    ["AnyIn", ["x", "z"], ["a", "b"], false],
    ["AnyIn", [true, false], [true], true],
    ["AnyIn", 8080, ["8000-9000"], true],
    ["AnyIn", ["ghcr.io"], ["*.io"], true],
    ["AllIn", ["a", "b"], ["a", "b", "c"], true],
    ["AllIn", ["a", "z"], ["a", "b"], false],
    ["AnyNotIn", ["a", "z"], ["a", "b"], true],
    ["AnyNotIn", ["a", "b"], ["a", "b"], false],
    ["AllNotIn", ["x", "z"], ["a", "b"], true],
    ["AllNotIn", ["a", "z"], ["a", "b"], false],
    ["GreaterThan", 5, 3, true],
    ["GreaterThan", "5", 3, true],
    ["GreaterThan", "2Gi", "1Gi", true],
    ["GreaterThan", "90s", "1m", true],
    ["GreaterThan", "abc", 1, false],
    ["GreaterThanOrEquals", 3, 3, true],
    ["LessThan", "500m", "1", true],
    ["LessThanOrEquals", 4, 3, false],
    ["DurationGreaterThan", "2h", "1h", true],
    ["DurationLessThan", "30s", 60, true],
  ] as const)("%s(%j, %j) ⇒ %s", (op, key, value, expected) => {
    expect(applyOperator(op, key, value)).toBe(expected);
  });
});

describe("evaluateConditions", () => {
  const ctx = {
    request: { object: { metadata: { name: "web", labels: { team: "a" } }, spec: { replicas: 3 } } },
  };
  it.each([
    [
      "all hold",
      { all: [{ key: "{{ request.object.spec.replicas }}", operator: "GreaterThan", value: 1 }] },
      true,
    ],
    [
      "one of all fails",
      {
        all: [
          { key: "{{ request.object.spec.replicas }}", operator: "GreaterThan", value: 1 },
          { key: "{{ request.object.metadata.name }}", operator: "Equals", value: "api" },
        ],
      },
      false,
    ],
    [
      "any: one holds",
      {
        any: [
          { key: "{{ request.object.metadata.name }}", operator: "Equals", value: "api" },
          { key: "{{ request.object.metadata.name }}", operator: "Equals", value: "w*" },
        ],
      },
      true,
    ],
    ["any: none holds", { any: [{ key: "a", operator: "Equals", value: "b" }] }, false],
    ["empty block holds", {}, true],
    [
      "default with ||",
      { all: [{ key: "{{ request.object.metadata.labels.owner || '' }}", operator: "Equals", value: "" }] },
      true,
    ],
    [
      "interpolated text",
      {
        all: [{ key: "team-{{ request.object.metadata.labels.team }}", operator: "Equals", value: "team-a" }],
      },
      true,
    ],
  ] as const)("%s", (_n, block, holds) => {
    // biome-ignore lint/suspicious/noExplicitAny: table rows are literal condition blocks
    expect(evaluateConditions(block as any, ctx)).toEqual({ ok: true, holds });
  });

  it("reports a variable that resolves to null as an error", () => {
    const r = evaluateConditions(
      { all: [{ key: "{{ request.object.spec.missing }}", operator: "Equals", value: 1 }] },
      ctx,
    );
    expect(r).toEqual({
      ok: false,
      kind: "error",
      message: "variable {{request.object.spec.missing}} resolved to null",
    });
  });

  it("evaluates Kyverno's JMESPath extensions", () => {
    const r = evaluateConditions(
      { all: [{ key: "{{ to_upper(request.object.metadata.name) }}", operator: "Equals", value: "WEB" }] },
      ctx,
    );
    expect(r).toEqual({ ok: true, holds: true });
  });

  it("reports JMESPath functions it does not have (clock, cluster lookups) as unsupported", () => {
    const r = evaluateConditions(
      { all: [{ key: "{{ time_now_utc() }}", operator: "Equals", value: "x" }] },
      ctx,
    );
    expect(r).toMatchObject({ ok: false, kind: "unsupported" });
    expect(r.ok ? "" : r.message).toContain("time_now_utc");
  });

  it("reports context variables as unsupported", () => {
    const r = evaluateConditions(
      { all: [{ key: "{{ configmap.data.x }}", operator: "Equals", value: "y" }] },
      ctx,
    );
    expect(r).toMatchObject({ ok: false, kind: "unsupported" });
  });
});
