import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validatePattern } from "../../../src/core/policy/validate-pattern.js";

const pod = (spec: string) => parse(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`);

describe("validatePattern anchors", () => {
  it.each([
    // plain keys: required, value checked
    [
      "plain: value matches",
      "  containers:\n  - name: a\n    image: nginx:1",
      "spec:\n  containers:\n  - image: '*:*'",
      "pass",
      undefined,
    ],
    [
      "plain: value mismatch",
      "  containers:\n  - name: a\n    image: nginx",
      "spec:\n  containers:\n  - image: '*:*'",
      "fail",
      "/spec/containers/0/image/",
    ],
    [
      "plain: missing key",
      "  containers:\n  - name: a",
      "spec:\n  containers:\n  - image: '*'",
      "fail",
      "/spec/containers/0/image/",
    ],
    [
      "plain: second element fails",
      "  containers:\n  - image: a:1\n  - image: b",
      "spec:\n  containers:\n  - image: '*:*'",
      "fail",
      "/spec/containers/1/image/",
    ],
    // equality =(): only checked when present
    ["equality: absent", "  containers: []", "spec:\n  =(hostNetwork): false", "pass", undefined],
    [
      "equality: present and matching",
      "  hostNetwork: false",
      "spec:\n  =(hostNetwork): false",
      "pass",
      undefined,
    ],
    [
      "equality: present and different",
      "  hostNetwork: true",
      "spec:\n  =(hostNetwork): false",
      "fail",
      "/spec/hostNetwork/",
    ],
    // conditional (): mismatch or absence skips
    [
      "conditional: holds, sibling ok",
      "  containers:\n  - image: nginx:latest\n    imagePullPolicy: Always",
      "spec:\n  containers:\n  - (image): '*:latest'\n    imagePullPolicy: Always",
      "pass",
      undefined,
    ],
    [
      "conditional: holds, sibling fails",
      "  containers:\n  - image: nginx:latest\n    imagePullPolicy: IfNotPresent",
      "spec:\n  containers:\n  - (image): '*:latest'\n    imagePullPolicy: Always",
      "fail",
      "/spec/containers/0/imagePullPolicy/",
    ],
    [
      "conditional: no element satisfies ⇒ skip",
      "  containers:\n  - image: nginx:1\n    imagePullPolicy: IfNotPresent",
      "spec:\n  containers:\n  - (image): '*:latest'\n    imagePullPolicy: Always",
      "skip",
      undefined,
    ],
    [
      "conditional: one element applies, other skipped",
      "  containers:\n  - image: a:1\n  - image: b:latest\n    imagePullPolicy: Always",
      "spec:\n  containers:\n  - (image): '*:latest'\n    imagePullPolicy: Always",
      "pass",
      undefined,
    ],
    [
      "conditional: key absent ⇒ skip",
      "  containers: []",
      "spec:\n  (hostNetwork): true\n  dnsPolicy: ClusterFirstWithHostNet",
      "skip",
      undefined,
    ],
    // negation X(): key must be absent
    ["negation: absent", "  containers: []", "spec:\n  X(hostPath): null", "pass", undefined],
    ["negation: present", "  hostPath: /var", "spec:\n  X(hostPath): null", "fail", "/spec/hostPath/"],
    // existence ^(): at least one element matches
    [
      "existence: one matches",
      "  containers:\n  - image: a:1\n  - image: registry.io/b:1",
      "spec:\n  ^(containers):\n  - image: 'registry.io/*'",
      "pass",
      undefined,
    ],
    [
      "existence: none matches",
      "  containers:\n  - image: a:1",
      "spec:\n  ^(containers):\n  - image: 'registry.io/*'",
      "fail",
      "/spec/containers/",
    ],
    [
      "existence: absent list passes",
      "  volumes: []",
      "spec:\n  ^(initContainers):\n  - image: 'registry.io/*'",
      "pass",
      undefined,
    ],
    // global <(): mismatch anywhere skips the rule
    [
      "global: holds ⇒ sibling checked",
      "  containers:\n  - image: corp/app:1",
      "spec:\n  containers:\n  - <(image): 'corp/*'\n  imagePullSecrets:\n  - name: regcred",
      "fail",
      "/spec/imagePullSecrets/",
    ],
    [
      "global: does not hold ⇒ skip",
      "  containers:\n  - image: nginx:1",
      "spec:\n  containers:\n  - <(image): 'corp/*'\n  imagePullSecrets:\n  - name: regcred",
      "skip",
      undefined,
    ],
    // wildcard keys
    [
      "wildcard key: negation hit",
      "  containers: []\n  nodeSelector:\n    fluxcd.io/x: y",
      "spec:\n  =(nodeSelector):\n    X(fluxcd.io/*): '*'",
      "fail",
      "/spec/nodeSelector/fluxcd.io/x/",
    ],
    [
      "wildcard key: plain requires a match",
      "  containers: []\n  nodeSelector:\n    app.kubernetes.io/name: web",
      "spec:\n  nodeSelector:\n    app.kubernetes.io/*: '?*'",
      "pass",
      undefined,
    ],
    // structure mismatch
    [
      "map expected",
      "  containers: oops",
      "spec:\n  containers:\n  - image: '*'",
      "fail",
      "/spec/containers/",
    ],
    // scalar pattern applied to every list element
    ["scalar over list", "  args: [a1, a2, b]", "spec:\n  args: 'a*'", "fail", "/spec/args/2/"],
  ])("%s", (_name, spec, patternYaml, kind, path) => {
    const out = validatePattern(pod(spec), parse(patternYaml));
    expect(out.kind).toBe(kind);
    if (path) expect(out.kind === "fail" ? `/${out.path.join("/")}/` : undefined).toBe(path);
  });
});
