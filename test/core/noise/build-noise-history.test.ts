import { describe, expect, it } from "vitest";
import { formatRemediationMarker } from "../../../src/core/approval/remediation-marker.js";
import { parseRecordedExport, type RecordedExportInput } from "../../../src/core/evidence/recorded-export.js";
import { buildNoiseHistory } from "../../../src/core/noise/build-noise-history.js";

const BOT = "gitops-medic[bot]";
type IssueIn = NonNullable<RecordedExportInput["issues"]>[number];
type PrIn = NonNullable<RecordedExportInput["pullRequests"]>[number];

function exp(issues: IssueIn[], pullRequests: PrIn[] = []) {
  const r = parseRecordedExport({
    kind: "gitops-medic/export",
    version: 1,
    repository: "acme/gitops",
    defaultBranch: "main",
    exportedAt: "2026-02-01T00:00:00Z",
    since: "2026-01-01T00:00:00Z",
    until: "2026-02-01T00:00:00Z",
    issues,
    pullRequests,
  } satisfies RecordedExportInput);
  if (!r.ok) throw new Error(r.message);
  return r.export;
}

const issue = (over: Partial<IssueIn>): IssueIn => ({
  number: 1,
  title: "t",
  state: "closed",
  labels: ["incident", "severity:warning"],
  user: BOT,
  createdAt: "2026-01-10T00:00:00Z",
  closedAt: "2026-01-10T00:05:00Z",
  body: "<!-- medic:incident NodeDown/n1 -->",
  events: [{ event: "closed", actor: BOT, createdAt: "2026-01-10T00:05:00Z" }],
  ...over,
});

const t = (iso: string) => Date.parse(iso);

describe("buildNoiseHistory", () => {
  it.each([
    ["closed once", issue({}), [{ start: t("2026-01-10T00:00:00Z"), end: t("2026-01-10T00:05:00Z") }]],
    [
      "closed, reopened, closed",
      issue({
        events: [
          { event: "closed", actor: BOT, createdAt: "2026-01-10T00:05:00Z" },
          { event: "reopened", actor: BOT, createdAt: "2026-01-10T00:20:00Z" },
          { event: "closed", actor: BOT, createdAt: "2026-01-10T00:24:00Z" },
        ],
        closedAt: "2026-01-10T00:24:00Z",
      }),
      [
        { start: t("2026-01-10T00:00:00Z"), end: t("2026-01-10T00:05:00Z") },
        { start: t("2026-01-10T00:20:00Z"), end: t("2026-01-10T00:24:00Z") },
      ],
    ],
    [
      "kept open with the resolved label",
      issue({
        state: "open",
        closedAt: null,
        labels: ["incident", "resolved"],
        events: [{ event: "labeled", label: "resolved", actor: BOT, createdAt: "2026-01-10T00:03:00Z" }],
      }),
      [{ start: t("2026-01-10T00:00:00Z"), end: t("2026-01-10T00:03:00Z") }],
    ],
    [
      "still open",
      issue({ state: "open", closedAt: null, events: [] }),
      [{ start: t("2026-01-10T00:00:00Z"), end: null }],
    ],
  ])("%s", (_n, i, episodes) => {
    expect(buildNoiseHistory(exp([i]))[0]!.episodes).toEqual(episodes);
  });

  it("people's comments and state changes are actions; the bot's are not", () => {
    const h = buildNoiseHistory(
      exp([
        issue({
          comments: [
            { id: 1, user: BOT, createdAt: "2026-01-10T00:01:00Z", body: "diagnosis" },
            { id: 2, user: "alice", createdAt: "2026-01-10T00:02:00Z", body: "on it" },
          ],
          events: [{ event: "closed", actor: "bob", createdAt: "2026-01-10T00:05:00Z" }],
        }),
      ]),
    );
    expect(h[0]!.actions).toEqual([t("2026-01-10T00:02:00Z"), t("2026-01-10T00:05:00Z")]);
  });

  it("a bot PR whose remediation marker names the key marks the incident remediated; a person's does not", () => {
    const marker = formatRemediationMarker({
      incidentKey: "NodeDown/n1",
      runbook: "drain",
      requester: null,
      planHash: "sha256:0123abcd",
    });
    const pr = (user: string): PrIn => ({
      number: 5,
      title: "drain",
      user,
      body: marker,
      createdAt: "2026-01-10T00:04:00Z",
      mergedAt: "2026-01-10T00:30:00Z",
      mergeCommitSha: "a".repeat(40),
      headSha: "b".repeat(40),
      baseRef: "main",
    });
    expect(buildNoiseHistory(exp([issue({})], [pr(BOT)]))[0]!.remediated).toBe(true);
    expect(buildNoiseHistory(exp([issue({})], [pr("mallory")]))[0]!.remediated).toBe(false);
  });

  it("alert name from the key; issues filed by people without a key and non-incidents are skipped", () => {
    const h = buildNoiseHistory(
      exp([
        issue({}),
        issue({ number: 2, user: "alice", body: "the site is slow" }),
        issue({ number: 3, labels: ["bug"] }),
      ]),
    );
    expect(h.map((x) => [x.number, x.alertname, x.key, x.severity])).toEqual([
      [1, "NodeDown", "NodeDown/n1", "warning"],
    ]);
  });
});
