import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMedic } from "./run-medic.js";

const root = new URL("../../", import.meta.url).pathname;
const sim = (...extra: string[]) =>
  runMedic(["simulate", "--repo", "examples/gitops", "--now", "2026-11-27T15:05:00Z", ...extra], root);

describe("medic simulate", () => {
  it("--format json prints one object per incident with the documented shape", async () => {
    const r = await sim(
      "--alert",
      "examples/alerts/pvc-full-orders-db.json",
      "--cluster",
      "examples/cluster/pvc-full-orders-db.yaml",
      "--format",
      "json",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, any>[];
    expect(out).toHaveLength(1);
    const o = out[0]!;
    expect(Object.keys(o).sort()).toEqual(
      [
        "approvals",
        "baseRevision",
        "changes",
        "cluster",
        "evidence",
        "failure",
        "incident",
        "parameters",
        "planHash",
        "policy",
        "reason",
        "risk",
        "runbook",
        "status",
        "steps",
        "suggestions",
        "target",
        "undo",
      ].sort(),
    );
    expect(o.incident).toMatchObject({ severity: "critical", status: "firing" });
    expect(o.incident.signals[0]).toMatchObject({
      name: "KubePersistentVolumeFillingUp",
      fingerprint: "5f0c8a1e93b7d264",
    });
    expect(o.runbook).toEqual({
      id: "pvc-full",
      version: "1.0.0",
      file: "runbooks/pvc-full.yaml",
      origin: "bundled",
    });
    expect(o.status).toBe("planned");
    expect(o.risk).toEqual({
      level: "safe",
      reasons: ["2 file change(s); no step or change is destructive (runbook pvc-full is declared safe)"],
    });
    expect(o.changes.map((c: { path: string }) => c.path)).toEqual([
      "apps/orders-db/pvc.yaml",
      "apps/orders-db/job-vacuumdb-orders-db-20261127t1505.yaml",
    ]);
    const pvc = o.changes[0];
    expect(pvc.before).toBe(readFileSync(join(root, "examples/gitops/apps/orders-db/pvc.yaml"), "utf8"));
    expect(pvc.after).toBe(pvc.before.replace("storage: 50Gi # grown", "storage: 75Gi # grown"));
    expect(pvc.diff).toContain(
      "-      storage: 50Gi # grown from 20Gi in INC-2104\n+      storage: 75Gi # grown from 20Gi in INC-2104\n",
    );
    expect(o.changes[1].before).toBeNull();
    expect(o.steps).toEqual([]);
    expect(o.approvals).toEqual({
      securityApproval: false,
      count: 0,
      beforeImperativeSteps: false,
      reasons: ["safe: normal review applies"],
    });
    expect(o.planHash).toMatch(/^[0-9a-f]{64}$/);
    // Policy results on the new text of the changed files: the vacuumdb Job's image is a tag (Audit).
    expect(o.policy.conclusion).toBe("neutral");
    expect(o.policy.files).toEqual(o.changes.map((c: { path: string }) => c.path));
    const findings = o.policy.results.filter((x: { result: string }) => x.result !== "pass");
    expect(findings).toEqual([
      {
        policy: "require-image-digest",
        rule: "autogen-require-image-digest",
        resource: {
          apiVersion: "batch/v1",
          kind: "Job",
          namespace: "data",
          name: "vacuumdb-orders-db-20261127t1505",
        },
        file: "apps/orders-db/job-vacuumdb-orders-db-20261127t1505.yaml",
        line: 32,
        result: "fail",
        message:
          "validation error: Images must be referenced by digest (image@sha256:...). rule autogen-require-image-digest failed at path /spec/template/spec/containers/0/image/",
        action: "Audit",
      },
    ]);
    expect(o.policy.summary).toEqual({
      pass: o.policy.results.length - 1,
      fail: 1,
      warn: 0,
      skip: 0,
      error: 0,
    });
  });

  it("policy results have the items of medic policy check --format json on the same files", async () => {
    const r = await sim(
      "--alert",
      "examples/alerts/crashloop-checkout.json",
      "--cluster",
      "examples/cluster/crashloop-checkout.yaml",
      "--format",
      "json",
    );
    expect(r.code).toBe(0);
    const [o] = JSON.parse(r.stdout) as Record<string, any>[];
    const dir = mkdtempSync(join(tmpdir(), "medic-sim-policy-"));
    try {
      for (const c of o!.changes as { path: string; after: string }[]) {
        mkdirSync(join(dir, dirname(c.path)), { recursive: true });
        writeFileSync(join(dir, c.path), c.after);
      }
      const check = await runMedic(
        [
          "policy",
          "check",
          "--format",
          "json",
          "--config",
          join(root, "examples/gitops/.github/medic.yml"),
          ...o!.changes.map((c: { path: string }) => c.path),
        ],
        dir,
      );
      expect(check.code).toBe(0);
      const expected = JSON.parse(check.stdout) as { results: unknown[]; summary: unknown };
      expect(expected.results.length).toBeGreaterThan(0);
      expect(o!.policy.results.map(({ action: _a, ...rest }: Record<string, unknown>) => rest)).toEqual(
        expected.results,
      );
      expect(o!.policy.summary).toEqual(expected.summary);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("text output tells the story: incident, workload, runbook, diff, risk and approvals", async () => {
    const r = await sim(
      "--alert",
      "examples/alerts/node-pressure-worker-2.json",
      "--cluster",
      "examples/cluster/node-pressure-worker-2.yaml",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("incident KubeNodePressure/worker-2 [info, firing]");
    expect(r.stdout).toContain("runbook:   node-pressure 1.0.0");
    expect(r.stdout).toContain("risk:      destructive");
    expect(r.stdout).toContain("approvals: 1 security CODEOWNER approval(s) at the head SHA");
    expect(r.stdout).toContain("drain [destructive]: evict the pods of node worker-2");
    expect(r.stdout).toContain('-  "worker_count": 3,\n  +  "worker_count": 4,');
    expect(r.stdout).toContain("  policy: no changed file is a policy-checked YAML file (10 policies)");
  });

  it("a plan that fails exits 1 and names the field", async () => {
    const r = await sim("--alert", "examples/alerts/ingress-5xx-aggregate.json", "--format", "json");
    expect(r.code).toBe(1);
    const [o] = JSON.parse(r.stdout) as Record<string, any>[];
    expect(o).toMatchObject({
      status: "failed",
      runbook: { id: "ingress-5xx", version: "1.0.0" },
      failure: { kind: "parameter", field: "parameters.namespace" },
      changes: [],
      risk: null,
      approvals: null,
    });
  });

  it("an alert no runbook handles: reason and exit 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "medic-sim-"));
    try {
      const alert = JSON.parse(
        readFileSync(join(root, "examples/alerts/node-pressure-worker-2.json"), "utf8"),
      );
      alert.alerts[0].labels.alertname = "Watchdog";
      writeFileSync(join(dir, "watchdog.json"), JSON.stringify(alert));
      const r = await sim("--alert", join(dir, "watchdog.json"));
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        "no runbook: no runbook matches Watchdog; no runbook handles alert Watchdog",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a notification with two alerts of different targets gives two incidents, each decided", async () => {
    const dir = mkdtempSync(join(tmpdir(), "medic-sim2-"));
    try {
      const a = JSON.parse(readFileSync(join(root, "examples/alerts/pvc-full-orders-db.json"), "utf8"));
      const b = JSON.parse(readFileSync(join(root, "examples/alerts/pvc-full-archive.json"), "utf8"));
      a.alerts.push(b.alerts[0]);
      delete a.alerts[0].labels.node;
      delete a.alerts[1].labels.node;
      writeFileSync(join(dir, "two.json"), JSON.stringify(a));
      const r = await sim("--alert", join(dir, "two.json"), "--format", "json");
      const out = JSON.parse(r.stdout) as { incident: { key: string }; status: string; reason: string }[];
      expect(out.map((o) => [o.incident.key, o.status])).toEqual([
        ["KubePersistentVolumeFillingUp/data/pgdata-orders-db", "planned"],
        ["KubePersistentVolumeFillingUp/data/orders-db-archive", "failed"],
      ]);
      // Without a cluster the storage class comes from the repository: cinder-hdd cannot grow.
      expect(out[1]?.reason).toContain("cinder-hdd does not allow volume expansion");
      expect(r.code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      ["--alert", "examples/alerts/nope.json"],
      "medic simulate: --alert examples/alerts/nope.json: no such file",
    ],
    [
      ["--alert", "runbooks/pvc-full.yaml"],
      "medic simulate: runbooks/pvc-full.yaml: field `version`: Invalid input",
    ],
    [
      [
        "--alert",
        "examples/alerts/pvc-full-orders-db.json",
        "--cluster",
        "runbooks/tests/fixtures/medic-ingress-default.yml",
      ],
      "expected a Kubernetes object",
    ],
    [
      ["--alert", "examples/alerts/pvc-full-orders-db.json", "--config", "runbooks/pvc-full.yaml"],
      'field `id`: unknown field "id"',
    ],
    [
      ["--alert", "examples/alerts/pvc-full-orders-db.json", "--format", "xml"],
      "--format must be text or json",
    ],
    [["--alert", "examples/alerts/pvc-full-orders-db.json", "--bogus"], "Unknown option '--bogus'"],
  ])("bad input %j ⇒ exit 2 and a message naming it", async (args, message) => {
    const r = await sim(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });

  it("--runbook with an unknown id lists the known runbooks", async () => {
    const r = await sim("--alert", "examples/alerts/pvc-full-orders-db.json", "--runbook", "nope");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'unknown runbook "nope"; known runbooks: crashloop-rollback, ingress-5xx, node-pressure, pvc-full',
    );
  });
});

describe("medic simulate --apply", () => {
  const dir = mkdtempSync(join(tmpdir(), "medic-apply-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@e",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@e",
      },
    })
      .toString()
      .trim();

  it("commits the plan to a new branch medic/<runbook>/<incident>-<hash> and leaves main checked out", async () => {
    cpSync(join(root, "examples/gitops"), dir, { recursive: true });
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-q", "-m", "init");
    const head = git("rev-parse", "HEAD");
    const r = await runMedic(
      [
        "simulate",
        "--repo",
        dir,
        "--alert",
        join(root, "examples/alerts/ingress-5xx-checkout.json"),
        "--apply",
        "--format",
        "json",
      ],
      root,
    );
    expect(r.code).toBe(0);
    const [o] = JSON.parse(r.stdout) as Record<string, any>[];
    const branch = `medic/ingress-5xx/ingresshigh5xxrate-shop-checkout-${String(o?.planHash).slice(0, 8)}`;
    expect(r.stderr).toMatch(
      new RegExp(`^medic simulate: committed 2 change\\(s\\) to branch ${branch} \\([0-9a-f]{12}\\)\\n$`),
    );
    expect(git("rev-parse", "HEAD")).toBe(head);
    expect(git("status", "--porcelain")).toBe("");
    expect(git("diff", "--name-only", "main", branch).split("\n")).toEqual([
      "apps/checkout/hpa.yaml",
      "apps/checkout/ingress.yaml",
    ]);
    expect(git("log", "-1", "--format=%s", branch)).toBe(
      "fix(ingress-5xx): remediate IngressHigh5xxRate/shop/checkout",
    );
    const again = await runMedic(
      [
        "simulate",
        "--repo",
        dir,
        "--alert",
        join(root, "examples/alerts/ingress-5xx-checkout.json"),
        "--apply",
      ],
      root,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`branch ${branch} already exists`);
  });
});

describe("medic simulate: repository policies come from the default branch", () => {
  const dir = mkdtempSync(join(tmpdir(), "medic-sim-policies-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@e",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@e",
      },
    })
      .toString()
      .trim();
  const policy = (name: string, pattern: string, message: string) => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: ${name}
spec:
  validationFailureAction: Enforce
  rules:
    - name: check-image
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "${message}"
        pattern:
          spec:
            containers:
              - image: "${pattern}"
`;

  it("an Enforce finding of a committed repository policy is shown, the exit code stays 0; uncommitted policies do not count", async () => {
    cpSync(join(root, "examples/gitops"), dir, { recursive: true });
    mkdirSync(join(dir, ".github/medic/policies"), { recursive: true });
    writeFileSync(
      join(dir, ".github/medic/policies/ban-checkout-141.yaml"),
      policy("ban-checkout-141", "!*:1.4.1", "checkout 1.4.1 leaks connections"),
    );
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-q", "-m", "init");
    // On disk only: not on the default branch, so it does not exist for the check.
    writeFileSync(
      join(dir, ".github/medic/policies/ban-all.yaml"),
      policy("ban-all", "nothing.example/*", "uncommitted"),
    );
    const args = [
      "simulate",
      "--repo",
      dir,
      "--alert",
      join(root, "examples/alerts/crashloop-checkout.json"),
      "--cluster",
      join(root, "examples/cluster/crashloop-checkout.yaml"),
      "--now",
      "2026-11-27T15:05:00Z",
    ];
    const text = await runMedic(args, root);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      "  policy: 1 enforced finding, 1 audit finding in 1 file — the PR's medic/policy check would conclude failure\n",
    );
    expect(text.stdout).toContain(
      "    FAIL (Enforce) ban-checkout-141/autogen-check-image apps/checkout/deployment.yaml:47: validation error: checkout 1.4.1 leaks connections. rule autogen-check-image failed at path /spec/template/spec/containers/0/image/\n",
    );
    expect(text.stdout).not.toContain("ban-all");

    const json = await runMedic([...args, "--format", "json"], root);
    expect(json.code).toBe(0);
    const [o] = JSON.parse(json.stdout) as Record<string, any>[];
    expect(o!.policy.conclusion).toBe("failure");
    expect(
      o!.policy.results
        .filter((x: { result: string }) => x.result === "fail")
        .map((x: Record<string, string>) => `${x["policy"]} ${x["action"]}`),
    ).toEqual(["require-image-digest Audit", "ban-checkout-141 Enforce"]);
  });
});
