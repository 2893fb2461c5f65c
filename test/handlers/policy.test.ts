import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryAuditSink } from "../../src/adapters/memory/audit-sink.js";
import type { AppDeps } from "../../src/app-deps.js";
import { parseAuditBlock, renderAuditBlock } from "../../src/core/audit/audit-block.js";
import { registerPolicy } from "../../src/handlers/policy.js";
import { manualClock } from "../../src/workflows/ports/clock.js";
import { silentLogger } from "../../src/workflows/ports/logger.js";
import { webhookExample } from "../helpers/events.js";
import { createTestProbot } from "../helpers/probot.js";

const API = "https://api.github.com";
const REPO = "/repos/Codertocat/Hello-World";
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const BASE = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";

const bundled = [
  {
    file: "policies/require-tag.yaml",
    text: `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-tag
spec:
  validationFailureAction: Enforce
  rules:
    - name: image-tag
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "An image tag is required."
        pattern:
          spec:
            containers:
              - image: "*:*"
`,
  },
  {
    file: "policies/require-team.yaml",
    text: `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team
spec:
  validationFailureAction: Audit
  rules:
    - name: team-label
      match:
        any:
          - resources:
              kinds: [Deployment]
      validate:
        message: "label team is required"
        pattern:
          metadata:
            labels:
              team: "?*"
`,
  },
];

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27.2
        - name: sidecar
          image: envoy
