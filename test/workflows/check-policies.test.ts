import { describe, expect, it } from "vitest";
import { createMemoryAuditSink } from "../../src/adapters/memory/audit-sink.js";
import { parseAuditBlock } from "../../src/core/audit/audit-block.js";
import { loadMedicConfig } from "../../src/core/config/medic-config.js";
import { checkPolicies } from "../../src/workflows/check-policies.js";
import type { CheckRunInput, Checks } from "../../src/workflows/ports/checks.js";
import { silentLogger } from "../../src/workflows/ports/logger.js";
import type { PullRequestFile, PullRequestFiles } from "../../src/workflows/ports/pull-request-files.js";

const tagPolicy = (name: string, action: "Enforce" | "Audit") => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: ${name}
spec:
  validationFailureAction: ${action}
  rules:
    - name: image-tag
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "tag required"
        pattern:
          spec:
            containers:
              - image: "*:*"
`;

const pod = (image: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: ${image}\n`;

/** Struct fakes: files per revision, and every check-run write recorded. */
function fakes(revisions: Record<string, Record<string, string>>, changed: PullRequestFile[]) {
  const reads: string[] = [];
  const files: PullRequestFiles = {
    async listChangedFiles() {
      return { files: changed, truncated: false };
    },
    async readFile(ref, path) {
      reads.push(`${ref}:${path}`);
      return revisions[ref]?.[path] ?? null;
    },
    async listFiles(ref, folder) {
      return Object.keys(revisions[ref] ?? {}).filter((p) => p.startsWith(`${folder}/`));
    },
  };
  const runs: CheckRunInput[] = [];
  const checks: Checks = {
    async createOrUpdate(run) {
      runs.push(run);
      return { id: 1 };
    },
  };
  const audit = createMemoryAuditSink();
  const clock = { now: () => Date.parse("2026-11-27T12:00:00Z") };
  return { ports: { files, checks, logger: silentLogger, audit, clock }, runs, reads, audit };
}

const input = (
  config: unknown,
  bundled = [{ file: "policies/tag.yaml", text: tagPolicy("tag", "Enforce") }],
) => ({
  pullNumber: 1,
  headSha: "head",
  baseRef: "base",
  config: loadMedicConfig(config),
  bundled,
  repo: "o/r",
  botLogin: "gitops-medic[bot]",
  deliveryId: "d-9",
});

describe("checkPolicies", () => {
  it.each([
    ["success when every rule passes", pod("nginx:1.2"), "Enforce", "success"],
    ["failure on an Enforce finding", pod("nginx"), "Enforce", "failure"],
    ["neutral when only Audit findings", pod("nginx"), "Audit", "neutral"],
    ["failure on invalid YAML", "a: [", "Enforce", "failure"],
  ] as const)("%s", async (_n, text, action, conclusion) => {
    const f = fakes({ head: { "k8s/pod.yaml": text } }, [{ path: "k8s/pod.yaml", status: "added" }]);
    const out = await checkPolicies(
      f.ports,
      input(null, [{ file: "policies/tag.yaml", text: tagPolicy("tag", action) }]),
    );
    expect(out.conclusion).toBe(conclusion);
    expect(f.runs.map((r) => r.status)).toEqual(["in_progress", "completed"]);
    expect(f.runs[1]!.conclusion).toBe(conclusion);
    // One record per completed run, the same one as the hidden block that ends the summary.
    expect(f.audit.records).toHaveLength(1);
    expect(parseAuditBlock(f.runs[1]!.summary)).toEqual({ ok: true, record: f.audit.records[0] });
    expect(f.audit.records[0]).toMatchObject({
      action: "policy.checked",
      reason: out.title,
      outcome: { detail: conclusion },
    });
  });

  it("the record of a failing run: who, when, why, delivery, inputs, findings, outcome", async () => {
    const f = fakes({ head: { "k8s/pod.yaml": pod("nginx") } }, [{ path: "k8s/pod.yaml", status: "added" }]);
    const out = await checkPolicies(f.ports, input(null));
    expect(f.audit.records).toEqual([
      {
        v: 1,
        at: "2026-11-27T12:00:00.000Z",
        actor: { kind: "bot", login: "gitops-medic[bot]" },
        action: "policy.checked",
        reason: out.title,
        deliveryId: "d-9",
        subject: { kind: "pull_request", repo: "o/r", number: 1 },
        // "head"/"base" are not commit SHAs here, so they stay out of `shas`.
        shas: {},
        inputs: {
          baseRef: "base",
          policies: 1,
          filesChecked: 1,
          filesSkipped: [],
          yamlErrors: 0,
          results: { fail: 1 },
          findings: [
            {
              policy: "tag",
              rule: "image-tag",
              result: "fail",
              action: "Enforce",
              file: "k8s/pod.yaml",
              line: 8,
            },
          ],
        },
        outcome: { status: "refused", detail: "failure" },
      },
    ]);
  });

  it("a broken configuration is recorded too, with nothing evaluated", async () => {
    const f = fakes({}, []);
    await checkPolicies(f.ports, input({ policy: { enabled: "yes" } }));
    expect(f.audit.records).toEqual([
      expect.objectContaining({
        action: "policy.checked",
        reason: "Invalid configuration in .github/medic.yml: field policy.enabled",
        inputs: { baseRef: "base" },
        outcome: { status: "refused", detail: "failure" },
      }),
    ]);
    expect(parseAuditBlock(f.runs[0]!.summary)).toEqual({ ok: true, record: f.audit.records[0] });
  });

  it("reads repository policies from the base and manifests from the head, never the other way", async () => {
    const f = fakes(
      {
        base: { ".github/medic/policies/own.yaml": tagPolicy("own", "Enforce") },
        // A PR that adds a permissive policy of its own must not change the rules it is judged by.
        head: { "k8s/pod.yaml": pod("nginx"), ".github/medic/policies/own.yaml": "not: a policy" },
      },
      [
        { path: "k8s/pod.yaml", status: "modified" },
        { path: ".github/medic/policies/own.yaml", status: "modified" },
      ],
    );
    const out = await checkPolicies(f.ports, input(null, []));
    expect(out.conclusion).toBe("failure");
    expect(f.reads).toEqual(["base:.github/medic/policies/own.yaml", "head:k8s/pod.yaml"]);
    expect(f.runs[1]!.annotations?.map((a) => [a.path, a.startLine, a.title])).toEqual([
      ["k8s/pod.yaml", 8, "own/image-tag (Enforce)"],
    ]);
  });

  it("applies include/exclude globs and disabledPolicies", async () => {
    const f = fakes({ head: { "docs/x.yaml": pod("nginx"), "k8s/a.yml": pod("nginx") } }, [
      { path: "docs/x.yaml", status: "added" },
      { path: "k8s/a.yml", status: "added" },
    ]);
    const out = await checkPolicies(
      f.ports,
      input({ policy: { exclude: ["docs/**"], disabledPolicies: ["tag"] } }),
    );
    expect(out).toEqual({ conclusion: "success", title: "All policies pass (0 evaluations in 1 file)" });
    expect(f.reads).toEqual(["head:k8s/a.yml"]);
    expect(f.runs[1]!.summary).toContain("- tag: off (policy.disabledPolicies)");
  });

  it("says so when no Kubernetes YAML changed", async () => {
    const f = fakes({}, [{ path: "README.md", status: "modified" }]);
    expect(await checkPolicies(f.ports, input(null))).toEqual({
      conclusion: "success",
      title: "No Kubernetes YAML changed",
    });
  });
});
