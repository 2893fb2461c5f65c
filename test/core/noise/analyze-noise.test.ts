import { describe, expect, it } from "vitest";
import { NoiseConfig } from "../../../src/core/config/sections/noise.js";
import { analyzeNoise } from "../../../src/core/noise/analyze-noise.js";
import type { IncidentHistory } from "../../../src/core/noise/noise-history.js";

const T0 = Date.parse("2026-11-01T00:00:00Z");
const MIN = 60_000;
const NOW = Date.parse("2026-11-20T00:00:00Z");
const config = NoiseConfig.parse({});

/** An incident with episodes given as [startMinute, endMinute|null] from T0. */
function inc(
  number: number,
  alertname: string,
  episodes: [number, number | null][],
  extra: Partial<IncidentHistory> & { labels?: Record<string, string> } = {},
): IncidentHistory & { labels?: Record<string, string> } {
  return {
    number,
    key: extra.key ?? `${alertname}/shop/${number}`,
    alertname,
    severity: extra.severity ?? "warning",
    episodes: episodes.map(([s, e]) => ({ start: T0 + s * MIN, end: e === null ? null : T0 + e * MIN })),
    actions: (extra.actions ?? []).map((m) => T0 + m * MIN),
    remediated: extra.remediated ?? false,
    ...(extra.labels ? { labels: extra.labels } : {}),
  };
}

describe("analyzeNoise: flapping", () => {
  it.each([
    // name, episodes of one incident key, expected flaps
    ["one firing", [[0, 30]], 0],
    [
      "reopened 10m after resolving",
      [
        [0, 30],
        [40, 70],
      ],
      1,
    ],
    [
      "reopened exactly at the window edge (60m)",
      [
        [0, 30],
        [90, 120],
      ],
      1,
    ],
    [
      "reopened 61m after resolving",
      [
        [0, 30],
        [91, 120],
      ],
      0,
    ],
    [
      "three quick reopenings",
      [
        [0, 5],
        [10, 15],
        [20, 25],
        [30, 35],
      ],
      3,
    ],
    ["still firing, never resolved", [[0, null]], 0],
  ] as const)("%s ⇒ %i flaps", (_name, episodes, flaps) => {
    const report = analyzeNoise({
      incidents: [inc(1, "A", episodes.map((e) => [...e]) as [number, number | null][], { key: "A/k" })],
      config,
      now: NOW,
    });
    expect(report.alerts[0]!.flapped).toBe(flaps);
    expect(report.alerts[0]!.fired).toBe(episodes.length);
  });

  it("a recurrence in a new issue of the same key counts as a flap; another key does not", () => {
    const report = analyzeNoise({
      incidents: [
        inc(1, "A", [[0, 10]], { key: "A/shop/x" }),
        inc(2, "A", [[20, 30]], { key: "A/shop/x" }),
        inc(3, "A", [[25, 35]], { key: "A/shop/y" }),
      ],
      config,
      now: NOW,
    });
    expect(report.alerts[0]).toMatchObject({ alertname: "A", fired: 3, flapped: 1, incidents: 3 });
  });
});

describe("analyzeNoise: self-resolving", () => {
  it.each([
    ["resolved in 5m, nobody acted", [[0, 5]], [], 1],
    ["resolved in exactly 10m", [[0, 10]], [], 1],
    ["resolved in 11m", [[0, 11]], [], 0],
    ["resolved in 5m after a person commented", [[0, 5]], [3], 0],
    ["comment before the firing does not count as action", [[10, 15]], [2], 1],
    ["still firing", [[0, null]], [], 0],
    [
      "two short firings, one with action",
      [
        [0, 4],
        [100, 104],
      ],
      [102],
      1,
    ],
  ] as const)("%s ⇒ %i self-resolved", (_name, episodes, actions, expected) => {
    const report = analyzeNoise({
      incidents: [
        inc(1, "A", episodes.map((e) => [...e]) as [number, number | null][], { actions: [...actions] }),
      ],
      config,
      now: NOW,
    });
    expect(report.alerts[0]!.selfResolved).toBe(expected);
  });
});

