import { describe, expect, it } from "vitest";
import { renderAuditBlock } from "../../../src/core/audit/audit-block.js";
import { chainRecords, EMPTY_TIP } from "../../../src/core/audit/hash-chain.js";
import { defaultMedicConfig } from "../../../src/core/config/medic-config.js";
import { analyzeIncident } from "../../../src/core/evidence/analyze-incident.js";
import { buildEvidencePack } from "../../../src/core/evidence/build-evidence-pack.js";
import { EvidencePack } from "../../../src/core/evidence/evidence-pack.js";
import {
  type ExportIssue,
  RecordedExport,
  type RecordedExportInput,
} from "../../../src/core/evidence/recorded-export.js";
import { formatRevertMarker } from "../../../src/core/rollout/revert-marker.js";

const BOT = "gitops-medic[bot]";
const sha = (c: string) => c.repeat(40).slice(0, 40);
const MIN = 60_000;

function issue(p: Partial<ExportIssue> & { number: number; createdAt: string }): ExportIssue {
  return {
    title: `incident ${p.number}`,
    state: "open",
    labels: ["incident", "severity:critical"],
    user: BOT,
    closedAt: null,
    body: "",
    url: `https://github.com/acme/gitops/issues/${p.number}`,
    comments: [],
    events: [],
    ...p,
  };
}

function exportOf(p: Partial<RecordedExportInput>): RecordedExport {
  return RecordedExport.parse({
    kind: "gitops-medic/export",
    version: 1,
    repository: "acme/gitops",
    defaultBranch: "main",
    exportedAt: "2026-11-09T00:00:00Z",
    since: "2026-11-02T00:00:00Z",
    until: "2026-11-09T00:00:00Z",
    ...p,
  });
}

const build = (
  exp: RecordedExport,
  evidence: Partial<ReturnType<typeof defaultMedicConfig>["evidence"]> = {},
) =>
  buildEvidencePack(exp, {
    config: { ...defaultMedicConfig().evidence, ...evidence },
    generatedAt: Date.parse("2026-11-09T01:00:00Z"),
    source: { kind: "file", name: "test.json" },
  });

const startedBlock = (startsAt: string, at: string) =>
  renderAuditBlock({
    v: 1,
    at,
    actor: { kind: "bot", login: BOT },
    action: "incident.opened",
    reason: "firing",
    inputs: { startsAt },
    outcome: { status: "ok" },
  });

describe("analyzeIncident on hand-made timelines", () => {
  it.each([
    [
      "alert start from the bot's audit record",
      issue({
        number: 1,
        createdAt: "2026-11-03T10:05:00Z",
        comments: [
          {
            id: 1,
            user: BOT,
            userIsBot: true,
            createdAt: "2026-11-03T10:05:00Z",
            body: `opened\n${startedBlock("2026-11-03T10:00:00Z", "2026-11-03T10:05:00Z")}`,
            url: "",
          },
        ],
      }),
      "audit-record",
      "2026-11-03T10:00:00.000Z",
    ],
    [
      "a forged record in a person's comment is ignored",
      issue({
        number: 2,
        createdAt: "2026-11-03T10:05:00Z",
        comments: [
          {
            id: 1,
            user: "mallory",
            userIsBot: false,
            createdAt: "2026-11-03T10:06:00Z",
            body: startedBlock("2026-11-01T00:00:00Z", "2026-11-03T10:06:00Z"),
            url: "",
          },
        ],
      }),
      "issue-created",
      "2026-11-03T10:05:00.000Z",
    ],
    [
      "the issue body's `Alert started` row",
      issue({
        number: 3,
        createdAt: "2026-11-03T10:05:00Z",
        body: "| **Alert started** | 2026-11-03 09:58:00 UTC |\n| **Issue opened** | 2026-11-03 10:05:00 UTC |",
      }),
      "body",
      "2026-11-03T09:58:00.000Z",
    ],
  ])("%s", (_name, iss, source, started) => {
    const f = analyzeIncident(iss);
    expect(f.startSource).toBe(source);
    expect(new Date(f.startedAt).toISOString()).toBe(started);
  });

  it("a reopened incident resolves at its last close and counts the reopening", () => {
    const f = analyzeIncident(
      issue({
        number: 4,
        state: "closed",
        createdAt: "2026-11-03T10:00:00Z",
        closedAt: "2026-11-03T12:00:00Z",
        events: [
          { event: "closed", actor: BOT, createdAt: "2026-11-03T10:30:00Z" },
          { event: "reopened", actor: BOT, createdAt: "2026-11-03T11:00:00Z" },
          { event: "closed", actor: BOT, createdAt: "2026-11-03T12:00:00Z" },
        ],
      }),
    );
    expect(f.reopened).toBe(1);
    expect(f.resolvedAt).toBe(Date.parse("2026-11-03T12:00:00Z"));
  });

  it("a reopened incident still open is unresolved", () => {
    const f = analyzeIncident(
      issue({
        number: 5,
        createdAt: "2026-11-03T10:00:00Z",
        events: [
          { event: "closed", actor: BOT, createdAt: "2026-11-03T10:30:00Z" },
          { event: "reopened", actor: "alice", createdAt: "2026-11-03T11:00:00Z" },
        ],
      }),
    );
    expect(f.resolvedAt).toBeNull();
  });

  it.each([
    ["resolved", "resolved", true],
    ["fixed", "fixed", true],
    ["resolved", "fixed", false],
  ])("kept open with label %s, configured %s ⇒ resolved: %s", (label, configured, resolved) => {
    const f = analyzeIncident(
      issue({
        number: 7,
        createdAt: "2026-11-03T10:00:00Z",
        events: [{ event: "labeled", actor: BOT, createdAt: "2026-11-03T10:20:00Z", label }],
      }),
      [],
      configured,
    );
    expect(f.resolvedAt).toBe(resolved ? Date.parse("2026-11-03T10:20:00Z") : null);
  });

  it("reads `root cause: <sha>` lines (Four Keys) from the body and comments", () => {
    const f = analyzeIncident(
      issue({
        number: 6,
        createdAt: "2026-11-03T10:00:00Z",
        body: "root cause: abcdef1",
        comments: [
          {
            id: 1,
            user: "carol",
            userIsBot: false,
            createdAt: "2026-11-03T10:10:00Z",
            body: "Root cause: `1234567890`",
            url: "",
          },
        ],
      }),
    );
    expect(f.rootCauses.sort()).toEqual(["1234567890", "abcdef1"]);
  });
});

