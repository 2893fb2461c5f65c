import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { BlobCache } from "../../src/adapters/github/repo-snapshot.js";
import { loadClusterSnapshot } from "../../src/adapters/local/load-cluster-snapshot.js";
import { bundledRunbooksDir, readRunbookDir } from "../../src/adapters/local/read-runbook-dir.js";
import { loadMedicConfig } from "../../src/core/config/medic-config.js";
import { addQuarantineEntries } from "../../src/core/rollout/quarantine.js";
import { parseYamlDocument } from "../../src/core/yaml/parse-yaml.js";
import { buildIncidentsFromAlert } from "../../src/workflows/build-incidents-from-alert.js";
import { manualClock } from "../../src/workflows/ports/clock.js";
import { proposeRemediation } from "../../src/workflows/propose-remediation.js";
import { FakeGitHub, readTreeFromDisk } from "../fixtures/github/fake-github.js";
import { githubDeps } from "./remediation-harness.js";

const root = new URL("../../", import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), "utf8");
const GITOPS = readTreeFromDisk(new URL("examples/gitops", root).pathname);

let gh: FakeGitHub | undefined;
afterEach(() => {
  gh?.uninstall();
  nock.enableNetConnect();
});

/** The crash-loop rollback of examples/gitops, with a quarantine file on the default branch. */
async function propose(quarantine: string) {
  nock.disableNetConnect();
  gh = new FakeGitHub({ ...GITOPS, ".github/medic/quarantine.yml": quarantine });
  gh.openIssue(7);
  gh.install();
  const clock = manualClock("2026-11-27T10:00:00Z");
  const cfg = parseYamlDocument(GITOPS[".github/medic.yml"]!, ".github/medic.yml");
  if (!cfg.ok) throw new Error("example config does not parse");
  const loaded = loadMedicConfig(cfg.document.value);
  if (!loaded.ok) throw new Error(loaded.message);
  const built = buildIncidentsFromAlert(
    JSON.parse(read("examples/alerts/crashloop-checkout.json")),
    loaded.config.incidents,
    clock.now(),
  );
  if (!built.ok) throw new Error(built.message);
  const incident = built.incidents[0]!;
  const cluster = loadClusterSnapshot(
    read("examples/cluster/crashloop-checkout.yaml"),
    "crashloop-checkout.yaml",
  );
  if (!cluster.ok) throw new Error(cluster.message);
  return proposeRemediation(
    {
      ...githubDeps({}, new BlobCache()),
      config: loaded.config,
      openDefaultSnapshot: null,
      bundledRunbooks: await readRunbookDir(bundledRunbooksDir(), "bundled", "runbooks"),
      registryCache: new Map(),
      cluster: cluster.cluster,
      clock,
    },
    {
      incident,
      issue: { number: 7, url: "https://github.com/acme/gitops/issues/7", title: incident.title },
      requester: null,
    },
  );
}

describe("quarantined images are never rolled forward to", () => {
  it("a rollback skips the image a reverted rollout quarantined", async () => {
    const q = addQuarantineEntries(null, [
      {
        image: "registry.example.com/shop/checkout:1.4.1",
        revision: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
        application: "argocd/checkout",
        at: "2026-11-26T00:00:00Z",
        reason: "Degraded",
      },
    ]);
    if (!q.ok) throw new Error(q.message);
    const res = await propose(q.text);
    // Without the quarantine the runbook picks 1.4.1 (see propose-remediation.test.ts); now it must not.
    if (res.kind === "opened") {
      const after = gh!.fileAt(res.branch, "apps/checkout/deployment.yaml")!;
      expect(after).not.toContain("checkout:1.4.1");
      expect(after).toMatch(/checkout:1\.\d+\.\d+/);
    } else {
      expect(res.kind).toBe("no-plan");
      expect((res as { message: string }).message).toMatch(/nothing to roll back to|no earlier image/);
    }
  });

  it("a broken quarantine file stops planning with the file and field named (fail closed)", async () => {
    const res = await propose("entries: 3\n");
    expect(res).toMatchObject({ kind: "no-plan" });
    expect((res as { message: string }).message).toBe(
      ".github/medic/quarantine.yml: field entries: Invalid input: expected array, received number",
    );
  });
});
