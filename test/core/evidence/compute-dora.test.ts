import { describe, expect, it } from "vitest";
import {
  computeDora,
  durationBucket,
  failureBucket,
  frequencyBucket,
} from "../../../src/core/evidence/compute-dora.js";
import type { IncidentMeasure } from "../../../src/core/evidence/measure-incident.js";
import { median, percentile, weekStart } from "../../../src/core/evidence/stats.js";

const H = 3_600_000;
const D = 24 * H;
const SINCE = Date.parse("2026-11-02T00:00:00Z"); // a Monday
const UNTIL = SINCE + 14 * D;

const inc = (
  number: number,
  restore: number | null,
  extra: Partial<IncidentMeasure> = {},
): IncidentMeasure => ({
  number,
  inRange: true,
  mttdMs: 60_000,
  mttrMs: restore,
  timeToRestoreMs: restore,
  notes: [],
  ...extra,
});

describe("stats", () => {
  it.each([
    [[], null],
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
  ])("median(%j) = %j", (xs, m) => expect(median(xs)).toBe(m));
  it("percentile interpolates like PERCENTILE_CONT", () => expect(percentile([0, 10], 0.9)).toBe(9));
  it("weeks start on Monday UTC", () => {
    expect(new Date(weekStart(Date.parse("2026-11-08T23:59:00Z"))).toISOString()).toBe(
      "2026-11-02T00:00:00.000Z",
    );
    expect(new Date(weekStart(Date.parse("2026-11-09T00:00:00Z"))).toISOString()).toBe(
      "2026-11-09T00:00:00.000Z",
    );
  });
});

describe("computeDora", () => {
  it("an empty range gives zeros and nulls, never NaN", () => {
    const d = computeDora({
      deployments: [],
      incidents: [],
      detectedAt: new Map(),
      since: SINCE,
      until: UNTIL,
    });
    expect(d.deploymentFrequency).toEqual({ deployments: 0, days: 14, perDay: 0, perWeek: 0, bucket: null });
    expect(d.leadTime).toEqual({ changes: 0, medianMs: null, p90Ms: null, bucket: null });
    expect(d.changeFailureRate).toEqual({ deployments: 0, failed: 0, rate: null, bucket: null });
    expect(d.timeToRestore).toEqual({ incidents: 0, medianMs: null, bucket: null });
    expect(d.weekly).toHaveLength(2);
    expect(JSON.stringify(d)).not.toContain("NaN");
  });

  it("a zero-length range has no weeks and no division by zero", () => {
    const d = computeDora({
      deployments: [{ at: SINCE, failed: false, leadTimesMs: [1] }],
      incidents: [],
      detectedAt: new Map(),
      since: SINCE,
      until: SINCE,
    });
    expect(d.deploymentFrequency.perDay).toBe(0);
    expect(d.weekly).toEqual([]);
  });

  it("computes the four keys over hand-made deployments and incidents", () => {
    const deployments = [
      { at: SINCE + 1 * D, failed: false, leadTimesMs: [2 * H, 4 * H] },
      { at: SINCE + 2 * D, failed: true, leadTimesMs: [6 * H] },
      { at: SINCE + 3 * D, failed: false, leadTimesMs: [] }, // a revert: no new change of its own
      { at: SINCE + 9 * D, failed: false, leadTimesMs: [30 * H] },
      { at: UNTIL + D, failed: true, leadTimesMs: [1] }, // outside: ignored
    ];
    const incidents = [inc(1, 2 * H), inc(2, 4 * H), inc(3, null), inc(4, 99 * H, { inRange: false })];
    const detectedAt = new Map([
      [1, SINCE + 2 * D],
      [2, SINCE + 8 * D],
      [3, SINCE + 9 * D],
      [4, SINCE - D],
    ]);
    const d = computeDora({ deployments, incidents, detectedAt, since: SINCE, until: UNTIL });
    expect(d.deploymentFrequency).toMatchObject({ deployments: 4, days: 14, perDay: 4 / 14, perWeek: 2 });
    expect(d.leadTime).toMatchObject({ changes: 4, medianMs: 5 * H, bucket: "less than one day" });
    expect(d.changeFailureRate).toEqual({ deployments: 4, failed: 1, rate: 0.25, bucket: "16-45%" });
    expect(d.timeToRestore).toEqual({ incidents: 2, medianMs: 3 * H, bucket: "less than one day" });
    expect(
      d.weekly.map((w) => [w.deployments, w.failedDeployments, w.incidents, w.timeToRestoreMedianMs]),
    ).toEqual([
      [3, 1, 1, 2 * H],
      [1, 0, 2, 4 * H],
    ]);
  });

  it.each([
    [null, null],
    [0, "0-15%"],
    [0.15, "0-15%"],
    [0.16, "16-45%"],
    [0.5, "46-100%"],
  ])("failure rate %j ⇒ %j", (rate, bucket) => expect(failureBucket(rate)).toBe(bucket));

  it.each([
    [H, "less than one day"],
    [2 * D, "one day to one week"],
    [10 * D, "one week to one month"],
    [60 * D, "one to six months"],
    [400 * D, "more than six months"],
  ])("duration %d ms ⇒ %s", (ms, bucket) => expect(durationBucket(ms)).toBe(bucket));

  it.each([
    ["daily", [0, 1, 2, 7, 8, 9].map((d) => SINCE + d * D + H), 21],
    ["weekly", [SINCE + H, SINCE + 8 * D], 21],
    ["monthly", [SINCE + H, SINCE + 35 * D, SINCE + 70 * D], 84],
    ["yearly", [SINCE + H], 84],
  ] as const)("Four Keys frequency bucket %s", (bucket, times, days) => {
    expect(frequencyBucket(times, SINCE, SINCE + days * D)).toBe(bucket);
  });
});
