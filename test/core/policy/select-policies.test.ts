import { describe, expect, it } from "vitest";
import { evaluatePolicies } from "../../../src/core/policy/evaluate-policies.js";
import { loadManifests } from "../../../src/core/policy/load-manifests.js";
import { loadPolicies } from "../../../src/core/policy/load-policies.js";
import { registryPattern, selectPolicies } from "../../../src/core/policy/select-policies.js";

const registryPolicy = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-image-registries
spec:
  validationFailureAction: Enforce
  rules:
    - name: validate-registries
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        pattern:
          spec:
            containers:
              - image: "registry.example.com/*"
`;
const other = registryPolicy.replace("restrict-image-registries", "other");

describe("selectPolicies", () => {
  const bundled = loadPolicies([
    { file: "policies/r.yaml", text: `${registryPolicy}---\n${other}` },
  ]).policies;

  it("turns the registry policy off when no registry is configured", () => {
    const s = selectPolicies(bundled, [], { allowedRegistries: [], disabledPolicies: [] });
    expect(s.policies.map((p) => p.name)).toEqual(["other"]);
    expect(s.notes).toEqual(["restrict-image-registries: off (policy.allowedRegistries is empty)"]);
  });

  it("uses the configured registries", () => {
    const s = selectPolicies(bundled, [], {
      allowedRegistries: ["ghcr.io/acme", "*.azurecr.io/*"],
      disabledPolicies: ["other"],
    });
    expect(s.policies.map((p) => p.name)).toEqual(["restrict-image-registries"]);
    const pods = loadManifests([
      {
        file: "p.yaml",
        text: ["ghcr.io/acme/web:1", "x.azurecr.io/api:2", "docker.io/nginx:1"]
          .map(
            (img, i) =>
              `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n    - image: ${img}\n`,
          )
          .join("---\n"),
      },
    ]).resources;
    expect(evaluatePolicies(s.policies, pods).map((e) => [e.resource.name, e.result])).toEqual([
      ["p0", "pass"],
      ["p1", "pass"],
      ["p2", "fail"],
    ]);
  });

  it("lets a repository policy replace a bundled one of the same name", () => {
    const repo = loadPolicies([
      { file: ".github/medic/policies/o.yaml", text: other.replace("Enforce", "Audit") },
    ]).policies;
    const s = selectPolicies(bundled, repo, { allowedRegistries: [], disabledPolicies: [] });
    expect(s.policies.map((p) => [p.name, p.file, p.action])).toEqual([
      ["other", ".github/medic/policies/o.yaml", "Audit"],
    ]);
  });

  it.each([
    [["ghcr.io/acme"], "ghcr.io/acme/*"],
    [["ghcr.io/acme/", "registry.k8s.io"], "ghcr.io/acme/* | registry.k8s.io/*"],
    [["*.azurecr.io/*"], "*.azurecr.io/*"],
  ])("registryPattern(%j) ⇒ %s", (list, pattern) => {
    expect(registryPattern(list)).toBe(pattern);
  });
});
