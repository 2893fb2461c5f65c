import { describe, expect, it } from "vitest";
import { matchGlob } from "../../../src/core/policy/match-glob.js";

describe("matchGlob", () => {
  it.each([
    ["**/*.yaml", "a.yaml", true],
    ["**/*.yaml", "apps/web/a.yaml", true],
    ["**/*.yaml", "apps/web/a.yml", false],
    [".github/**", ".github/workflows/ci.yaml", true],
    [".github/**", "apps/.github/x.yaml", false],
    ["apps/*/kustomization.yaml", "apps/web/kustomization.yaml", true],
    ["apps/*/kustomization.yaml", "apps/web/x/kustomization.yaml", false],
    ["**/*.{yaml,yml}", "x/y.yml", true],
    ["charts/?/values.yaml", "charts/a/values.yaml", true],
  ])("%s vs %s ⇒ %s", (glob, path, expected) => {
    expect(matchGlob(glob, path)).toBe(expected);
  });
});
