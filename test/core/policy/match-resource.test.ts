import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { MatchBlock } from "../../../src/core/policy/kyverno-policy.js";
import type { PolicyResource } from "../../../src/core/policy/load-resources.js";
import { matchBlock, matchKind } from "../../../src/core/policy/match-resource.js";

describe("matchKind", () => {
  it.each([
    ["Pod", "v1", "Pod", true],
    ["Pod", "v1", "Deployment", false],
    ["v1/Pod", "v1", "Pod", true],
    ["apps/v1/Deployment", "apps/v1", "Deployment", true],
    ["apps/v1/Deployment", "extensions/v1beta1", "Deployment", false],
    ["apps/*/Deployment", "apps/v1", "Deployment", true],
    ["v1/Deployment", "apps/v1", "Deployment", true],
    ["*", "v1", "ConfigMap", true],
    ["argoproj.io/v1alpha1/Rollout", "argoproj.io/v1alpha1", "Rollout", true],
    ["apps/v1/Deployment/scale", "apps/v1", "Deployment", false],
  ])("%s matches %s %s ⇒ %s", (selector, apiVersion, kind, expected) => {
    expect(matchKind(selector, apiVersion, kind)).toBe(expected);
  });
});

const res = (yaml: string): PolicyResource => {
  const object = parse(yaml) as Record<string, unknown>;
  const meta = object.metadata as Record<string, string>;
  return {
    ref: {
      apiVersion: object.apiVersion as string,
      kind: object.kind as string,
      namespace: meta.namespace ?? "",
      name: meta.name ?? "",
    },
    object,
    file: "x.yaml",
    documentIndex: 0,
    basePath: [],
  };
};

const web = res(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-frontend
  namespace: prod-eu
  labels: { app: web, tier: frontend }
  annotations: { owner: team-a }
`);

describe("matchBlock", () => {
  it.each<[string, MatchBlock, "match" | "exclude", ReturnType<typeof matchBlock>]>([
    ["kinds", { any: [{ userInfo: false, resources: { kinds: ["Deployment"] } }] }, "match", true],
    [
      "names wildcard",
      { any: [{ userInfo: false, resources: { kinds: ["Deployment"], names: ["web-*"] } }] },
      "match",
      true,
    ],
    [
      "names miss",
      { any: [{ userInfo: false, resources: { kinds: ["Deployment"], names: ["api"] } }] },
      "match",
      false,
    ],
    [
      "namespaces wildcard",
      { any: [{ userInfo: false, resources: { namespaces: ["prod-*"] } }] },
      "match",
      true,
    ],
    [
      "selector matchLabels",
      { any: [{ userInfo: false, resources: { selector: { matchLabels: { app: "web" } } } }] },
      "match",
      true,
    ],
    [
      "selector matchExpressions",
      {
        any: [
          {
            userInfo: false,
            resources: {
              selector: {
                matchExpressions: [
                  { key: "tier", operator: "NotIn", values: ["backend"] },
                  { key: "canary", operator: "DoesNotExist" },
                ],
              },
            },
          },
        ],
      },
      "match",
      true,
    ],
    [
      "annotations",
      { any: [{ userInfo: false, resources: { annotations: { owner: "team-*" } } }] },
      "match",
      true,
    ],
    [
      "all: every filter",
      {
        all: [
          { userInfo: false, resources: { kinds: ["Deployment"] } },
          { userInfo: false, resources: { namespaces: ["dev"] } },
        ],
      },
      "match",
      false,
    ],
    [
      "any: one filter",
      {
        any: [
          { userInfo: false, resources: { kinds: ["Pod"] } },
          { userInfo: false, resources: { namespaces: ["prod-eu"] } },
        ],
      },
      "match",
      true,
    ],
    [
      "operations CREATE/UPDATE only",
      { any: [{ userInfo: false, resources: { kinds: ["Deployment"], operations: ["DELETE"] } }] },
      "match",
      false,
    ],
    ["user info in exclude excludes nothing", { any: [{ userInfo: true }] }, "exclude", false],
    [
      "user info in match is undecidable",
      { any: [{ userInfo: true, resources: { kinds: ["Deployment"] } }] },
      "match",
      { unsupported: "match by subjects, roles or clusterRoles (admission user info)" },
    ],
    [
      "namespaceSelector is undecidable",
      {
        any: [
          {
            userInfo: false,
            resources: { kinds: ["Deployment"], namespaceSelector: { matchLabels: { env: "prod" } } },
          },
        ],
      },
      "match",
      { unsupported: "namespaceSelector (needs the namespace's labels from a cluster)" },
    ],
  ])("%s", (_n, block, mode, expected) => {
    expect(matchBlock(block, web, mode)).toEqual(expected);
  });
});
