import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitHubGitOpsHistory, HistoryCache } from "../../../src/adapters/github/gitops-history.js";
import { bundledRunbooksDir, readRunbookDir } from "../../../src/adapters/local/read-runbook-dir.js";
import { loadMedicConfig } from "../../../src/core/config/medic-config.js";
import { buildIncidentsFromAlert } from "../../../src/workflows/build-incidents-from-alert.js";
import { loadRunbookRegistry } from "../../../src/workflows/load-runbook-registry.js";
import { planRemediation } from "../../../src/workflows/plan-remediation.js";
import { manualClock } from "../../../src/workflows/ports/clock.js";
import type { GitOpsRepo } from "../../../src/workflows/ports/gitops-repo.js";
import { silentLogger } from "../../../src/workflows/ports/logger.js";
import { TestOctokit } from "../../helpers/probot.js";

const API = "https://api.github.com";
const R = "/repos/acme/gitops";
const PATH = "apps/checkout/deployment.yaml";
const sha = (c: string) => c.repeat(40);
const b64 = (t: string) => Buffer.from(t).toString("base64");
const HEAD = sha("a");
const octokit = () => new TestOctokit({ auth: "t" } as never);
const history = (opts: Partial<Parameters<typeof createGitHubGitOpsHistory>[2]> = {}) =>
  createGitHubGitOpsHistory(octokit(), { owner: "acme", repo: "gitops" }, { ref: HEAD, ...opts });

/** A commit of GitHub's list-commits response (the fields the adapter reads, plus a few it ignores). */
const commit = (s: string, date: string, message: string) => ({
  sha: s,
  node_id: "C_x",
  html_url: `https://github.com/acme/gitops/commit/${s}`,
  commit: {
    author: { name: "a", email: "a@e", date },
    committer: { name: "c", email: "c@e", date },
    message,
  },
  parents: [],
});
/** A file of GitHub's get-contents response. */
const file = (path: string, text: string) => ({
  type: "file",
  encoding: "base64",
  size: Buffer.byteLength(text),
  name: path.split("/").pop(),
  path,
  sha: sha("f"),
  content: b64(text),
});

