import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultMedicConfig } from "../../src/core/config/medic-config.js";
import { readDashboardState, renderDashboardState } from "../../src/core/dashboard/dashboard-boxes.js";
import { type AutomationSwitch, withPauseNotice } from "../../src/workflows/ports/automation-switch.js";
import type { CheckRunInput, Checks } from "../../src/workflows/ports/checks.js";
import { manualClock } from "../../src/workflows/ports/clock.js";
import type { DashboardIssue, DashboardSource, DashboardStore } from "../../src/workflows/ports/dashboard.js";
import { silentLogger } from "../../src/workflows/ports/logger.js";
import { updateDashboard } from "../../src/workflows/update-dashboard.js";

const template = readFileSync(new URL("../../templates/dashboard.md", import.meta.url), "utf8");

const source: DashboardSource = {
  openIncidents: async () => [
    {
      number: 7,
      url: "https://github.com/acme/gitops/issues/7",
      title: "disk full",
      severity: "warning",
      startedAt: Date.parse("2026-01-01T00:00:00Z"),
    },
  ],
  pullRequests: async () => [],
  reverts: async () => [],
  quarantined: async () => [
    { image: "ghcr.io/acme/web:1.2.3", reason: "Degraded", since: "2026-01-01T00:00:00Z" },
  ],
  incidentHistory: async () => [],
  tuningPrs: async () => ({}),
};

function store(found: DashboardIssue | null) {
  const writes: string[] = [];
  const s: DashboardStore = {
    find: async () => found,
    create: async (title, body) => {
      writes.push(`create ${title}`);
      found = { number: 90, url: "u", body };
      return found;
    },
    update: async (n, body, reopen) => {
      writes.push(`update #${n}${reopen ? " reopen" : ""}`);
      found = { number: n, url: "u", body };
    },
    reply: async () => {},
  };
  return { s, writes, current: () => found };
}

const run = (st: DashboardStore, clock = manualClock("2026-01-01T02:00:00Z")) =>
  updateDashboard(
    { store: st, source, clock, logger: silentLogger, template },
    { repo: "acme/gitops", config: defaultMedicConfig() },
  );

describe("updateDashboard", () => {
  it("creates once, then writes nothing while only the time (ages, Updated line) changed", async () => {
    const f = store(null);
    expect(await run(f.s)).toEqual({ kind: "created", number: 90 });
    expect(f.current()!.body).toContain("`ghcr.io/acme/web:1.2.3` — Degraded");
    expect(await run(f.s, manualClock("2026-01-01T05:00:00Z"))).toEqual({ kind: "unchanged", number: 90 });
    expect(f.writes).toEqual(["create gitops-medic dashboard"]);
  });

  it("a closed dashboard is reopened by the update; the stored pause survives the re-render", async () => {
    const f = store({
      number: 90,
      url: "u",
      body: `old\n${renderDashboardState({ paused: true, pausedBy: "olivia" })}`,
      closed: true,
    });
    expect(await run(f.s)).toEqual({ kind: "updated", number: 90 });
    expect(f.writes).toEqual(["update #90 reopen"]);
    expect(readDashboardState(f.current()!.body)).toEqual({ paused: true, pausedBy: "olivia" });
  });

  it("disabled in config ⇒ nothing read or written", async () => {
    const f = store(null);
    const config = {
      ...defaultMedicConfig(),
      dashboard: { ...defaultMedicConfig().dashboard, enabled: false },
    };
    expect(
      await updateDashboard(
        { store: f.s, source, clock: manualClock(0), logger: silentLogger, template },
        { repo: "acme/gitops", config },
      ),
    ).toEqual({ kind: "disabled" });
    expect(f.writes).toEqual([]);
  });
});

describe("withPauseNotice (check runs while paused)", () => {
  const run: CheckRunInput = {
    name: "medic/policy",
    headSha: "a".repeat(40),
    status: "completed",
    conclusion: "success",
    title: "3 rules passed",
    summary: "All good.",
  };
  const recorder = () => {
    const sent: CheckRunInput[] = [];
    const checks: Checks = {
      createOrUpdate: async (r) => {
        sent.push(r);
        return { id: 1 };
      },
    };
    return { sent, checks };
  };
  it.each([
    [
      "paused",
      { paused: async () => ({ paused: true as const, by: "olivia" }) },
      "Automation paused — 3 rules passed",
      '> **Automation paused**: automation paused by @olivia on the dashboard issue; untick "Pause all automation" to resume.\n\nAll good.',
    ],
    ["not paused", { paused: async () => ({ paused: false as const }) }, "3 rules passed", "All good."],
    [
      "switch unreadable",
      { paused: async () => Promise.reject(new Error("502")) },
      "3 rules passed",
      "All good.",
    ],
  ] as [string, AutomationSwitch, string, string][])("%s", async (_n, automation, title, summary) => {
    const r = recorder();
    await withPauseNotice(r.checks, automation).createOrUpdate(run);
    expect(r.sent).toEqual([{ ...run, title, summary }]);
  });
});
