import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RecordedExportInput } from "../../src/core/evidence/recorded-export.js";
import { runMedic } from "./run-medic.js";

const BOT = "gitops-medic[bot]";
const at = (min: number) => new Date(Date.parse("2026-11-01T00:00:00Z") + min * 60_000).toISOString();

/** An incident issue the bot opened at `open` (minutes) and closed at `close`, with optional reopenings. */
function issue(
  number: number,
  alertname: string,
  key: string,
  severity: string,
  open: number,
  close: number,
  more: { reopen?: [number, number][]; comments?: { user: string; at: number }[] } = {},
): NonNullable<RecordedExportInput["issues"]>[number] {
  const events: { event: "closed" | "reopened"; actor: string; createdAt: string }[] = [
    { event: "closed", actor: BOT, createdAt: at(close) },
  ];
  for (const [r, c] of more.reopen ?? []) {
    events.push({ event: "reopened", actor: BOT, createdAt: at(r) });
    events.push({ event: "closed", actor: BOT, createdAt: at(c) });
  }
  const last = more.reopen?.at(-1)?.[1] ?? close;
  return {
    number,
    title: `${alertname} ${key}`,
    state: "closed",
    labels: ["incident", `severity:${severity}`],
    user: BOT,
    createdAt: at(open),
    closedAt: at(last),
    body: `<!-- medic:incident ${key} -->\n## ${alertname}\n`,
    comments: (more.comments ?? []).map((c, i) => ({
      id: number * 100 + i,
      user: c.user,
      createdAt: at(c.at),
      body: "looking",
    })),
    events,
  };
}

function exportFile(issues: NonNullable<RecordedExportInput["issues"]>, medicConfig: unknown = null): string {
  const dir = mkdtempSync(join(tmpdir(), "medic-noise-"));
  const file = join(dir, "export.json");
  const exp: RecordedExportInput = {
    kind: "gitops-medic/export",
    version: 1,
    repository: "acme/gitops",
    defaultBranch: "main",
    exportedAt: "2026-11-20T00:00:00Z",
    since: "2026-10-01T00:00:00Z",
    until: "2026-11-20T00:00:00Z",
    medicConfig,
    issues,
  };
  writeFileSync(file, JSON.stringify(exp));
  return file;
}

// CPUThrottling: 6 firings of 3–4 minutes nobody touched (one flapping back 20 minutes later).
// NodeDown: 2 long firings a person worked on.
const HISTORY = [
  issue(1, "CPUThrottlingHigh", "CPUThrottlingHigh/shop/web", "warning", 0, 3, { reopen: [[23, 27]] }),
  issue(2, "CPUThrottlingHigh", "CPUThrottlingHigh/shop/api", "warning", 1000, 1004),
  issue(3, "CPUThrottlingHigh", "CPUThrottlingHigh/shop/cart", "warning", 2000, 2003),
  issue(4, "CPUThrottlingHigh", "CPUThrottlingHigh/shop/db", "warning", 3000, 3004),
  issue(5, "CPUThrottlingHigh", "CPUThrottlingHigh/shop/web2", "warning", 4000, 4003),
  issue(6, "NodeDown", "NodeDown/node-1", "critical", 5000, 5120, {
    comments: [{ user: "alice", at: 5010 }],
  }),
  issue(7, "NodeDown", "NodeDown/node-2", "critical", 6000, 6003, { comments: [{ user: "bob", at: 6001 }] }),
];

describe("medic noise --from FILE", () => {
  it("json: per-alert statistics and the proposals from a hand-made history", async () => {
    const r = await runMedic(["noise", "--from", exportFile(HISTORY), "--format", "json"], tmpdir());
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(
      out.alerts.map((a: Record<string, unknown>) => [
        a.alertname,
        a.fired,
        a.flapped,
        a.selfResolved,
        a.neverRemediated,
        a.noisy,
      ]),
    ).toEqual([
      ["CPUThrottlingHigh", 6, 1, 6, 5, true],
      ["NodeDown", 2, 0, 0, 2, false],
    ]);
    expect(out.proposals.map((p: { id: string }) => p.id)).toEqual([
      "for:CPUThrottlingHigh",
      "severity:CPUThrottlingHigh",
    ]);
    expect(out.proposals[0].for).toBe("23m");
  });

  it("text report with thresholds from --config", async () => {
    const dir = mkdtempSync(join(tmpdir(), "medic-noise-cfg-"));
    writeFileSync(join(dir, "medic.yml"), "noise:\n  minFirings: 10\n");
    const r = await runMedic(
      ["noise", "--from", exportFile(HISTORY), "--config", join(dir, "medic.yml")],
      dir,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "acme/gitops\nAlert noise 2026-10-21T00:00:00.000Z – 2026-11-20T00:00:00.000Z",
    );
    expect(r.stdout).toContain(
      "      CPUThrottlingHigh  warning  fired 6×, flapped 1, self-resolved 6, never remediated 5/5 incidents",
    );
    expect(r.stdout).toContain("No tuning proposals.");
  });

  it.each([
    [["noise"], "--from FILE is required"],
    [["noise", "--from", "/nonexistent/x.json"], "cannot read /nonexistent/x.json: no such file"],
    [["noise", "--from", "FILE", "--format", "xml"], '--format must be text or json, not "xml"'],
    [
      ["noise", "--from", "FILE", "--now", "yesterday"],
      '--now must be a date such as 2026-11-01T00:00:00Z, not "yesterday"',
    ],
    [["noise", "--frm", "x"], "unknown option --frm"],
  ])("%j ⇒ exit 2: %s", async (args, message) => {
    const file = exportFile(HISTORY);
    const r = await runMedic(
      args.map((a) => (a === "FILE" ? file : a)),
      tmpdir(),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });

  it("a broken noise section in the recorded config names the field", async () => {
    const r = await runMedic(
      ["noise", "--from", exportFile(HISTORY, { noise: { flapWindow: "soon" } })],
      tmpdir(),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("field `noise.flapWindow`");
  });
});
