import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubGitOpsHistory } from "../../src/adapters/github/gitops-history.js";
import { BlobCache } from "../../src/adapters/github/repo-snapshot.js";
import { loadClusterSnapshot } from "../../src/adapters/local/load-cluster-snapshot.js";
import { bundledRunbooksDir, readRunbookDir } from "../../src/adapters/local/read-runbook-dir.js";
import { parseRemediationMarker } from "../../src/core/approval/remediation-marker.js";
import { loadMedicConfig } from "../../src/core/config/medic-config.js";
import { parseYamlDocument } from "../../src/core/yaml/parse-yaml.js";
import { buildIncidentsFromAlert } from "../../src/workflows/build-incidents-from-alert.js";
import { manualClock } from "../../src/workflows/ports/clock.js";
import { proposeRemediation } from "../../src/workflows/propose-remediation.js";
import { FakeGitHub, readTreeFromDisk } from "../fixtures/github/fake-github.js";
import { TestOctokit } from "../helpers/probot.js";
import { githubDeps } from "./remediation-harness.js";

const root = new URL("../../", import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), "utf8");
const GITOPS = readTreeFromDisk(new URL("examples/gitops", root).pathname);

let gh: FakeGitHub;
beforeEach(() => {
  nock.disableNetConnect();
  gh = new FakeGitHub(GITOPS);
  gh.openIssue(7);
  gh.install();
});
afterEach(() => {
  gh.uninstall();
  nock.enableNetConnect();
});

/**
 * The four blueprint runbooks, each from its example alert and cluster snapshot against `examples/gitops`
 * served by the fake GitHub (tree and blobs built from the directory): each must open its PR with exactly
 * the file edits its runbook test case expects, in one commit.
 */
const CASES = [
  {
    name: "crashloop-rollback",
    alert: "examples/alerts/crashloop-checkout.json",
    cluster: "examples/cluster/crashloop-checkout.yaml",
    now: "2026-11-27T10:00:00Z",
    risk: "safe",
    files: { "apps/checkout/deployment.yaml": ["registry.example.com/shop/checkout:1.4.1"] },
    teams: ["checkout"],
  },
  {
    name: "node-pressure",
    alert: "examples/alerts/node-pressure-worker-2.json",
    cluster: "examples/cluster/node-pressure-worker-2.yaml",
    now: "2026-11-27T12:00:00Z",
    risk: "destructive",
    files: { "infra/openstack/terraform.auto.tfvars.json": ['"worker_count": 4,'] },
    teams: ["security", "platform"],
  },
  {
    name: "pvc-full",
    alert: "examples/alerts/pvc-full-orders-db.json",
    cluster: "examples/cluster/pvc-full-orders-db.yaml",
    now: "2026-11-27T15:05:00Z",
    risk: "safe",
    files: {
      "apps/orders-db/pvc.yaml": ["storage: 75Gi # grown from 20Gi in INC-2104"],
      "apps/orders-db/job-vacuumdb-orders-db-20261127t1505.yaml": [
        "kind: Job",
        "name: vacuumdb-orders-db-20261127t1505",
      ],
    },
    teams: ["data"],
  },
  {
    name: "ingress-5xx",
    alert: "examples/alerts/ingress-5xx-checkout.json",
    cluster: "examples/cluster/ingress-5xx-checkout.yaml",
    now: "2026-11-27T12:00:00Z",
    risk: "safe",
    files: {
      "apps/checkout/hpa.yaml": ["minReplicas: 5"],
      "apps/checkout/ingress.yaml": ['nginx.ingress.kubernetes.io/limit-rps: "20"'],
    },
    teams: ["checkout"],
  },
] as const;