`;

const audit = createMemoryAuditSink();
const deps = {
  logger: silentLogger,
  clock: manualClock("2026-11-27T12:00:00Z"),
  audit,
  lock: { withLock: <T>(_k: string, fn: () => Promise<T>) => fn() },
  writeBudget: { acquire: async () => {}, pauseUntil: async () => {} },
} as unknown as AppDeps;

/** The audit block a completed `medic/policy` run of delivery d-1 ends with. */
function policyBlock(o: {
  repo?: string;
  number: number;
  head: string;
  reason: string;
  inputs: Record<string, unknown>;
  outcome: { status: "ok" | "refused" | "skipped"; detail: string };
}) {
  return renderAuditBlock({
    v: 1,
    at: "2026-11-27T12:00:00.000Z",
    actor: { kind: "bot", login: "gitops-medic[bot]" },
    action: "policy.checked",
    reason: o.reason,
    deliveryId: "d-1",
    subject: { kind: "pull_request", repo: o.repo ?? "Codertocat/Hello-World", number: o.number },
    shas: { head: o.head, base: BASE },
    inputs: { baseRef: BASE, ...o.inputs },
    outcome: o.outcome,
  });
}

function contents(text: string) {
  return {
    type: "file",
    encoding: "base64",
    size: text.length,
    content: Buffer.from(text).toString("base64"),
  };
}

function receive(name: string, payload: Record<string, unknown>) {
  const probot = createTestProbot();
  probot.load((app) => registerPolicy(app, deps, { bundled: async () => bundled }));
  return probot.receive({ id: "d-1", name, payload } as never);
}

/** Token, default-branch config (absent here and in the org's .github repo) and repository policies. */
function setup(opts: { config?: string; policies?: Record<string, string> } = {}) {
  const scope = nock(API)
    .get("/app")
    .reply(200, { slug: "gitops-medic" })
    .post("/app/installations/1/access_tokens")
    .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" })
    .get(`${REPO}/contents/.github%2Fmedic.yml`)
    .reply(opts.config ? 200 : 404, opts.config ?? { message: "Not Found" });
  if (!opts.config) {
    scope.get("/repos/Codertocat/.github/contents/.github%2Fmedic.yml").reply(404, { message: "Not Found" });
  }
  return scope;
}

function policiesFolder(scope: nock.Scope, policies: Record<string, string> = {}) {
  const names = Object.keys(policies);
  scope
    .get(`${REPO}/contents/.github%2Fmedic%2Fpolicies`)
    .query({ ref: BASE })
    .reply(
      names.length ? 200 : 404,
      names.length ? names.map((p) => ({ type: "file", path: p })) : { message: "Not Found" },
    );
  for (const [path, text] of Object.entries(policies)) {
    scope
      .get(`${REPO}/contents/${encodeURIComponent(path)}`)
      .query({ ref: BASE })
      .reply(200, contents(text));
  }
}

function inProgress(scope: nock.Scope) {
  scope
    .get(`${REPO}/commits/${HEAD}/check-runs`)
    .query({ check_name: "medic/policy", filter: "latest" })
    .reply(200, { total_count: 0, check_runs: [] })
    .post(`${REPO}/check-runs`, {
      name: "medic/policy",
      head_sha: HEAD,
      status: "in_progress",
      output: {
        title: "Evaluating policies",
        summary: "Evaluating the changed Kubernetes YAML against the policies of the base branch.",
      },
    })
    .reply(201, { id: 77 })
    .get(`${REPO}/commits/${HEAD}/check-runs`)
    .query({ check_name: "medic/policy", filter: "latest" })
    .reply(200, { total_count: 1, check_runs: [{ id: 77, status: "in_progress", app: { id: 1 } }] });
}

describe("medic/policy check run", () => {
  beforeEach(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("annotates the offending lines of the changed YAML and fails on an Enforce finding", async () => {
    const scope = setup();
    policiesFolder(scope);
    inProgress(scope);
    let completed: Record<string, unknown> | undefined;
    scope
      .get(`${REPO}/pulls/2/files`)
      .query({ per_page: 100 })
      .reply(200, [
        { filename: "apps/web/deployment.yaml", status: "modified" },
        { filename: "README.md", status: "modified" },
        { filename: "apps/old.yaml", status: "removed" },
        { filename: ".github/workflows/ci.yaml", status: "added" },
      ])
      .get(`${REPO}/contents/apps%2Fweb%2Fdeployment.yaml`)
      .query({ ref: HEAD })
      .reply(200, contents(deployment))
      .patch(`${REPO}/check-runs/77`, (b) => {
        completed = b;
        return true;
      })
      .reply(200, { id: 77 });
    const payload = webhookExample("pull_request", "opened", (p) => "installation" in p);
    await receive("pull_request", payload);
    expect(scope.isDone()).toBe(true);
    expect(completed).toMatchObject({
      status: "completed",
      conclusion: "failure",
      output: { title: "1 enforced finding, 1 audit finding in 1 file" },
    });
    const output = completed?.output as { summary: string; annotations: unknown[] };
    // The summary ends with the run's audit record, the same one queued for the ledger.
    expect(parseAuditBlock(output.summary)).toEqual({ ok: true, record: audit.records.at(-1) });
    expect(audit.records.at(-1)).toMatchObject({
      action: "policy.checked",
      deliveryId: "d-1",
      inputs: { results: { fail: 2 }, filesChecked: 1 },
      outcome: { status: "refused", detail: "failure" },
    });
    expect(output.annotations).toEqual([
      {
        path: "apps/web/deployment.yaml",
        start_line: 13,
        end_line: 13,
        start_column: 11,
        end_column: 11,
        annotation_level: "failure",
        title: "require-tag/autogen-image-tag (Enforce)",
        message:
          "Deployment shop/web: validation error: An image tag is required. rule autogen-image-tag failed at path /spec/template/spec/containers/1/image/",
      },
      {
        path: "apps/web/deployment.yaml",
        start_line: 3,
        end_line: 3,
        start_column: 1,
        end_column: 1,
        annotation_level: "warning",
        title: "require-team/team-label (Audit)",
        message:
          "Deployment shop/web: validation error: label team is required. rule team-label failed at path /metadata/labels/",
      },
    ]);
    expect(output.summary).toContain(
      "**2** policies on **1** changed YAML file: 0 pass, 2 fail, 0 warn, 0 error, 0 skip.",
    );
    expect(output.summary).toContain(
      "| fail (Enforce) | `require-tag` / `autogen-image-tag` | Deployment shop/web | `apps/web/deployment.yaml:13` |",
    );
  });

  it("sends annotations in batches of 50", async () => {
    const pods = Array.from(
      { length: 60 },
      (_, i) =>
        `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n    - name: a\n      image: nginx\n`,
    ).join("---\n");
    const scope = setup();
    policiesFolder(scope);
    inProgress(scope);
    const patches: { output: { annotations?: { start_line: number }[] }; status?: string }[] = [];
    scope
      .get(`${REPO}/pulls/2/files`)
      .query({ per_page: 100 })
      .reply(200, [{ filename: "pods.yml", status: "added" }])
      .get(`${REPO}/contents/pods.yml`)
      .query({ ref: HEAD })
      .reply(200, contents(pods))
      .patch(`${REPO}/check-runs/77`, (b) => {
        patches.push(b);
        return true;
      })
      .times(2)
      .reply(200, { id: 77 });
    await receive(
      "pull_request",
      webhookExample("pull_request", "opened", (p) => "installation" in p),
    );
    expect(scope.isDone()).toBe(true);
    expect(patches.map((p) => [p.status, p.output.annotations?.length])).toEqual([
      ["completed", 50],
      [undefined, 10],
    ]);
    // Each Pod's image line: document i starts at line 9*i+1 (8 lines and a separator), the image on its 8th line.
    expect(patches[1]!.output.annotations!.map((a) => a.start_line)).toEqual(
      Array.from({ length: 10 }, (_, k) => 9 * (50 + k) + 8),
    );
  });

  it("fails naming the file and field when a repository policy on the base branch is broken", async () => {
    const scope = setup();
    policiesFolder(scope, {
      ".github/medic/policies/bad.yaml": bundled[0]!.text
        .replace("require-tag", "own")
        .replace("kinds: [Pod]", "names: [x]"),
    });
    inProgress(scope);
    let completed: Record<string, unknown> | undefined;
    scope
      .patch(`${REPO}/check-runs/77`, (b) => {
        completed = b;
        return true;
      })
      .reply(200, { id: 77 });
    await receive(
      "pull_request",
      webhookExample("pull_request", "opened", (p) => "installation" in p),
    );
    expect(scope.isDone()).toBe(true);
    expect(completed).toEqual({
      status: "completed",
      conclusion: "failure",
      output: {
        title: "Invalid policy in .github/medic/policies/bad.yaml: field spec.rules[0].match",
        summary:
          "A policy could not be loaded, so no policy was evaluated. Fix it on the base branch.\n\n" +
          "- Invalid policy in .github/medic/policies/bad.yaml: field `spec.rules[0].match` (line 9): match needs resources.kinds\n\n" +
          policyBlock({
            number: 2,
            head: HEAD,
            reason: "Invalid policy in .github/medic/policies/bad.yaml: field spec.rules[0].match",
            inputs: { policyErrors: 1 },
            outcome: { status: "refused", detail: "failure" },
          }),
      },
    });
  });

  it("re-runs on check_run rerequested, finding a fork PR by head SHA; respects policy.enabled", async () => {
    const payload = webhookExample<Record<string, unknown>>("check_run", "rerequested");
    const checkRun = payload.check_run as Record<string, unknown>;
    checkRun.name = "medic/policy";
    const sha = checkRun.head_sha as string;
    const repo = "/repos/github/hello-world";
    const scope = nock(API)
      .get(`${repo}/pulls`)
      .query({ state: "open", per_page: 100 })
      .reply(200, [
        {
          number: 9,
          head: { sha: "0000000000000000000000000000000000000000" },
          base: { ref: "main", sha: BASE },
        },
        { number: 5, head: { sha }, base: { ref: "main", sha: BASE } },
      ])
      .post("/app/installations/1/access_tokens")
      .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" })
      .get("/app")
      .reply(200, { slug: "gitops-medic" })
      .get(`${repo}/contents/.github%2Fmedic.yml`)
      .reply(200, "policy:\n  enabled: false\n")
      .get(`${repo}/commits/${sha}/check-runs`)
      .query({ check_name: "medic/policy", filter: "latest" })
      .reply(200, { total_count: 0, check_runs: [] })
      .post(`${repo}/check-runs`, {
        name: "medic/policy",
        head_sha: sha,
        status: "completed",
        conclusion: "neutral",
        output: {
          title: "Policy checks are turned off",
          summary: `\`policy.enabled\` is false in \`.github/medic.yml\`; no policy was evaluated.\n\n${policyBlock(
            {
              repo: "github/hello-world",
              number: 5,
              head: sha,
              reason: "Policy checks are turned off",
              inputs: {},
              outcome: { status: "skipped", detail: "neutral" },
            },
          )}`,
        },
      })
      .reply(201, { id: 1 });
    await receive("check_run", payload);
    expect(scope.isDone()).toBe(true);
  });

  it("fails naming the field when .github/medic.yml is invalid", async () => {
    const scope = setup({ config: "policy:\n  enabled: maybe\n" });
    scope
      .get(`${REPO}/commits/${HEAD}/check-runs`)
      .query({ check_name: "medic/policy", filter: "latest" })
      .reply(200, { total_count: 0, check_runs: [] })
      .post(`${REPO}/check-runs`, {
        name: "medic/policy",
        head_sha: HEAD,
        status: "completed",
        conclusion: "failure",
        output: {
          title: "Invalid configuration in .github/medic.yml: field policy.enabled",
          summary:
            "Invalid configuration in .github/medic.yml: field `policy.enabled`: Invalid input: expected boolean, received string\n\nNo policy was evaluated.\n\n" +
            policyBlock({
              number: 2,
              head: HEAD,
              reason: "Invalid configuration in .github/medic.yml: field policy.enabled",
              inputs: {},
              outcome: { status: "refused", detail: "failure" },
            }),
        },
      })
      .reply(201, { id: 1 });
    await receive(
      "pull_request",
      webhookExample("pull_request", "opened", (p) => "installation" in p),
    );
    expect(scope.isDone()).toBe(true);
  });

  it("ignores re-runs of other checks", async () => {
    const payload = webhookExample<Record<string, unknown>>("check_run", "rerequested");
    await receive("check_run", payload);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
