import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadMedicConfig } from "../../src/core/config/medic-config.js";
import type { TextFile } from "../../src/core/policy/load-policies.js";
import {
  evaluatePlanPolicies,
  planPolicyJson,
  renderPlanPolicyText,
} from "../../src/workflows/evaluate-plan-policies.js";
import type { GitOpsRepo } from "../../src/workflows/ports/gitops-repo.js";

const policiesDir = new URL("../../policies/", import.meta.url);
const bundled: TextFile[] = readdirSync(policiesDir)
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => ({ file: `policies/${f}`, text: readFileSync(new URL(f, policiesDir), "utf8") }));

const policyConfig = (value: unknown = {}) => {
  const r = loadMedicConfig({ policy: value }, ".github/medic.yml");
  if (!r.ok) throw new Error(r.message);
  return r.config.policy;
};

/** A GitOpsRepo over a map of files: stands for the default branch the policies are read from. */
const repoOf = (files: Record<string, string>): GitOpsRepo & { reads: string[] } => {
  const reads: string[] = [];
  return {
    name: "acme/gitops",
    reads,
    async revision() {
      return "0123456789abcdef0123456789abcdef01234567";
    },
    async listFiles(prefix = "") {
      return Object.keys(files).filter((p) => p.startsWith(`${prefix}/`));
    },
    async readFile(path) {
      reads.push(path);
      return files[path] ?? null;
    },
  };
};

const deployment = (image: string, probes = true) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
  labels:
    app.kubernetes.io/name: checkout
    app.kubernetes.io/part-of: shop
    team: team-shop
spec:
  replicas: 3
  selector:
    matchLabels: { app: checkout }
  template:
    metadata:
      labels: { app: checkout }
    spec:
      containers:
        - name: checkout
          image: ${image}
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: "1", memory: 256Mi }
${
  probes
    ? `          livenessProbe:
            httpGet: { path: /healthz, port: 8080 }
          readinessProbe:
            httpGet: { path: /ready, port: 8080 }
`
    : ""
}`;

const digest = "@sha256:0000000000000000000000000000000000000000000000000000000000000000";

/** A repository policy on the default branch: tags 1.4.1 are known bad here. */
const repoPolicy = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: ban-checkout-141
spec:
  validationFailureAction: Enforce
  rules:
    - name: no-141
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "checkout 1.4.1 leaks connections"
        pattern:
          spec:
            containers:
              - image: "!*:1.4.1"
`;

