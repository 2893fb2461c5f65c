import { describe, expect, it } from "vitest";
import { createMemoryAuditSink } from "../../src/adapters/memory/audit-sink.js";
import { formatRemediationMarker } from "../../src/core/approval/remediation-marker.js";
import { parseAuditBlock } from "../../src/core/audit/audit-block.js";
import { ApprovalConfig } from "../../src/core/config/sections/approval.js";
import { evaluateApproval } from "../../src/workflows/evaluate-approval.js";
import type { ApprovalCheck, TeamDirectory } from "../../src/workflows/ports/approvals.js";
import { silentLogger } from "../../src/workflows/ports/logger.js";
import type {
  ChangedFile,
  PullRequestInfo,
  PullRequestReader,
} from "../../src/workflows/ports/pull-request.js";

const HEAD = "a".repeat(40);
const MB = "b".repeat(40);
const deploy = (n: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: ${n}\n`;

/** A struct fake of the pull request port, policy-bot style: data in, calls recorded. */
function fakePulls(
  over: {
    files?: ChangedFile[];
    truncated?: boolean;
    texts?: Record<string, string>;
    body?: string;
    state?: "open" | "closed";
    reviews?: Awaited<ReturnType<PullRequestReader["listReviews"]>>;
    pushers?: string[];
  } = {},
) {
  const reads: string[] = [];
  const pr: PullRequestInfo = {
    number: 7,
    author: { login: "gitops-medic[bot]", type: "Bot" },
    state: over.state ?? "open",
    merged: false,
    headSha: HEAD,
    headRef: "medic/x",
    headRepo: "o/r",
    baseRef: "main",
    mergeBaseSha: MB,
    body: over.body ?? "",
  };
  const pulls: PullRequestReader = {
    get: async () => pr,
    listFiles: async () => ({ files: over.files ?? [], truncated: over.truncated ?? false }),
    readFile: async (path, ref) => {
      reads.push(`${ref === HEAD ? "HEAD" : ref === MB ? "MB" : ref}:${path}`);
      return over.texts?.[`${ref === HEAD ? "HEAD" : ref === MB ? "MB" : ref}:${path}`] ?? null;
    },
    listCommits: async () => [],
    listReviews: async () => over.reviews ?? [],
    listPushers: async () => ({ logins: over.pushers ?? [], complete: true }),
  };
  return { pulls, reads };
}

function run(
  pulls: PullRequestReader,
  teams: TeamDirectory = { isActiveMember: async () => false },
  config = {},
) {
  const published: Parameters<ApprovalCheck["publish"]>[0][] = [];
  const audit = createMemoryAuditSink();
  return evaluateApproval(
    {
      pulls,
      conversation: { listComments: async () => [] },
      teams,
      check: { publish: async (c) => void published.push(c) },
      logger: silentLogger,
      botLogin: "gitops-medic[bot]",
      template: "{{verdict}} {{risk}} {{reasons}} {{requirements}} {{approvers}} {{notes}} {{headSha}}",
      audit,
      clock: { now: () => Date.parse("2026-11-27T12:00:00Z") },
      repo: "o/r",
      deliveryId: "d-7",
    },
    ApprovalConfig.parse({ securityTeams: ["acme/security"], ...config }),
    7,
  ).then((res) => ({ res, published, records: audit.records }));
}

describe("evaluateApproval (workflow over struct fakes)", () => {
  it("reads before at the merge base and after at the head; a rename reads the old path", async () => {
    const { pulls, reads } = fakePulls({
      files: [
        { path: "apps/web.yaml", status: "modified" },
        { path: "apps/new.yaml", previousPath: "apps/old.yaml", status: "renamed" },
        { path: "apps/added.yaml", status: "added" },
        { path: "apps/gone.yaml", status: "removed" },
      ],
    });
    await run(pulls);
    expect(reads.filter((r) => !r.includes("CODEOWNERS")).sort()).toEqual([
      "HEAD:apps/added.yaml",
      "HEAD:apps/new.yaml",
      "HEAD:apps/web.yaml",
      "MB:apps/gone.yaml",
      "MB:apps/old.yaml",
      "MB:apps/web.yaml",
    ]);
    // CODEOWNERS is looked up on the base branch, in GitHub's order.
    expect(reads.filter((r) => r.includes("CODEOWNERS"))).toEqual([
      "main:.github/CODEOWNERS",
      "main:CODEOWNERS",
      "main:docs/CODEOWNERS",
    ]);
  });

  it("planned steps from the remediation marker are destructive", async () => {
    const body = formatRemediationMarker({
      incidentKey: "node/n1/KubeNodePressure",
      runbook: "drain-node",
      requester: "rita",
      planHash: "sha256:00112233",
      steps: [{ kind: "drain", target: "node/n1" }],
    });
    const { res, published, records } = await run(fakePulls({ body }).pulls);
    expect(res.kind === "evaluated" && res.gate.risk.reasons.map((r) => r.code)).toEqual(["imperative-step"]);
    expect(published[0]!.conclusion).toBe("failure");
    const gate = res.kind === "evaluated" ? res.gate : null;
    const record = {
      v: 1,
      at: "2026-11-27T12:00:00.000Z",
      actor: { kind: "bot", login: "gitops-medic[bot]" },
      action: "approval.evaluated",
      reason: gate!.title,
      deliveryId: "d-7",
      incidentKey: "node/n1/KubeNodePressure",
      subject: { kind: "pull_request", repo: "o/r", number: 7 },
      shas: { head: HEAD, base: MB },
      inputs: {
        risk: "destructive",
        riskReasons: ["imperative-step"],
        destructivePaths: [],
        author: "gitops-medic[bot]",
        requester: "rita",
        runbook: "drain-node",
        codeowners: "no CODEOWNERS file on main (.github/, root or docs/)",
        requirements: gate!.requirements.map((r) => ({ path: r.path, status: r.status, approvedBy: [] })),
        approvers: [],
        hold: null,
        override: null,
      },
      outcome: { status: "refused", detail: gate!.status },
    };
    expect(records).toEqual([record]);
    expect(gate!.requirements.map((r) => r.path)).toEqual(["(imperative steps)"]);
    // The check summary ends with the same record as a hidden block.
    expect(parseAuditBlock(published[0]!.summary)).toEqual({ ok: true, record });
  });

  it("a listing GitHub cut off at 3,000 files is destructive", async () => {
    const files = Array.from({ length: 3000 }, (_, i) => ({
      path: `docs/${i}.md`,
      status: "modified" as const,
    }));
    const { res } = await run(fakePulls({ files, truncated: true, texts: {} }).pulls);
    expect(res.kind === "evaluated" && res.gate.risk.risk).toBe("destructive");
  });

  it("closed pull requests are skipped without a check", async () => {
    const { res, published, records } = await run(fakePulls({ state: "closed" }).pulls);
    expect(res).toEqual({ kind: "skipped", reason: "pull request is not open" });
    expect(published).toEqual([]);
    expect(records).toEqual([]);
  });

  it("someone who pushed to the head branch (activity log) does not count, even without a commit of theirs", async () => {
    const texts = {
      "MB:apps/web.yaml": deploy(4),
      "HEAD:apps/web.yaml": deploy(0),
      "main:.github/CODEOWNERS": "/apps/ @acme/security\n",
    };
    const reviews = [
      { id: 1, user: { login: "sam", type: "User" }, state: "APPROVED", commitId: HEAD, submittedAt: "t" },
    ];
    const { published } = await run(
      fakePulls({ files: [{ path: "apps/web.yaml", status: "modified" }], texts, reviews, pushers: ["Sam"] })
        .pulls,
      { isActiveMember: async () => true },
    );
    expect(published[0]!.conclusion).toBe("failure");
    expect(published[0]!.summary).toContain(
      "@sam (review): not counted — pushed commits to the pull request",
    );
  });

  it("an invited (pending) team member is not a member: only active memberships count", async () => {
    const texts = {
      "MB:apps/web.yaml": deploy(4),
      "HEAD:apps/web.yaml": deploy(0),
      "main:.github/CODEOWNERS": "/apps/ @acme/security\n",
    };
    const reviews = [
      { id: 1, user: { login: "newbie", type: "User" }, state: "APPROVED", commitId: HEAD, submittedAt: "t" },
    ];
    const asked: string[] = [];
    const { published } = await run(
      fakePulls({ files: [{ path: "apps/web.yaml", status: "modified" }], texts, reviews }).pulls,
      {
        isActiveMember: async (org, team, login) => {
          asked.push(`${org}/${team}/${login}`);
          return false;
        },
      },
    );
    expect(asked).toEqual(["acme/security/newbie"]);
    expect(published[0]!.conclusion).toBe("failure");
    expect(published[0]!.summary).toContain("not a member of a security team");
  });
});
