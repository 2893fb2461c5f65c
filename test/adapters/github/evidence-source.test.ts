import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createGitHubEvidenceSource,
  EvidenceSourceError,
} from "../../../src/adapters/github/evidence-source.js";
import type { GitHubOctokit } from "../../../src/adapters/github/git-data.js";
import { renderAuditBlock } from "../../../src/core/audit/audit-block.js";
import { chainRecords, EMPTY_TIP } from "../../../src/core/audit/hash-chain.js";
import { RecordedExport } from "../../../src/core/evidence/recorded-export.js";
import { exportEvidence } from "../../../src/workflows/export-evidence.js";
import { manualClock } from "../../../src/workflows/ports/clock.js";
import type { ExportProgress } from "../../../src/workflows/ports/evidence-source.js";
import { TestOctokit } from "../../helpers/probot.js";

const API = "https://api.github.com";
const R = "/repos/acme/gitops";
const SINCE = "2026-11-02T00:00:00.000Z";
const UNTIL = "2026-11-09T00:00:00.000Z";
const sha = (c: string) => c.repeat(40);
const BOT = { login: "gitops-medic[bot]", type: "Bot" };
const octokit = () => new TestOctokit({ auth: { token: "test-token" } }) as unknown as GitHubOctokit;

const record = {
  v: 1 as const,
  at: "2026-11-03T10:02:00Z",
  actor: { kind: "bot" as const, login: "gitops-medic[bot]" },
  action: "incident.opened",
  reason: "KubePodCrashLooping firing",
  inputs: { startsAt: "2026-11-03T10:00:00Z" },
  outcome: { status: "ok" as const },
};
const ledgerText = chainRecords(EMPTY_TIP, [record]).lines;

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