const manifest = (tag: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
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
          image: registry.example.com/shop/checkout:${tag} # set by CI
`;

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("createGitHubGitOpsHistory", () => {
  it("lists the file's commits at the ref, reads each version at its commit, then serves both from the cache", async () => {
    const scope = nock(API)
      .get(`${R}/commits`)
      .query({ path: PATH, sha: HEAD, per_page: "3", page: "1" })
      .reply(200, [
        commit(sha("3"), "2026-11-27T09:30:00Z", "deploy checkout 1.4.2\n\nCI run 991"),
        commit(sha("2"), "2026-11-20T10:00:00Z", "remove checkout for a day"),
        commit(sha("1"), "2026-11-12T14:00:00Z", "deploy checkout 1.4.1"),
      ])
      .get(`${R}/contents/apps/checkout/deployment.yaml`)
      .query({ ref: sha("3") })
      .reply(200, file(PATH, manifest("1.4.2")))
      .get(`${R}/contents/apps/checkout/deployment.yaml`)
      .query({ ref: sha("2") })
      .reply(404, { message: "Not Found" })
      .get(`${R}/contents/apps/checkout/deployment.yaml`)
      .query({ ref: sha("1") })
      .reply(200, file(PATH, manifest("1.4.1")));
    const cache = new HistoryCache();
    const h = history({ cache });
    const expected = [
      {
        revision: sha("3"),
        date: "2026-11-27T09:30:00Z",
        subject: "deploy checkout 1.4.2",
        text: manifest("1.4.2"),
      },
      { revision: sha("2"), date: "2026-11-20T10:00:00Z", subject: "remove checkout for a day", text: null },
      {
        revision: sha("1"),
        date: "2026-11-12T14:00:00Z",
        subject: "deploy checkout 1.4.1",
        text: manifest("1.4.1"),
      },
    ];
    expect(await h.fileHistory(PATH, 3)).toEqual(expected);
    expect(scope.isDone()).toBe(true);
    expect(h.requests()).toBe(4);
    // Same commit, same path: a second object sharing the cache makes no request (nock would refuse one).
    const again = history({ cache });
    expect(await again.fileHistory(PATH, 3)).toEqual(expected);
    expect(await again.readFileAt(sha("1"), PATH)).toBe(manifest("1.4.1"));
    expect(again.requests()).toBe(0);
  });

  it("pages at most up to maxCommits, however many the caller asks for", async () => {
    const many = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) =>
        commit((from + i).toString(16).padStart(40, "0"), "2026-11-01T00:00:00Z", `c${from + i}`),
      );
    const scope = nock(API)
      .get(`${R}/commits`)
      .query({ path: PATH, sha: HEAD, per_page: "100", page: "1" })
      .reply(200, many(1, 100))
      .get(`${R}/commits`)
      .query({ path: PATH, sha: HEAD, per_page: "100", page: "2" })
      .reply(200, many(101, 100));
    // maxBytes 0: no text is read, so the walk stops at the first version; only the listing is asked.
    const h = history({ maxCommits: 120, maxBytes: 0 });
    expect(await h.fileHistory(PATH, 5000)).toEqual([]);
    expect(scope.isDone()).toBe(true);
    expect(h.requests()).toBe(2);
  });

  it("a short last page ends the listing; the default bound asks for no more than the caller's limit", async () => {
    const scope = nock(API)
      .get(`${R}/commits`)
      .query({ path: PATH, sha: HEAD, per_page: "20", page: "1" })
      .reply(200, [commit(sha("1"), "2026-11-12T14:00:00Z", "only commit")])
      .get(`${R}/contents/apps/checkout/deployment.yaml`)
      .query({ ref: sha("1") })
      .reply(200, file(PATH, manifest("1.4.1")));
    expect((await history().fileHistory(PATH, 20)).map((v) => v.subject)).toEqual(["only commit"]);
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    ["the byte budget runs out", { maxBytes: 10 }, [file(PATH, manifest("1.4.2"))], 1],
    [
      "a version is over 1 MB (the contents API sends no content)",
      {},
      [{ type: "file", encoding: "none", size: 2_000_000, content: "", path: PATH }],
      0,
    ],
  ])(
    "stops the walk when %s: versions whose text is unknown are not returned",
    async (_n, opts, bodies, kept) => {
      const scope = nock(API)
        .get(`${R}/commits`)
        .query({ path: PATH, sha: HEAD, per_page: "2", page: "1" })
        .reply(200, [
          commit(sha("2"), "2026-11-20T00:00:00Z", "new"),
          commit(sha("1"), "2026-11-10T00:00:00Z", "old"),
        ])
        .get(`${R}/contents/apps/checkout/deployment.yaml`)
        .query({ ref: sha("2") })
        .reply(200, bodies[0]);
      const h = history(opts);
      const versions = await h.fileHistory(PATH, 2);
      expect(versions.map((v) => v.revision)).toEqual([sha("2")].slice(0, kept));
      expect(scope.isDone()).toBe(true);
    },
  );

  it("readFileAt: an unknown revision or a folder is null; option-like or traversing input never reaches GitHub", async () => {
    const scope = nock(API)
      .get(`${R}/contents/apps/checkout/deployment.yaml`)
      .query({ ref: "v9.9.9" })
      .reply(404, { message: "No commit found for the ref v9.9.9" })
      .get(`${R}/contents/apps/checkout`)
      .query({ ref: sha("1") })
      .reply(200, [{ type: "file", name: "deployment.yaml", path: PATH }]);
    const h = history();
    expect(await h.readFileAt("v9.9.9", PATH)).toBeNull();
    expect(await h.readFileAt(sha("1"), "apps/checkout")).toBeNull();
    expect(await h.readFileAt("--upload-pack=x", PATH)).toBeNull();
    expect(await h.readFileAt("main..evil", PATH)).toBeNull();
    await expect(h.readFileAt(sha("1"), "../secrets.yaml")).rejects.toThrow(/path "\.\.\/secrets\.yaml"/);
    expect(scope.isDone()).toBe(true);
  });

  it("an unknown ref lists no history; a server error is thrown, not taken for an empty history", async () => {
    nock(API)
      .get(`${R}/commits`)
      .query(true)
      .reply(422, { message: "No commit found for SHA: nope" })
      .get(`${R}/commits`)
      .query(true)
      .reply(500, { message: "boom" });
    expect(await history({ ref: "nope" }).fileHistory(PATH, 5)).toEqual([]);
    await expect(history().fileHistory(PATH, 5)).rejects.toMatchObject({ status: 500 });
  });
});

describe("crashloop-rollback on GitHub: the manifest's git history decides", () => {
  it("no Argo CD history, no ReplicaSets (no cluster): rolls back to the image of the newest earlier commit", async () => {
    const alert = JSON.parse(
      readFileSync(new URL("../../../examples/alerts/crashloop-checkout.json", import.meta.url), "utf8"),
    ) as unknown;
    const loaded = loadMedicConfig(
      { workloads: { podNameRules: ["^(?<workload>[a-z0-9-]+)-[0-9a-f]{8,10}-[a-z0-9]{5}$"] } },
      ".github/medic.yml",
    );
    if (!loaded.ok) throw new Error(loaded.message);
    const config = loaded.config;
    const now = Date.parse("2026-11-27T10:00:00Z");
    const built = buildIncidentsFromAlert(alert, config.incidents, now);
    if (!built.ok) throw new Error(built.message);
    const registry = await loadRunbookRegistry(
      await readRunbookDir(bundledRunbooksDir(), "bundled", "runbooks"),
      null,
    );
    const files: Record<string, string> = { [PATH]: manifest("1.4.2") };
    const repo: GitOpsRepo = {
      name: "acme/gitops@main",
      revision: async () => HEAD,
      listFiles: async (prefix = "") => Object.keys(files).filter((p) => p.startsWith(prefix)),
      readFile: async (p) => files[p] ?? null,
    };
    const scope = nock(API)
      .get(`${R}/commits`)
      .query({ path: PATH, sha: HEAD, per_page: "20", page: "1" })
      .reply(200, [
        commit(sha("3"), "2026-11-27T09:30:00Z", "deploy checkout 1.4.2"),
        commit(sha("2"), "2026-11-20T10:00:00Z", "checkout: 3 replicas"),
        commit(sha("1"), "2026-11-12T14:00:00Z", "deploy checkout 1.4.0"),
      ])
      .get(`${R}/contents/apps/checkout/deployment.yaml`)
      .query({ ref: sha("3") })
      .reply(200, file(PATH, manifest("1.4.2")))
      .get(`${R}/contents/apps/checkout/deployment.yaml`)
      .query({ ref: sha("2") })
      .reply(200, file(PATH, manifest("1.4.1")))
      .get(`${R}/contents/apps/checkout/deployment.yaml`)
      .query({ ref: sha("1") })
      .reply(200, file(PATH, manifest("1.4.0")));
    const outcome = await planRemediation(
      { incident: built.incidents[0]!, registry, config },
      {
        repo,
        history: history(),
        cluster: null,
        clock: manualClock(now),
        logger: silentLogger,
      },
    );
    expect(scope.isDone()).toBe(true);
    expect(outcome.status).toBe("planned");
    if (outcome.status !== "planned") return;
    const [change] = outcome.plan.changes;
    expect(change?.path).toBe(PATH);
    expect(change?.after).toBe(manifest("1.4.1"));
    expect(change?.summary).toContain("1.4.2 → 1.4.1");
    expect(change?.summary).toContain(sha("2").slice(0, 7));
  });
});
