import { describe, expect, it } from "vitest";
import { evaluatePolicies } from "../../../src/core/policy/evaluate-policies.js";
import { loadManifests } from "../../../src/core/policy/load-manifests.js";
import { loadPolicies } from "../../../src/core/policy/load-policies.js";

function run(policyYaml: string, manifestYaml: string) {
  const p = loadPolicies([{ file: "policy.yaml", text: policyYaml }]);
  expect(p.errors).toEqual([]);
  const m = loadManifests([{ file: "app.yaml", text: manifestYaml }]);
  expect(m.errors).toEqual([]);
  return evaluatePolicies(p.policies, m.resources);
}

const policy = (rules: string, extra = "", annotations = "") => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: p
${annotations ? `  annotations:\n${annotations}\n` : ""}spec:
  validationFailureAction: Enforce
${extra}  rules:
${rules}`;

const imageRule = `  - name: tag
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: "tag required for {{ request.object.metadata.name }}."
      pattern:
        spec:
          containers:
          - image: "*:*"
`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      name: tmpl
    spec:
      containers:
      - name: app
        image: nginx
`;

describe("evaluatePolicies", () => {
  it("auto-generates rules for Pod controllers with Kyverno's names, pointing at the offending line", () => {
    const cron = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: job
            image: report:1
`;
    const out = run(policy(imageRule), `${deployment}---\n${cron}`);
    expect(out.map((e) => [e.rule, e.resource.kind, e.result, e.line, e.column, e.path])).toEqual([
      ["autogen-tag", "Deployment", "fail", 13, 9, "/spec/template/spec/containers/0/image/"],
      ["autogen-cronjob-tag", "CronJob", "pass", 15, 1, undefined],
    ]);
    // The message variable is rewritten to the template, as Kyverno's auto-gen does.
    expect(out[0]!.message).toBe(
      "validation error: tag required for tmpl. rule autogen-tag failed at path /spec/template/spec/containers/0/image/",
    );
  });

  it("honours pod-policies.kyverno.io/autogen-controllers", () => {
    const annotated = policy(imageRule, "", "    pod-policies.kyverno.io/autogen-controllers: none");
    expect(run(annotated, deployment)).toEqual([]);
  });

  it("does not auto-generate when the rule filters by name or mixes kinds", () => {
    const named = imageRule.replace("kinds: [Pod]", "kinds: [Pod]\n          names: [web*]");
    expect(run(policy(named), deployment)).toEqual([]);
  });

  it("lists nothing for resources a rule does not match or excludes", () => {
    const excluded = `${imageRule}    exclude:
      any:
      - resources:
          namespaces: [shop]
`.replace(
      "    validate:",
      "    exclude:\n      any:\n      - resources:\n          namespaces: [shop]\n    validate:",
    );
    const rule = excluded.slice(0, excluded.lastIndexOf("    exclude:"));
    expect(run(policy(rule), deployment)).toEqual([]);
    expect(run(policy(imageRule), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")).toEqual([]);
  });

  it("skips when preconditions do not hold and evaluates when they do", () => {
    const rule = imageRule.replace(
      "    validate:",
      `    preconditions:
      all:
      - key: "{{ request.namespace }}"
        operator: Equals
        value: "{{NS}}"
    validate:`,
    );
    expect(run(policy(rule.replace("{{NS}}", "prod")), deployment).map((e) => [e.result, e.message])).toEqual(
      [["skip", "preconditions not met"]],
    );
    expect(run(policy(rule.replace("{{NS}}", "shop")), deployment).map((e) => e.result)).toEqual(["fail"]);
  });

  it("evaluates deny conditions over request.object and images", () => {
    const rule = `  - name: no-dockerhub
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: "registry {{ images.containers.app.registry }} is not allowed"
      deny:
        conditions:
          any:
          - key: "{{ images.containers.*.registry }}"
            operator: AnyIn
            value: [docker.io]
`;
    expect(run(policy(rule), deployment).map((e) => [e.rule, e.result, e.message])).toEqual([
      ["autogen-no-dockerhub", "fail", "registry docker.io is not allowed"],
    ]);
  });

  it("reports unsupported features as skip with the reason, never as pass", async () => {
    const rule = `  - name: pss
    match:
      any:
      - resources:
          kinds: [Deployment]
    validate:
      podSecurity:
        level: baseline
        version: latest
`;
    expect(run(policy(rule), deployment).map((e) => [e.result, e.message, e.unsupported])).toEqual([
      ["skip", "unsupported: validate.podSecurity", "validate.podSecurity"],
    ]);
    const ctxRule = imageRule.replace(
      "    validate:",
      "    context:\n    - name: cm\n      configMap:\n        name: x\n        namespace: y\n    validate:",
    );
    expect(run(policy(ctxRule), deployment)[0]).toMatchObject({
      result: "skip",
      unsupported: expect.stringContaining("context"),
    });
  });

  it("uses rule failureAction, namespace overrides, and warn for unscored policies", () => {
    const overrides = "  validationFailureActionOverrides:\n  - action: Audit\n    namespaces: [shop]\n";
    expect(run(policy(imageRule, overrides), deployment)[0]!.action).toBe("Audit");
    const audit = imageRule.replace("      message:", "      failureAction: Audit\n      message:");
    expect(run(policy(audit), deployment)[0]!.action).toBe("Audit");
    const unscored = policy(imageRule, "", '    policies.kyverno.io/scored: "false"');
    expect(run(unscored, deployment)[0]!.result).toBe("warn");
  });

  it("reports anyPattern failures per pattern", () => {
    const rule = `  - name: any
    match:
      any:
      - resources:
          kinds: [Deployment]
    validate:
      message: "needs replicas or an hpa label"
      anyPattern:
      - spec:
          replicas: ">0"
      - metadata:
          labels:
            hpa: "true"
`;
    expect(run(policy(rule), deployment)[0]!.message).toBe(
      "validation error: needs replicas or an hpa label. rule any[0] failed at path /spec/replicas/ rule any[1] failed at path /metadata/labels/",
    );
  });

  it("evaluates the items of a List with their own lines", () => {
    const list = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: a
  spec:
    containers:
    - image: x
`;
    expect(run(policy(imageRule), list).map((e) => [e.resource.name, e.result, e.line])).toEqual([
      ["a", "fail", 10],
    ]);
  });

  describe("validate.foreach", () => {
    const foreachRule = (body: string) => `  - name: fe
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: "container {{ element.name }} needs a tag"
      foreach:
      - list: "request.object.spec.containers"
${body}`;
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: ok
    image: a:1
  - name: bad
    image: b
`;

    it("applies an element-scoped pattern to each element and points at the failing one", () => {
      const out = run(policy(foreachRule('        pattern:\n          image: "*:*"\n')), pod);
      expect(out.map((e) => [e.rule, e.result, e.message, e.line])).toEqual([
        [
          "fe",
          "fail",
          "validation error: container bad needs a tag. rule fe failed at path /spec/containers/1/image/",
          10,
        ],
      ]);
    });

    it("evaluates deny conditions with {{ element }} and is auto-generated for controllers", () => {
      const body = `        deny:
          conditions:
            any:
            - key: "{{ contains(element.image, ':') }}"
              operator: Equals
              value: false
`;
      expect(run(policy(foreachRule(body)), pod).map((e) => [e.result, e.message, e.line])).toEqual([
        ["fail", "container bad needs a tag", 9],
      ]);
      expect(
        run(policy(foreachRule(body)), deployment).map((e) => [e.rule, e.result, e.message, e.line]),
      ).toEqual([["autogen-fe", "fail", "container app needs a tag", 12]]);
    });

    it("skips elements whose preconditions do not hold, and the rule when none applies", () => {
      const body = `        preconditions:
          all:
          - key: "{{ element.name }}"
            operator: Equals
            value: sidecar
        pattern:
          image: "*:*"
`;
      expect(run(policy(foreachRule(body)), pod).map((e) => [e.result, e.message])).toEqual([
        ["skip", "rule fe skipped: no foreach element applied"],
      ]);
    });

    it("reports nested foreach as unsupported", () => {
      const body = `        foreach:
        - list: "element.ports"
          pattern:
            containerPort: ">0"
`;
      expect(run(policy(foreachRule(body)), pod)[0]).toMatchObject({
        result: "skip",
        unsupported: "nested validate.foreach",
      });
    });
  });
});