/** A small repository history served page by page, with the `link` headers GitHub sends. */
function serveHistory() {
  const page2 = `${API}${R}/issues?labels=incident&state=all&since=${encodeURIComponent(SINCE)}&sort=created&direction=asc&per_page=100&page=2`;
  const runsPage2 = `${API}${R}/commits/${sha("c")}/check-runs?per_page=100&page=2`;
  return (
    nock(API)
      .get(R)
      .reply(200, { default_branch: "main" })
      .get(`${R}/contents/.github%2Fmedic.yml`)
      .query({ ref: "main" })
      .reply(200, {
        encoding: "base64",
        content: Buffer.from(
          "evidence:\n  scanners: [trivy]\n  backupTestRunbooks: [velero-restore-test]\n",
        ).toString("base64"),
      })
      // Issues labelled `incident`, two pages; the PR in the list (issues API includes PRs) is dropped.
      .get(`${R}/issues`)
      .query({
        labels: "incident",
        state: "all",
        since: SINCE,
        sort: "created",
        direction: "asc",
        per_page: "100",
      })
      .reply(
        200,
        [
          {
            number: 7,
            title: "pull request, not an issue",
            state: "open",
            labels: [],
            user: { login: "x" },
            created_at: "2026-11-03T00:00:00Z",
            closed_at: null,
            pull_request: {},
          },
        ],
        { link: `<${page2}>; rel="next", <${page2}>; rel="last"` },
      )
      .get(`${R}/issues`)
      .query({
        labels: "incident",
        state: "all",
        since: SINCE,
        sort: "created",
        direction: "asc",
        per_page: "100",
        page: "2",
      })
      .reply(200, [
        {
          number: 12,
          title: "checkout crash-looping",
          state: "closed",
          labels: [{ name: "incident" }, { name: "severity:critical" }],
          user: BOT,
          created_at: "2026-11-03T10:02:00Z",
          closed_at: "2026-11-03T10:40:00Z",
          body: "<!-- medic:incident KubePodCrashLooping/shop/checkout -->\nroot cause: aaaaaaa",
          html_url: "https://github.com/acme/gitops/issues/12",
        },
      ])
      .get(`${R}/issues/12/timeline`)
      .query({ per_page: "100" })
      .reply(200, [
        {
          event: "labeled",
          actor: BOT,
          created_at: "2026-11-03T10:02:00Z",
          label: { name: "severity:critical" },
        },
        {
          event: "commented",
          id: 501,
          user: BOT,
          created_at: "2026-11-03T10:02:01Z",
          body: `Opened.\n\n${renderAuditBlock(record)}`,
          html_url: "https://github.com/acme/gitops/issues/12#issuecomment-501",
        },
        { event: "subscribed", actor: BOT, created_at: "2026-11-03T10:02:02Z" },
        { event: "closed", actor: BOT, created_at: "2026-11-03T10:40:00Z", commit_id: null },
      ])
      // Closed PRs, newest update first: #5 merged in the range, #3 updated before it ends the listing.
      .get(`${R}/pulls`)
      .query({ state: "closed", base: "main", sort: "updated", direction: "desc", per_page: "100" })
      .reply(200, [
        {
          number: 5,
          title: "checkout: image 1.8.0",
          user: { login: "carol", type: "User" },
          body: "",
          labels: [{ name: "risk:safe" }],
          created_at: "2026-11-03T09:00:00Z",
          updated_at: "2026-11-03T09:31:00Z",
          merged_at: "2026-11-03T09:30:00Z",
          merge_commit_sha: sha("a"),
          head: { sha: sha("c") },
          base: { ref: "main" },
          html_url: "https://github.com/acme/gitops/pull/5",
        },
        {
          number: 3,
          title: "old",
          user: { login: "bob" },
          labels: [],
          created_at: "2026-10-01T00:00:00Z",
          updated_at: "2026-10-20T00:00:00Z",
          merged_at: "2026-10-20T00:00:00Z",
          merge_commit_sha: sha("9"),
          head: { sha: sha("8") },
          base: { ref: "main" },
        },
      ])
      .get(`${R}/pulls/5/commits`)
      .query({ per_page: "100" })
      .reply(200, [{ sha: sha("c"), commit: { author: { date: "2026-11-03T08:30:00Z" } } }])
      .get(`${R}/pulls/5/reviews`)
      .query({ per_page: "100" })
      .reply(200, [
        {
          user: { login: "erin", type: "User" },
          state: "APPROVED",
          submitted_at: "2026-11-03T09:20:00Z",
          commit_id: sha("c"),
          body: "",
        },
      ])
      .get(`${R}/issues/5/comments`)
      .query({ per_page: "100" })
      .reply(200, [
        {
          id: 77,
          user: { login: "erin", type: "User" },
          created_at: "2026-11-03T09:19:00Z",
          body: "/approve",
          html_url: "https://github.com/acme/gitops/pull/5#issuecomment-77",
        },
      ])
      .get(`${R}/commits`)
      .query({ sha: "main", since: SINCE, until: UNTIL, per_page: "100" })
      .reply(200, [
        {
          sha: sha("a"),
          commit: {
            message: "checkout: image 1.8.0 (#5)",
            author: { name: "Carol", date: "2026-11-03T08:30:00Z" },
            committer: { date: "2026-11-03T09:30:00Z" },
          },
          author: { login: "carol" },
          parents: [{ sha: sha("0") }],
        },
      ])
      // Check runs of the PR's head (two pages) and of the merge commit.
      .get(`${R}/commits/${sha("c")}/check-runs`)
      .query({ per_page: "100" })
      .reply(
        200,
        {
          total_count: 2,
          check_runs: [
            {
              id: 901,
              name: "medic/policy",
              head_sha: sha("c"),
              status: "completed",
              conclusion: "failure",
              started_at: "2026-11-03T09:01:00Z",
              completed_at: "2026-11-03T09:02:00Z",
              app: { slug: "gitops-medic" },
              output: { title: "1 finding", summary: "s", annotations_count: 1 },
              html_url: "https://github.com/acme/gitops/runs/901",
            },
          ],
        },
        { link: `<${runsPage2}>; rel="next"` },
      )
      .get(`${R}/commits/${sha("c")}/check-runs`)
      .query({ per_page: "100", page: "2" })
      .reply(200, {
        total_count: 2,
        check_runs: [
          {
            id: 902,
            name: "medic/approval",
            head_sha: sha("c"),
            status: "completed",
            conclusion: "success",
            started_at: null,
            completed_at: "2026-11-03T09:21:00Z",
            app: { slug: "gitops-medic" },
            output: { title: "Safe", summary: null, annotations_count: 0 },
            html_url: "",
          },
        ],
      })
      .get(`${R}/check-runs/901/annotations`)
      .query({ per_page: "100" })
      .reply(200, [
        {
          path: "apps/checkout/deployment.yaml",
          start_line: 21,
          annotation_level: "failure",
          title: "disallow-latest-tag/validate-image-tag",
          message: "An image tag is required.",
        },
      ])
      .get(`${R}/commits/${sha("a")}/check-runs`)
      .query({ per_page: "100" })
      .reply(200, {
        total_count: 1,
        check_runs: [
          {
            id: 903,
            name: "Trivy",
            head_sha: sha("a"),
            status: "completed",
            conclusion: "success",
            started_at: "2026-11-03T09:31:00Z",
            completed_at: "2026-11-03T09:33:00Z",
            app: { slug: "github-actions" },
            output: { title: "No vulnerabilities", summary: "", annotations_count: 0 },
            html_url: "",
          },
        ],
      })
      // Deployments, newest first, until one created before the range.
      .get(`${R}/deployments`)
      .query({ per_page: "100" })
      .reply(200, [
        {
          id: 41,
          sha: sha("a"),
          ref: "main",
          environment: "production",
          created_at: "2026-11-03T09:31:00Z",
          creator: BOT,
          description: "Argo CD sync",
        },
        {
          id: 40,
          sha: sha("0"),
          ref: "main",
          environment: "production",
          created_at: "2026-10-30T00:00:00Z",
          creator: BOT,
          description: null,
        },
      ])
      .get(`${R}/deployments/41/statuses`)
      .query({ per_page: "100" })
      .reply(200, [
        {
          state: "success",
          created_at: "2026-11-03T09:40:00Z",
          description: "Synced, Healthy",
          log_url: null,
        },
        { state: "in_progress", created_at: "2026-11-03T09:32:00Z", description: "syncing", log_url: null },
      ])
      .get(`${R}/git/ref/heads/medic-audit`)
      .reply(200, { object: { sha: sha("d") } })
      .get(`${R}/git/commits/${sha("d")}`)
      .reply(200, { sha: sha("d"), tree: { sha: sha("e") }, parents: [], message: "audit" })
      .get(`${R}/git/trees/${sha("e")}`)
      .reply(200, {
        sha: sha("e"),
        truncated: false,
        tree: [{ path: "audit.jsonl", mode: "100644", type: "blob", sha: sha("f") }],
      })
      .get(`${R}/git/blobs/${sha("f")}`)
      .reply(200, { sha: sha("f"), encoding: "base64", content: Buffer.from(ledgerText).toString("base64") })
  );
}

