import { describe, expect, it } from "vitest";
import { bindParameters } from "../../../src/core/runbook/bind-parameters.js";
import { parseRunbook } from "../../../src/core/runbook/parse-runbook.js";
import { checkRepoPath, validateParameter } from "../../../src/core/runbook/validate-parameter.js";

describe("checkRepoPath", () => {
  it.each([
    ["apps/checkout/deployment.yaml", "apps/checkout/deployment.yaml"],
    ["./infra//openstack/", "infra/openstack"],
    ["infra/openstack", "infra/openstack"],
  ])("%s ⇒ %s", (input, out) => {
    expect(checkRepoPath(input)).toEqual({ ok: true, value: out });
  });

  it.each([
    ["../etc/passwd", "`..` segments"],
    ["apps/../../etc", "`..` segments"],
    ["..", "`..` segments"],
    ["%2e%2e/etc", "percent-encoded"],
    ["apps%2F..%2Fsecret", "percent-encoded"],
    ["/etc/passwd", "absolute"],
    ["C:/Windows", "absolute"],
    ["~/.ssh/id_rsa", "absolute"],
    ["apps\\..\\secret", "backslashes"],
    ["apps/x\u0000.yaml", "NUL"],
    ["apps/\nx", "control character"],
    ["", "empty"],
    ["./", "repository root"],
  ])("%j is refused (%s)", (input, reason) => {
    const res = checkRepoPath(input);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.reason).toContain(reason);
  });
});

describe("validateParameter", () => {
  it.each([
    ["dns1123-label", "shop", true],
    ["dns1123-label", "Shop", false],
    ["dns1123-label", "-shop", false],
    ["dns1123-label", "a".repeat(64), false],
    ["dns1123-label", "shop;rm -rf /", false],
    ["dns1123-label", "shop\u0000", false],
    ["dns1123-label", "ѕhop", false], // Cyrillic ѕ: a look-alike is not a DNS name
    ["dns1123-subdomain", "worker-2.eu-de-1.internal", true],
    ["dns1123-subdomain", "worker..2", false],
    ["dns1123-subdomain", "$(id)", false],
    ["integer", "12", true],
    ["integer", "1e3", false],
    ["quantity", "20Gi", true],
    ["quantity", "20 GB", false],
    ["string", "hello", true],
    ["string", "bell\u0007", false],
  ] as const)("%s %j ⇒ %s", (type, value, ok) => {
    expect(validateParameter(type, value).ok).toBe(ok);
  });

  it("checks a string against its pattern, anchored", () => {
    expect(validateParameter("string", "worker_count", "[a-z_]+").ok).toBe(true);
    expect(validateParameter("string", "worker_count; x", "[a-z_]+").ok).toBe(false);
  });
});

const RB = parseRunbook(
  `
id: p
title: p
version: 1.0.0
match: { alertnames: [A] }
parameters:
  - { name: namespace, type: dns1123-label, from: ["label:namespace", "label:exported_namespace", config] }
  - { name: path, type: repo-path, from: [config], default: infra/openstack }
  - { name: pvc, type: dns1123-subdomain, from: ["label:persistentvolumeclaim"], required: false }
  - { name: workload, type: dns1123-subdomain, from: ["label:deployment", "fact:workload.name"] }
steps: [{ id: s, action: suggest-waf-rule }]
risk: safe
`,
  "p.yaml",
);

describe("bindParameters", () => {
  const runbook = RB.ok ? RB.runbook : (undefined as never);
  const incident = (labels: Record<string, string>) => ({ labels, signals: [] });

  it("takes the first source with a value and records where it came from", () => {
    const res = bindParameters(runbook, incident({ exported_namespace: "shop" }), {
      config: { path: "infra/openstack-legacy" },
      facts: { "workload.name": "checkout" },
    });
    expect(res).toEqual({
      ok: true,
      values: { namespace: "shop", path: "infra/openstack-legacy", workload: "checkout" },
      bound: {
        namespace: { value: "shop", source: "label:exported_namespace" },
        path: { value: "infra/openstack-legacy", source: "config runbooks.parameters.p.path" },
        workload: { value: "checkout", source: "fact:workload.name" },
      },
    });
  });

  it.each([
    [{ namespace: "../kube-system" }, {}, "namespace", "is not a DNS-1123 label"],
    [{ namespace: "shop", deployment: "x;reboot" }, {}, "workload", "is not a DNS-1123 name"],
    [{ namespace: "shop", deployment: "checkout" }, { path: "../../etc" }, "path", "`..` segments"],
    [{ namespace: "shop", deployment: "checkout" }, { path: "%2e%2e/secrets" }, "path", "percent-encoded"],
    [{ namespace: "shop", deployment: "checkout" }, { path: "/etc" }, "path", "absolute paths"],
    [
      { deployment: "checkout" },
      {},
      "namespace",
      "has no value (tried label:namespace, label:exported_namespace, config)",
    ],
  ])("labels %j, config %j ⇒ parameter %s refused", (labels, config, parameter, message) => {
    const res = bindParameters(runbook, incident(labels), { config, facts: {} });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.parameter).toBe(parameter);
    expect(res.message).toContain(message);
  });
});