describe("analyzeNoise: noisy alerts and proposals", () => {
  const fiveShort = (name: string, base: number, opts: Partial<IncidentHistory> = {}) =>
    [0, 1, 2, 3, 4].map((i) => inc(base + i, name, [[i * 600, i * 600 + 4]], opts));

  it.each([
    ["5 short self-resolving firings", fiveShort("Short", 1), true],
    ["4 short firings are below minFirings", fiveShort("Short", 1).slice(0, 4), false],
    [
      "5 long firings are not noise",
      [0, 1, 2, 3, 4].map((i) => inc(1 + i, "Long", [[i * 600, i * 600 + 120]])),
      false,
    ],
  ] as const)("%s ⇒ noisy %s", (_name, incidents, noisy) => {
    const report = analyzeNoise({ incidents: [...incidents], config, now: NOW });
    expect(report.alerts[0]!.noisy).toBe(noisy);
    expect(report.proposals.some((p) => p.kind === "raise-for")).toBe(noisy);
  });

  it("raises for: past the 90th percentile of self-resolving durations, capped by maxFor", () => {
    const report = analyzeNoise({ incidents: fiveShort("Short", 1), config, now: NOW });
    // p90 of 4m durations = 4m; ×1.5 = 6m.
    expect(report.proposals).toContainEqual(
      expect.objectContaining({ id: "for:Short", kind: "raise-for", alertname: "Short", for: "6m" }),
    );
    const capped = analyzeNoise({
      incidents: fiveShort("Short", 1),
      config: NoiseConfig.parse({ maxFor: "5m" }),
      now: NOW,
    });
    expect(capped.proposals).toContainEqual(expect.objectContaining({ id: "for:Short", for: "5m" }));
  });

  it.each([
    ["never remediated warning ⇒ info", "warning", false, "info"],
    ["never remediated critical ⇒ warning", "critical", false, "warning"],
    ["remediated once ⇒ no severity proposal", "warning", true, null],
    ["info cannot go lower", "info", false, null],
  ] as const)("%s", (_name, severity, remediatedOnce, to) => {
    const incidents = fiveShort("Short", 1, { severity });
    if (remediatedOnce) incidents[0]!.remediated = true;
    const report = analyzeNoise({ incidents, config, now: NOW });
    const p = report.proposals.find((x) => x.kind === "lower-severity");
    if (to === null) expect(p).toBeUndefined();
    else expect(p).toMatchObject({ id: "severity:Short", from: severity, to });
  });

  it("firings outside the period are not counted", () => {
    const report = analyzeNoise({
      incidents: fiveShort("Short", 1),
      config: NoiseConfig.parse({ period: "1d" }),
      now: NOW,
    });
    expect(report.alerts).toEqual([]);
    expect(report.proposals).toEqual([]);
  });
});

describe("analyzeNoise: paired alerts", () => {
  const labels = (n: number) => ({ alertname: "x", namespace: "shop", node: `n${n}` });
  const series = (
    name: string,
    base: number,
    offsetMin: number,
    count: number,
    severity: "critical" | "warning",
  ) =>
    Array.from({ length: count }, (_, i) =>
      inc(base + i, name, [[i * 1000 + offsetMin, i * 1000 + offsetMin + 30]], {
        severity,
        labels: labels(i),
      }),
    );

  it.each([
    [
      "B starts 1m after every A ⇒ A inhibits B",
      [...series("NodeDown", 1, 0, 6, "critical"), ...series("PodsUnready", 100, 1, 6, "warning")],
      [{ source: "NodeDown", target: "PodsUnready", paired: 6, of: 6, equal: ["namespace", "node"] }],
    ],
    [
      "B starts 10m after A (outside pairWindow) ⇒ no pair",
      [...series("NodeDown", 1, 0, 6, "critical"), ...series("PodsUnready", 100, 10, 6, "warning")],
      [],
    ],
    [
      "B accompanies A only 5 of 6 times (83% < 90%) ⇒ no pair (and the warning never inhibits the critical)",
      [...series("NodeDown", 1, 0, 5, "critical"), ...series("PodsUnready", 100, 1, 6, "warning")],
      [],
    ],
    [
      "mutual pair of equal severity ⇒ one direction only (the rarer alert is the source)",
      [...series("A", 1, 0, 6, "warning"), ...series("B", 100, 1, 6, "warning")],
      [{ source: "A", target: "B", paired: 6, of: 6, equal: ["namespace", "node"] }],
    ],
    [
      "a warning that accompanies every critical never inhibits the critical",
      [...series("Disk", 1, 0, 6, "critical"), ...series("Slow", 100, 0, 12, "warning")],
      [],
    ],
  ] as const)("%s", (_name, incidents, expected) => {
    const report = analyzeNoise({ incidents: [...incidents], config, now: NOW });
    expect(report.pairs).toEqual(expected);
    expect(report.proposals.filter((p) => p.kind === "inhibit").map((p) => p.id)).toEqual(
      expected.map((e) => `inhibit:${e.source}:${e.target}`),
    );
  });
});