describe("buildEvidencePack", () => {
  const bad = sha("a");
  const revert = sha("b");
  const base = sha("0");
  const exp = exportOf({
    issues: [
      issue({
        number: 10,
        state: "closed",
        createdAt: "2026-11-03T10:05:00Z",
        closedAt: "2026-11-03T11:00:00Z",
        body: `root cause: ${bad.slice(0, 8)}`,
        events: [{ event: "closed", actor: BOT, createdAt: "2026-11-03T11:00:00Z" }],
        comments: [
          {
            id: 1,
            user: BOT,
            userIsBot: true,
            createdAt: "2026-11-03T10:05:00Z",
            body: startedBlock("2026-11-03T10:00:00Z", "2026-11-03T10:05:00Z"),
            url: "",
          },
        ],
      }),
      // Clock skew: closed "before" the alert start the bot recorded.
      issue({
        number: 11,
        state: "closed",
        labels: ["incident", "severity:warning"],
        createdAt: "2026-11-04T10:05:00Z",
        closedAt: "2026-11-04T10:06:00Z",
        events: [{ event: "closed", actor: BOT, createdAt: "2026-11-04T10:06:00Z" }],
        comments: [
          {
            id: 1,
            user: BOT,
            userIsBot: true,
            createdAt: "2026-11-04T10:05:00Z",
            body: startedBlock("2026-11-04T10:30:00Z", "2026-11-04T10:05:00Z"),
            url: "",
          },
        ],
      }),
      issue({ number: 12, createdAt: "2026-11-05T10:00:00Z" }),
    ],
    commits: [
      {
        sha: base,
        message: "base",
        author: "a",
        authoredAt: "2026-11-01T00:00:00Z",
        committedAt: "2026-11-01T00:00:00Z",
        parents: [],
      },
      {
        sha: bad,
        message: "checkout 1.8.0 (#1)",
        author: "carol",
        authoredAt: "2026-11-03T08:00:00Z",
        committedAt: "2026-11-03T09:00:00Z",
        parents: [base],
      },
      {
        sha: revert,
        message: `Revert "checkout 1.8.0"\n\nThis reverts commit ${bad}.`,
        author: BOT,
        authoredAt: "2026-11-03T10:30:00Z",
        committedAt: "2026-11-03T10:40:00Z",
        parents: [bad],
      },
    ],
    pullRequests: [
      {
        number: 1,
        title: "checkout 1.8.0",
        user: "carol",
        createdAt: "2026-11-03T08:10:00Z",
        mergedAt: "2026-11-03T09:00:00Z",
        mergeCommitSha: bad,
        headSha: sha("c"),
        baseRef: "main",
        commits: [{ sha: sha("c"), authoredAt: "2026-11-03T07:30:00Z" }],
        reviews: [
          { user: "erin", state: "APPROVED", submittedAt: "2026-11-03T08:50:00Z", commitId: sha("c") },
          { user: "carol", state: "APPROVED", submittedAt: "2026-11-03T08:51:00Z", commitId: sha("d") },
        ],
      },
    ],
    deployments: [
      {
        id: 1,
        sha: bad,
        ref: "main",
        environment: "production",
        createdAt: "2026-11-03T09:01:00Z",
        statuses: [{ state: "success", createdAt: "2026-11-03T09:30:00Z" }],
      },
      {
        id: 2,
        sha: revert,
        ref: "main",
        environment: "production",
        createdAt: "2026-11-03T10:41:00Z",
        statuses: [{ state: "success", createdAt: "2026-11-03T10:50:00Z" }],
      },
      {
        id: 3,
        sha: revert,
        ref: "main",
        environment: "staging",
        createdAt: "2026-11-03T10:41:00Z",
        statuses: [{ state: "success", createdAt: "2026-11-03T10:45:00Z" }],
      },
    ],
  });
  const pack = build(exp);

  it("validates against its own schema", () => {
    expect(() => EvidencePack.parse(pack)).not.toThrow();
  });

  it("measures incidents, excluding clock skew with a note instead of a negative MTTR", () => {
    const byNum = new Map(pack.incidents.map((i) => [i.number, i]));
    expect(byNum.get(10)).toMatchObject({ mttdMs: 5 * MIN, mttrMs: 60 * MIN, major: true });
    // Restore runs from the root-cause deployment (09:30), before the alert (10:00): 90 min.
    expect(byNum.get(10)?.timeToRestoreMs).toBe(90 * MIN);
    expect(byNum.get(10)?.rootCauses).toEqual([
      { sha: bad, pullRequest: 1, deployedAt: "2026-11-03T09:30:00.000Z" },
    ]);
    expect(byNum.get(11)).toMatchObject({ mttdMs: null, mttrMs: null, major: false });
    expect(byNum.get(11)?.notes.join(" ")).toMatch(/clock skew/);
    expect(byNum.get(12)).toMatchObject({ mttrMs: null, resolvedAt: null });
    expect(pack.summary).toMatchObject({
      incidents: 3,
      majorIncidents: 2,
      openIncidents: 1,
      mttr: { medianMs: 60 * MIN },
    });
  });

  it("counts the reverted, root-caused change as a failed deployment and the revert as a deployment", () => {
    expect(pack.dora.deploymentsFrom).toBe("deployments");
    expect(pack.dora.changeFailureRate).toMatchObject({ deployments: 2, failed: 1, rate: 0.5 });
    const change = pack.changes.find((c) => c.sha === bad)!;
    expect(change.failed).toBe(true);
    expect(change.failureReasons.sort()).toEqual([
      `reverted by ${revert.slice(0, 7)}`,
      "root cause of incident #10",
    ]);
    // Lead time: first PR commit 07:30 → production 09:30.
    expect(change.leadTimeMs).toBe(120 * MIN);
    // The staging deployment does not count.
    expect(change.deployments.map((d) => d.environment)).toEqual(["production"]);
  });

  it("the rollout watcher's revert marker (in the bot's own PR) fails the reverted change", () => {
    const marker = formatRevertMarker({
      incidentKey: "",
      originalPr: 1,
      mergeSha: bad.slice(0, 12),
      applications: ["shop/checkout"],
      at: 0,
      reason: "degraded",
    });
    const revertPr = {
      number: 2,
      title: "Roll back checkout",
      user: BOT,
      userIsBot: true,
      body: marker,
      createdAt: "2026-11-03T10:31:00Z",
      mergedAt: "2026-11-03T10:40:00Z",
      mergeCommitSha: revert,
      headSha: sha("e"),
      baseRef: "main",
    };
    const forged = { ...revertPr, number: 3, user: "mallory", userIsBot: false, mergeCommitSha: sha("f") };
    const noIncident = RecordedExport.parse({
      ...exp,
      issues: [],
      commits: exp.commits.map((c) => (c.sha === revert ? { ...c, message: "roll back" } : c)),
      pullRequests: [...exp.pullRequests, revertPr],
    });
    expect(build(noIncident).changes.find((c) => c.sha === bad)?.failureReasons).toEqual([
      "reverted by PR #2 (degraded)",
    ]);
    const onlyForged = RecordedExport.parse({
      ...exp,
      issues: [],
      commits: exp.commits.map((c) => (c.sha === revert ? { ...c, message: "roll back" } : c)),
      pullRequests: [...exp.pullRequests, forged],
    });
    expect(build(onlyForged).changes.find((c) => c.sha === bad)?.failed).toBe(false);
  });

  it("lists approvals with who may count: stale and self-approvals are flagged", () => {
    expect(pack.approvals.map((a) => [a.login, a.atHead, a.selfApproval])).toEqual([
      ["erin", true, false],
      ["carol", false, true],
    ]);
  });

  it("reads command records only from the bot's comments", () => {
    const record = (actor: string) =>
      `<!-- medic:command {"kind":"approve","actor":"${actor}","sha":"${sha("c")}","commentId":1} -->`;
    const pr = exp.pullRequests[0]!;
    const withComments = build(
      RecordedExport.parse({
        ...exp,
        pullRequests: [
          {
            ...pr,
            reviews: [],
            comments: [
              {
                id: 1,
                user: "mallory",
                userIsBot: false,
                createdAt: "2026-11-03T08:40:00Z",
                body: record("mallory"),
                url: "",
              },
              {
                id: 2,
                user: BOT,
                userIsBot: true,
                createdAt: "2026-11-03T08:41:00Z",
                body: record("erin"),
                url: "",
              },
            ],
          },
        ],
      }),
    );
    expect(withComments.approvals.map((a) => [a.login, a.via, a.atHead])).toEqual([
      ["erin", "command", true],
    ]);
  });

  it("drafts a DORA report for each major incident only", () => {
    expect(pack.doraReports.map((r) => r.incident)).toEqual([10, 12]);
    const r = pack.doraReports[0]!;
    expect(r.initial.detectedAt).toBe("2026-11-03T10:05:00.000Z");
    // Initial notification due 4 h after classification (the issue creation here).
    expect(r.initial.dueBy).toBe("2026-11-03T14:05:00.000Z");
    expect(r.intermediate.dueBy).toBe("2026-11-06T14:05:00.000Z");
    expect(r.final.rootCauses).toEqual([`change ${bad}`]);
    expect(r.final.rootCauseAddressedAt).toBe("2026-11-03T10:50:00.000Z");
    expect(r.toComplete).toContain("final.costsAndLosses");
    const open = pack.doraReports[1]!;
    expect(open.final.resolvedAt).toBeNull();
    expect(open.toComplete).toContain("final.resolvedAt");
  });

  it("an empty export gives an empty but valid pack", () => {
    const empty = build(exportOf({}));
    expect(() => EvidencePack.parse(empty)).not.toThrow();
    expect(empty.summary).toMatchObject({ incidents: 0, mttd: { medianMs: null }, mttr: { medianMs: null } });
    expect(empty.dora.deploymentsFrom).toBe("merges");
    expect(empty.notes.join(" ")).toMatch(/no GitHub deployments/);
    expect(empty.dora.changeFailureRate.rate).toBeNull();
  });

  it("without deployments, merges count (auto) and say so", () => {
    const merges = build(exportOf({ ...exp, deployments: [] } as RecordedExportInput));
    expect(merges.dora.deploymentsFrom).toBe("merges");
    expect(merges.dora.deploymentFrequency.deployments).toBe(1);
  });

  it("verifies a ledger carried by the export and reports a tampered one", () => {
    const rec = {
      v: 1 as const,
      at: "2026-11-03T10:05:00Z",
      actor: { kind: "bot" as const, login: BOT },
      action: "incident.opened",
      reason: "firing",
      inputs: { startsAt: "2026-11-03T10:00:00Z" },
      outcome: { status: "ok" as const },
    };
    const ledger = chainRecords(EMPTY_TIP, [rec]).lines;
    const ok = build(exportOf({ ...exp, auditLedger: ledger } as RecordedExportInput));
    expect(ok.ledger).toMatchObject({ ok: true, lines: 1, break: null });
    expect(ok.auditRecords.find((a) => a.source === "issue #10")?.inLedger).toBe(true);
    const tampered = build(
      exportOf({ ...exp, auditLedger: ledger.replace("firing", "firinG") } as RecordedExportInput),
    );
    expect(tampered.ledger).toMatchObject({ ok: false, break: { line: 1, kind: "hash" } });
  });
});
