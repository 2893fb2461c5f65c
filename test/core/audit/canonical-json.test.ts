import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../src/core/audit/canonical-json.js";

describe("canonicalJson", () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ z: { y: [3, { d: 1, c: 2 }], x: null } }, '{"z":{"x":null,"y":[3,{"c":2,"d":1}]}}'],
    [{ a: undefined, b: "x" }, '{"b":"x"}'],
    [[undefined, 1], "[null,1]"],
    [{ é: 1, e: 2, Z: 3 }, '{"Z":3,"e":2,"é":1}'],
    ["<!-- -->", '"<!-- -->"'],
    [true, "true"],
    [-1.5, "-1.5"],
  ])("%j ⇒ %s", (value, json) => {
    expect(canonicalJson(value)).toBe(json);
    // Canonical JSON is JSON: it parses back to the same value (minus undefined members).
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it.each([[Number.NaN], [Number.POSITIVE_INFINITY], [() => 1], [Symbol("s")], [10n]])(
    "refuses %s",
    (value) => {
      expect(() => canonicalJson(value)).toThrow(TypeError);
    },
  );
});