describe("the blueprint runbooks open their PRs against examples/gitops through the GitHub API", () => {
  it.each(CASES)("$name", async (c) => {
    const clock = manualClock(c.now);
    const cfgParsed = parseYamlDocument(GITOPS[".github/medic.yml"]!, ".github/medic.yml");
    if (!cfgParsed.ok) throw new Error("example config does not parse");
    const loaded = loadMedicConfig(cfgParsed.document.value);
    if (!loaded.ok) throw new Error(loaded.message);
    const built = buildIncidentsFromAlert(JSON.parse(read(c.alert)), loaded.config.incidents, clock.now());
    if (!built.ok) throw new Error(built.message);
    const incident = built.incidents[0]!;
    const cluster = loadClusterSnapshot(read(c.cluster), c.cluster);
    if (!cluster.ok) throw new Error(cluster.message);
    const base = githubDeps({}, new BlobCache());

    const registryCache = new Map();
    const proposeDeps = {
      ...base,
      config: loaded.config,
      openDefaultSnapshot: null,
      bundledRunbooks: await readRunbookDir(bundledRunbooksDir(), "bundled", "runbooks"),
      registryCache,
      cluster: cluster.cluster,
      clock,
    };
    const input = {
      incident,
      issue: { number: 7, url: "https://github.com/acme/gitops/issues/7", title: incident.title },
      requester: null,
    };
    const res = await proposeRemediation(proposeDeps, input);
    expect(res).toMatchObject({ kind: "opened" });
    const branch = (res as { branch: string }).branch;
    expect(branch.startsWith(`medic/${c.name}/`)).toBe(true);

    // One tree with exactly the expected files, one commit, ≤ 7 writes.
    const writes = gh.writes();
    expect(writes.length).toBeLessThanOrEqual(7);
    const tree = writes.find((w) => w.path.endsWith("/git/trees"))!.body as {
      tree: { path: string; content: string }[];
    };
    expect(tree.tree.map((t) => t.path).sort()).toEqual(Object.keys(c.files).sort());
    for (const [path, needles] of Object.entries(c.files)) {
      const after = gh.fileAt(branch, path)!;
      for (const n of needles) expect(after).toContain(n);
    }
    expect(writes.filter((w) => w.path.endsWith("/git/commits"))).toHaveLength(1);
    // Only the files the plan touched changed on the branch.
    for (const [path, text] of Object.entries(GITOPS)) {
      if (!(path in c.files)) expect(gh.fileAt(branch, path)).toBe(text);
    }

    const pr = gh.openPulls()[0]!;
    expect(pr.labels).toEqual(["medic", `risk:${c.risk}`, `runbook:${c.name}`, "remediation"]);
    expect(pr.teams).toEqual(c.teams);
    expect(parseRemediationMarker(pr.body)).toMatchObject({
      ok: true,
      marker: { incidentKey: incident.key, runbook: c.name },
    });
    expect(pr.body).toContain(`| Risk | **${c.risk}** |`);
    // Every section a reviewer needs, from the plan the runbook engine made.
    for (const heading of [
      "### Diagnosis evidence",
      "### Changes",
      "### Risk",
      "### Approvals required",
      "### Imperative steps (run only after approval)",
      "### How to undo",
    ]) {
      expect(pr.body).toContain(heading);
    }
    expect(pr.body).toContain("[#7 ");
    expect(pr.body).toMatch(/\| Runbook version \| `[^`]+` \|/);
    for (const path of Object.keys(c.files)) expect(pr.body).toContain(`+++ b/${path}`);
    if (c.name === "node-pressure") {
      expect(pr.body).toMatch(/- `[a-z0-9-]+` `cordon` \(safe\)/);
      expect(pr.body).toMatch(/- `[a-z0-9-]+` `drain` \(destructive\)/);
      expect(pr.body).toContain("security CODEOWNER");
      // The marker declares the imperative steps, so the rollout handler runs them after the merge.
      const marker = parseRemediationMarker(pr.body);
      expect(marker.ok && marker.marker.steps).toEqual([
        { kind: "cordon", target: "node/worker-2" },
        { kind: "drain", target: "node/worker-2" },
      ]);
    } else {
      const marker = parseRemediationMarker(pr.body);
      expect(marker.ok && marker.marker.steps).toBeUndefined();
      expect(pr.body).toContain("_None: merging this PR is the whole remediation._");
    }
    expect(pr.body.length).toBeLessThan(65_000);
    expect(
      gh.comments
        .get(7)!
        .map((x) => x.body)
        .join("\n"),
    ).toContain(`Remediation pull request #${pr.number} is open`);
    // Reads: ref + tree + PR listing + open-PR count, plus one per file read.
    const blobReads = gh.reads().filter((r) => r.path.includes("/git/blobs/")).length;
    expect(gh.reads().length).toBeLessThanOrEqual(3 + blobReads + 1);
    // Triggered again: the same PR, and the runbooks of this default-branch commit are not parsed again.
    const cached = registryCache.get(`acme/gitops@main@${gh.refs.get("main")}`);
    expect(await proposeRemediation(proposeDeps, input)).toMatchObject({
      kind: "unchanged",
      number: pr.number,
    });
    expect(registryCache.size).toBe(1);
    expect(registryCache.get(`acme/gitops@main@${gh.refs.get("main")}`)).toBe(cached);
    expect(gh.openPulls()).toHaveLength(1);
  });
});