describe("evaluatePlanPolicies", () => {
  it("evaluates the changed files' new text with the bundled policies: passes are listed and counted", async () => {
    const r = await evaluatePlanPolicies(
      {
        changes: [
          {
            path: "apps/checkout/deployment.yaml",
            after: deployment(`ghcr.io/acme/checkout:1.4.1${digest}`),
          },
        ],
        bundled,
        config: policyConfig(),
      },
      repoOf({}),
    );
    expect(r.status).toBe("evaluated");
    if (r.status !== "evaluated") return;
    expect(r.files).toEqual(["apps/checkout/deployment.yaml"]);
    expect(r.conclusion).toBe("success");
    expect(r.blocking).toEqual([]);
    expect(r.evaluations.length).toBeGreaterThan(5);
    expect(r.evaluations.every((e) => e.result === "pass")).toBe(true);
    expect(renderPlanPolicyText(r)[0]).toBe(
      `policy: all ${r.evaluations.length} evaluations passed (${r.policyCount} policies on 1 changed file(s))`,
    );
    expect(r.notes).toContain("restrict-image-registries: off (policy.allowedRegistries is empty)");
  });

  it("an Audit finding gives a neutral check with file:line; an Enforce one a failing check", async () => {
    const audit = await evaluatePlanPolicies(
      {
        changes: [
          { path: "apps/checkout/deployment.yaml", after: deployment("ghcr.io/acme/checkout:1.4.1") },
        ],
        bundled,
        config: policyConfig(),
      },
      null,
    );
    expect(audit.status === "evaluated" && audit.conclusion).toBe("neutral");
    const lines = renderPlanPolicyText(audit);
    expect(lines[0]).toMatch(/the PR's medic\/policy check would conclude neutral$/);
    expect(lines).toContain(
      "  FAIL (Audit) require-image-digest/autogen-require-image-digest apps/checkout/deployment.yaml:20: validation error: Images must be referenced by digest (image@sha256:...). rule autogen-require-image-digest failed at path /spec/template/spec/containers/0/image/",
    );

    const enforce = await evaluatePlanPolicies(
      {
        changes: [
          { path: "apps/checkout/deployment.yaml", after: deployment("ghcr.io/acme/checkout:latest") },
        ],
        bundled,
        config: policyConfig(),
      },
      null,
    );
    expect(enforce.status).toBe("evaluated");
    if (enforce.status !== "evaluated") return;
    expect(enforce.conclusion).toBe("failure");
    expect(enforce.blocking.map((e) => `${e.policy}/${e.rule}:${e.line}:${e.action}`)).toEqual([
      "disallow-latest-tag/autogen-validate-image-tag:20:Enforce",
    ]);
  });

  it("reads the repository's own policies from the given (default-branch) repo and applies them", async () => {
    const repo = repoOf({
      ".github/medic/policies/ban.yaml": repoPolicy,
      ".github/medic/policies/README.md": "not a policy",
      ".github/medic/runbooks/x.yaml": "not read",
    });
    const r = await evaluatePlanPolicies(
      {
        changes: [
          { path: "apps/checkout/deployment.yaml", after: deployment(`ghcr.io/acme/checkout:1.4.1`) },
        ],
        bundled,
        config: policyConfig(),
      },
      repo,
    );
    expect(repo.reads).toEqual([".github/medic/policies/ban.yaml"]);
    expect(r.status).toBe("evaluated");
    if (r.status !== "evaluated") return;
    expect(r.conclusion).toBe("failure");
    expect(r.blocking.map((e) => [e.policy, e.rule, e.line, e.message])).toEqual([
      [
        "ban-checkout-141",
        "autogen-no-141",
        20,
        "validation error: checkout 1.4.1 leaks connections. rule autogen-no-141 failed at path /spec/template/spec/containers/0/image/",
      ],
    ]);
    const json = planPolicyJson(r) as { results: Record<string, unknown>[]; summary: Record<string, number> };
    expect(json.summary.fail).toBe(2);
    expect(json.results.find((x) => x["policy"] === "ban-checkout-141")).toEqual({
      policy: "ban-checkout-141",
      rule: "autogen-no-141",
      resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "checkout" },
      file: "apps/checkout/deployment.yaml",
      line: 20,
      result: "fail",
      message:
        "validation error: checkout 1.4.1 leaks connections. rule autogen-no-141 failed at path /spec/template/spec/containers/0/image/",
      action: "Enforce",
    });
  });

  it.each([
    ["a Terraform file", "infra/openstack/terraform.auto.tfvars.json", '{"worker_count": 4}'],
    ["a file under .github (policy.exclude)", ".github/medic/extra.yaml", deployment("x:latest")],
  ])("%s is not evaluated, as the check would not", async (_name, path, after) => {
    const r = await evaluatePlanPolicies(
      { changes: [{ path, after }], bundled, config: policyConfig() },
      null,
    );
    expect(r.status === "evaluated" && [r.files, r.evaluations.length, r.conclusion]).toEqual([
      [],
      0,
      "success",
    ]);
    expect(renderPlanPolicyText(r)[0]).toMatch(/^policy: no changed file is a policy-checked YAML file/);
  });

  it("policy.enabled false: off, nothing read", async () => {
    const repo = repoOf({ ".github/medic/policies/ban.yaml": repoPolicy });
    const r = await evaluatePlanPolicies(
      {
        changes: [{ path: "a.yaml", after: deployment("x:latest") }],
        bundled,
        config: policyConfig({ enabled: false }),
      },
      repo,
    );
    expect(r).toEqual({
      status: "off",
      reason: "policy.enabled is false in .github/medic.yml; no policy is evaluated",
    });
    expect(repo.reads).toEqual([]);
  });

  it("a broken repository policy: invalid-policy naming the file and field, no evaluation", async () => {
    const r = await evaluatePlanPolicies(
      {
        changes: [{ path: "a.yaml", after: deployment("x:1") }],
        bundled,
        config: policyConfig(),
      },
      repoOf({
        ".github/medic/policies/bad.yaml":
          "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {}\nspec: {}\n",
      }),
    );
    expect(r.status).toBe("invalid-policy");
    if (r.status !== "invalid-policy") return;
    expect(r.errors[0]).toMatch(/^Invalid policy in \.github\/medic\/policies\/bad\.yaml: field `/);
    expect(planPolicyJson(r)).toMatchObject({ status: "invalid-policy", conclusion: "failure", results: [] });
  });
});