describe("GitHub evidence source", () => {
  it("reads a small history page by page into exactly the recorded-export format", async () => {
    const scope = serveHistory();
    const progress: ExportProgress[] = [];
    const exp = await createGitHubEvidenceSource(
      octokit(),
      { owner: "acme", repo: "gitops" },
      manualClock("2026-11-09T02:00:00Z"),
    ).fetchExport({ since: SINCE, until: UNTIL }, (p) => progress.push(p));
    expect(scope.isDone()).toBe(true);
    // The same schema `--from FILE` reads.
    expect(RecordedExport.parse(JSON.parse(JSON.stringify(exp)))).toEqual(exp);
    expect(exp).toMatchObject({
      repository: "acme/gitops",
      defaultBranch: "main",
      since: SINCE,
      until: UNTIL,
      auditLedger: ledgerText,
    });
    expect(exp.medicConfig).toEqual({
      evidence: { scanners: ["trivy"], backupTestRunbooks: ["velero-restore-test"] },
    });
    expect(exp.issues).toEqual([
      {
        number: 12,
        title: "checkout crash-looping",
        state: "closed",
        labels: ["incident", "severity:critical"],
        user: "gitops-medic[bot]",
        createdAt: "2026-11-03T10:02:00Z",
        closedAt: "2026-11-03T10:40:00Z",
        body: "<!-- medic:incident KubePodCrashLooping/shop/checkout -->\nroot cause: aaaaaaa",
        url: "https://github.com/acme/gitops/issues/12",
        comments: [
          {
            id: 501,
            user: "gitops-medic[bot]",
            userIsBot: true,
            createdAt: "2026-11-03T10:02:01Z",
            body: `Opened.\n\n${renderAuditBlock(record)}`,
            url: "https://github.com/acme/gitops/issues/12#issuecomment-501",
          },
        ],
        events: [
          {
            event: "labeled",
            actor: "gitops-medic[bot]",
            createdAt: "2026-11-03T10:02:00Z",
            label: "severity:critical",
          },
          { event: "closed", actor: "gitops-medic[bot]", createdAt: "2026-11-03T10:40:00Z" },
        ],
      },
    ]);
    expect(exp.pullRequests.map((p) => p.number)).toEqual([5]);
    expect(exp.pullRequests[0]).toMatchObject({
      mergeCommitSha: sha("a"),
      headSha: sha("c"),
      commits: [{ sha: sha("c"), authoredAt: "2026-11-03T08:30:00Z" }],
      reviews: [{ user: "erin", state: "APPROVED", commitId: sha("c"), userIsBot: false }],
      comments: [{ id: 77, body: "/approve" }],
    });
    expect(exp.commits).toEqual([
      {
        sha: sha("a"),
        message: "checkout: image 1.8.0 (#5)",
        author: "carol",
        authoredAt: "2026-11-03T08:30:00Z",
        committedAt: "2026-11-03T09:30:00Z",
        parents: [sha("0")],
      },
    ]);
    expect(exp.checkRuns.map((r) => [r.id, r.name, r.annotations.length])).toEqual([
      [901, "medic/policy", 1],
      [902, "medic/approval", 0],
      [903, "Trivy", 0],
    ]);
    expect(exp.deployments).toEqual([
      {
        id: 41,
        sha: sha("a"),
        ref: "main",
        environment: "production",
        createdAt: "2026-11-03T09:31:00Z",
        creator: "gitops-medic[bot]",
        description: "Argo CD sync",
        statuses: [
          { state: "in_progress", createdAt: "2026-11-03T09:32:00Z", description: "syncing", logUrl: null },
          {
            state: "success",
            createdAt: "2026-11-03T09:40:00Z",
            description: "Synced, Healthy",
            logUrl: null,
          },
        ],
      },
    ]);
    expect(progress.at(-1)).toEqual({ phase: "audit ledger", done: 1, total: 1 });
    expect(progress.some((p) => p.phase === "check runs")).toBe(true);
  });

  it("feeds the evidence workflow end to end", async () => {
    serveHistory();
    const res = await exportEvidence({
      source: createGitHubEvidenceSource(octokit(), { owner: "acme", repo: "gitops" }),
      since: SINCE,
      until: UNTIL,
      clock: manualClock("2026-11-09T01:00:00Z"),
    });
    if (!res.ok) throw new Error(res.message);
    const { pack } = res;
    expect(pack.incidents[0]).toMatchObject({
      number: 12,
      key: "KubePodCrashLooping/shop/checkout",
      mttdMs: 120_000,
      mttrMs: 40 * 60_000,
      startSource: "audit-record",
    });
    expect(pack.incidents[0]?.rootCauses[0]).toMatchObject({
      sha: sha("a"),
      pullRequest: 5,
      deployedAt: "2026-11-03T09:40:00.000Z",
    });
    expect(pack.dora.changeFailureRate).toMatchObject({ deployments: 1, failed: 1 });
    expect(pack.violations).toMatchObject([
      { pullRequest: 5, rule: "disallow-latest-tag/validate-image-tag", fixed: null },
    ]);
    expect(pack.scans).toMatchObject([{ name: "Trivy", pullRequest: 5, conclusion: "success" }]);
    expect(pack.ledger).toMatchObject({ ok: true, lines: 1 });
    expect(pack.auditRecords).toMatchObject([{ source: "issue #12", inLedger: true }]);
  });

  it("a broken .github/medic.yml stops the export with the file named", async () => {
    nock(API)
      .get(R)
      .reply(200, { default_branch: "main" })
      .get(`${R}/contents/.github%2Fmedic.yml`)
      .query({ ref: "main" })
      .reply(200, { encoding: "base64", content: Buffer.from("evidence: [unclosed").toString("base64") });
    const err = await createGitHubEvidenceSource(octokit(), { owner: "acme", repo: "gitops" })
      .fetchExport({ since: SINCE, until: UNTIL })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvidenceSourceError);
    expect((err as Error).message).toContain(".github/medic.yml");
  });
});