describe("crashloop-rollback through the GitHub API: the manifest's git history decides", () => {
  const PATH = "apps/checkout/deployment.yaml";
  const at = (tag: string) =>
    GITOPS[PATH]!.replace(
      "registry.example.com/shop/checkout:1.4.2",
      `registry.example.com/shop/checkout:${tag}`,
    );

  const propose = async (withHistory: boolean) => {
    const clock = manualClock("2026-11-27T10:00:00Z");
    const cfgParsed = parseYamlDocument(GITOPS[".github/medic.yml"]!, ".github/medic.yml");
    if (!cfgParsed.ok) throw new Error("example config does not parse");
    const loaded = loadMedicConfig(cfgParsed.document.value);
    if (!loaded.ok) throw new Error(loaded.message);
    const alert = JSON.parse(read("examples/alerts/crashloop-checkout.json"));
    const built = buildIncidentsFromAlert(alert, loaded.config.incidents, clock.now());
    if (!built.ok) throw new Error(built.message);
    const incident = built.incidents[0]!;
    const octokit = new TestOctokit({ auth: "ghs_test" } as never);
    return proposeRemediation(
      {
        ...githubDeps({}, new BlobCache()),
        config: loaded.config,
        openDefaultSnapshot: null,
        bundledRunbooks: await readRunbookDir(bundledRunbooksDir(), "bundled", "runbooks"),
        // No cluster: no pod state, no ReplicaSet revisions, no Argo CD status.history.
        cluster: null,
        ...(withHistory
          ? {
              openHistory: (revision: string) =>
                createGitHubGitOpsHistory(octokit, { owner: "acme", repo: "gitops" }, { ref: revision }),
            }
          : {}),
        clock,
      },
      {
        incident,
        issue: { number: 7, url: "https://github.com/acme/gitops/issues/7", title: incident.title },
        requester: null,
      },
    );
  };

  it("1.4.0 → 1.4.1 → 1.4.2 deployed through commits: the PR sets 1.4.1, read at the commit that had it", async () => {
    gh.pushAsHuman("main", { [PATH]: at("1.4.0") });
    const good = gh.pushAsHuman("main", { [PATH]: at("1.4.1") });
    const bad = gh.pushAsHuman("main", { [PATH]: at("1.4.2") });
    gh.pushAsHuman("main", { "apps/checkout/README.md": "unrelated\n" });
    const head = gh.refs.get("main")!;

    const res = await propose(true);
    expect(res).toMatchObject({ kind: "opened" });
    const branch = (res as { branch: string }).branch;
    expect(gh.fileAt(branch, PATH)).toBe(at("1.4.1"));
    // History at the commit the plan read, for that one file; each version read at its own commit.
    const listing = gh.reads().filter((r) => r.path === "/repos/acme/gitops/commits");
    expect(listing.map((r) => r.query)).toEqual([{ path: PATH, sha: head, per_page: "20", page: "1" }]);
    const versions = gh
      .reads()
      .filter((r) => r.path === `/repos/acme/gitops/contents/${PATH}`)
      .map((r) => r.query["ref"]);
    expect(versions.slice(0, 2)).toEqual([bad, good]);
    const pr = gh.openPulls()[0]!;
    expect(pr.body).toContain(`git history of ${PATH}: commit ${good.slice(0, 12)}`);
  });

  it("the same repository without a history reader: no earlier image is known, so no PR", async () => {
    gh.pushAsHuman("main", { [PATH]: at("1.4.1") });
    gh.pushAsHuman("main", { [PATH]: at("1.4.2") });
    const res = await propose(false);
    expect(res).not.toMatchObject({ kind: "opened" });
    expect(gh.openPulls()).toHaveLength(0);
    expect(gh.reads().some((r) => r.path.endsWith("/commits"))).toBe(false);
  });
});
