import { describe, expect, it } from "vitest";
import {
  compareQuantity,
  formatQuantity,
  parseQuantity,
  type Quantity,
  scaleQuantity,
} from "../../../src/core/manifest/index.js";

function q(text: string): Quantity {
  const res = parseQuantity(text);
  if (!res.ok) throw new Error(res.reason);
  return res.quantity;
}

describe("parseQuantity", () => {
  it.each([
    ["1Ki", 1024n, 1n],
    ["10Gi", 10n * 2n ** 30n, 1n],
    ["1.5Gi", 3n * 2n ** 29n, 1n],
    ["1Ei", 2n ** 60n, 1n],
    ["500M", 500_000_000n, 1n],
    ["1k", 1000n, 1n],
    ["250m", 1n, 4n],
    ["100n", 1n, 10_000_000n],
    ["1e3", 1000n, 1n],
    ["1E3", 1000n, 1n],
    ["1E", 10n ** 18n, 1n],
    ["5e-2", 1n, 20n],
    [".5Gi", 2n ** 29n, 1n],
    ["+2", 2n, 1n],
    ["-1", -1n, 1n],
    ["0", 0n, 1n],
  ])("%s = %d/%d", (text, num, den) => {
    const res = q(text);
    expect([res.num, res.den]).toEqual([num, den]);
  });

  it.each(["", "Gi", "10 Gi", "10GB", "10gi", "1.2.3", "1e", "1e9999", "0x10", "9".repeat(50), "NaN"])(
    "%j is refused",
    (text) => {
      const res = parseQuantity(text);
      expect(res.ok).toBe(false);
      expect(res.ok ? "" : res.reason).toMatch(/is not a Kubernetes quantity|exponent out of range/);
    },
  );

  it("trims surrounding spaces like kubectl", () => {
    expect(parseQuantity(" 10Gi ")).toMatchObject({ ok: true, quantity: { raw: "10Gi" } });
  });
});

describe("compareQuantity", () => {
  it.each([
    ["50Gi", "51200Mi", 0],
    ["50Gi", "50G", 1],
    ["1.5Gi", "1536Mi", 0],
    ["1Ti", "1000Gi", 1],
    ["999Mi", "1Gi", -1],
    ["100m", "0.1", 0],
    ["1e3", "1k", 0],
  ] as const)("%s vs %s ⇒ %d", (a, b, expected) => {
    expect(compareQuantity(q(a), q(b))).toBe(expected);
  });
});

describe("formatQuantity", () => {
  it.each([
    ["51200Mi", "binary", "50Gi"],
    ["1536Mi", "binary", "1536Mi"],
    ["1.5Ti", "binary", "1536Gi"],
    ["1000", "binary", "1000"],
    ["2048", "binary", "2Ki"],
    ["80G", "decimal", "80G"],
    ["80G", "binary", "78125000Ki"],
    ["250m", "binary", "250m"],
    ["0", "binary", "0"],
  ] as const)("%s (%s) ⇒ %s", (text, system, expected) => {
    expect(formatQuantity(q(text), system)).toBe(expected);
  });
});

describe("scaleQuantity", () => {
  it.each([
    ["50Gi", 1.5, "1Gi", "75Gi"],
    ["50Gi", 1.25, "1Gi", "63Gi"],
    ["10Gi", 2, undefined, "20Gi"],
    ["100Gi", 1.1, "10Gi", "110Gi"],
    ["20G", 1.5, "1G", "30G"],
  ] as const)("%s × %d (round up to %s) ⇒ %s", (text, factor, round, expected) => {
    const out = scaleQuantity(q(text), factor, round ? q(round) : undefined);
    expect(formatQuantity(out, text.endsWith("i") ? "binary" : "decimal")).toBe(expected);
    expect(out.raw).toBe(formatQuantity(out));
  });

  it("refuses a factor that is not positive", () => {
    expect(() => scaleQuantity(q("1Gi"), 0)).toThrow(RangeError);
  });
});
