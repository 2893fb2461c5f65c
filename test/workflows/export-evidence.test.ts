import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { recordedExportSource } from "../../src/adapters/local/recorded-export.js";
import { EvidencePack } from "../../src/core/evidence/evidence-pack.js";
import { RecordedExport } from "../../src/core/evidence/recorded-export.js";
import { exportEvidence } from "../../src/workflows/export-evidence.js";
import { manualClock } from "../../src/workflows/ports/clock.js";

const example = RecordedExport.parse(
  JSON.parse(readFileSync(new URL("../../examples/evidence/export.json", import.meta.url), "utf8")),
);
const clock = manualClock("2026-11-02T07:00:00Z");
const MIN = 60_000;

describe("exportEvidence on the example history", () => {
  it("writes the three files from one pack", async () => {
    const res = await exportEvidence({ source: recordedExportSource(example, "export.json"), clock });
    if (!res.ok) throw new Error(res.message);
    expect(res.files.map((f) => f.name)).toEqual(["evidence.json", "evidence.md", "evidence.html"]);
    expect(EvidencePack.parse(JSON.parse(res.files[0]!.content))).toEqual(res.pack);
    expect(res.pack.generatedAt).toBe("2026-11-02T07:00:00.000Z");
  });

  it("computes the figures the history implies", async () => {
    const res = await exportEvidence({ source: recordedExportSource(example, "export.json"), clock });
    if (!res.ok) throw new Error(res.message);
    const { pack } = res;
    const inc = new Map(pack.incidents.map((i) => [i.number, i]));
    // #101: alert 14:02, issue 14:04:30, resolved 14:41 (the alert's end, from the incident state).
    expect(inc.get(101)).toMatchObject({
      mttdMs: 2.5 * MIN,
      mttrMs: 39 * MIN,
      major: true,
      startSource: "incident-state",
    });
    // Root cause deployed 13:50, before the alert: time to restore runs from there (51 min).
    expect(inc.get(101)?.timeToRestoreMs).toBe(51 * MIN);
    // #103 was reopened: resolved at the second resolution, 11:05, 2 h 5 min after 09:00.
    expect(inc.get(103)).toMatchObject({ reopened: 1, mttrMs: 125 * MIN });
    // #104 is still open; #98 was detected before the range.
    expect(inc.get(104)).toMatchObject({ mttrMs: null, resolvedAt: null });
    expect(inc.get(98)).toMatchObject({ inRange: false });
    // 13 production deployments reached a terminal state; #12 (Degraded after success), #19 (root cause
    // of #103) and the failed restore test #22 are the failures.
    expect(pack.dora.changeFailureRate).toMatchObject({ deployments: 13, failed: 3 });
    expect(pack.summary).toMatchObject({
      incidents: 5,
      majorIncidents: 2,
      violationsFound: 3,
      violationsFixed: 2,
      changesWithoutPullRequest: 1,
      overrides: 1,
    });
    expect(pack.backupTests.map((b) => [b.pullRequest, b.outcome])).toEqual([
      [15, "passed"],
      [22, "failed"],
    ]);
    expect(
      pack.scans.filter((s) => s.conclusion === "failure").map((s) => [s.name, s.pullRequest, s.findings]),
    ).toEqual([["trivy", 18, 2]]);
    expect(pack.ledger).toMatchObject({ ok: true, lines: 25 });
    // The bot's command records say what it accepted, with the SHA: erin's /approve was at #16's head.
    expect(pack.approvals.filter((a) => a.via === "command")).toEqual([
      {
        pullRequest: 16,
        login: "erin",
        at: "2026-10-13T03:53:00Z",
        via: "command",
        atHead: true,
        bot: false,
        selfApproval: false,
        destructive: false,
      },
    ]);
    expect(pack.overrides).toMatchObject([
      { number: 17, actor: "grace", check: "medic/approval", source: "command-record" },
    ]);
    // #101's root cause was addressed when revert PR #14 reached production (success at 14:36).
    const report = pack.doraReports.find((r) => r.incident === 101)!;
    expect(report.final.rootCauseAddressedAt).toBe("2026-10-08T14:36:00.000Z");
    expect(report.initial.howDiscovered).toMatch(/monitoring alert/);
    expect(report.intermediate.recoveredAt).toBe("2026-10-08T14:41:00.000Z");
    // mallory's forged block in a comment on #101 is not an audit record.
    expect(pack.auditRecords.some((a) => a.record.reason === "forged")).toBe(false);
    expect(pack.auditRecords.every((a) => a.inLedger)).toBe(true);
  });

  it("narrows to --since/--until", async () => {
    const res = await exportEvidence({
      source: recordedExportSource(example, "export.json"),
      since: "2026-10-19T00:00:00Z",
      until: "2026-10-26T00:00:00Z",
      clock,
    });
    if (!res.ok) throw new Error(res.message);
    expect(res.pack.incidents.filter((i) => i.inRange).map((i) => i.number)).toEqual([103, 105]);
    expect(res.pack.dora.weekly).toHaveLength(1);
    expect(res.pack.changes.every((c) => c.committedAt >= "2026-10-19" && c.committedAt < "2026-10-26")).toBe(
      true,
    );
    expect(res.pack.notes.join(" ")).not.toMatch(/beyond the export/);
  });

  it("a range beyond the export says nothing is known outside it", async () => {
    const res = await exportEvidence({
      source: recordedExportSource(example, "export.json"),
      since: "2026-09-01T00:00:00Z",
      clock,
    });
    if (!res.ok) throw new Error(res.message);
    expect(res.pack.notes.join(" ")).toMatch(/reaches beyond the export's 2026-10-05T00:00:00Z/);
  });

  it.each([
    [{ since: "2026-10-20T00:00:00Z", until: "2026-10-20T00:00:00Z" }, "since", /range is empty/],
    [{ since: "2026-10-21T00:00:00Z", until: "2026-10-20T00:00:00Z" }, "since", /must be before/],
  ])("an empty or inverted range %j is an error naming %s", async (range, field, message) => {
    const res = await exportEvidence({
      source: recordedExportSource(example, "export.json"),
      ...range,
      clock,
    });
    expect(res).toMatchObject({ ok: false, field });
    if (!res.ok) expect(res.message).toMatch(message);
  });

  it("a broken .github/medic.yml in the export is an error naming the field", async () => {
    const broken = RecordedExport.parse({
      ...example,
      medicConfig: { evidence: { majorSeverity: "urgent" } },
    });
    const res = await exportEvidence({ source: recordedExportSource(broken, "x.json"), clock });
    expect(res).toMatchObject({ ok: false, field: ".github/medic.yml: evidence.majorSeverity" });
  });
});
