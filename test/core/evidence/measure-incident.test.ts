import { describe, expect, it } from "vitest";
import { measureIncident } from "../../../src/core/evidence/measure-incident.js";

const t = (s: string) => Date.parse(`2026-11-0${s}Z`);
const SINCE = t("1T00:00:00");
const UNTIL = t("8T00:00:00");
const MIN = 60_000;

describe("measureIncident", () => {
  it.each([
    // name, started, detected, resolved, rootCauseDeployed, mttd, mttr, restore, note
    ["resolved", "2T10:00:00", "2T10:03:00", "2T10:45:00", null, 3 * MIN, 45 * MIN, 45 * MIN, null],
    [
      "open incident: no MTTR",
      "2T10:00:00",
      "2T10:01:00",
      null,
      null,
      1 * MIN,
      null,
      null,
      "open at the end",
    ],
    [
      "resolved after the range",
      "7T23:00:00",
      "7T23:05:00",
      "9T01:00:00",
      null,
      5 * MIN,
      null,
      null,
      "after the end",
    ],
    [
      "clock skew: resolved before start",
      "2T10:00:00",
      "2T10:02:00",
      "2T09:58:00",
      null,
      2 * MIN,
      null,
      null,
      "resolved before its recorded start",
    ],
    [
      "clock skew: detected before start",
      "2T10:00:00",
      "2T09:59:00",
      "2T10:30:00",
      null,
      null,
      30 * MIN,
      30 * MIN,
      "detected before its recorded start",
    ],
    [
      "restore starts at the root-cause deployment when earlier",
      "2T10:00:00",
      "2T10:05:00",
      "2T11:00:00",
      "2T09:30:00",
      5 * MIN,
      60 * MIN,
      90 * MIN,
      null,
    ],
    [
      "a later root-cause deployment does not shorten restore",
      "2T10:00:00",
      "2T10:05:00",
      "2T11:00:00",
      "2T10:30:00",
      5 * MIN,
      60 * MIN,
      60 * MIN,
      null,
    ],
  ] as const)("%s", (_name, started, detected, resolved, rc, mttd, mttr, restore, note) => {
    const m = measureIncident(
      {
        number: 1,
        startedAt: t(started),
        detectedAt: t(detected),
        resolvedAt: resolved ? t(resolved) : null,
        rootCauseDeployedAt: rc ? t(rc) : null,
      },
      SINCE,
      UNTIL,
    );
    expect(m).toMatchObject({ inRange: true, mttdMs: mttd, mttrMs: mttr, timeToRestoreMs: restore });
    if (note) expect(m.notes.join(" ")).toContain(note);
    else expect(m.notes).toEqual([]);
    for (const v of [m.mttdMs, m.mttrMs, m.timeToRestoreMs])
      if (v !== null) expect(v).toBeGreaterThanOrEqual(0);
  });

  it.each([
    ["before the range", "1T00:00:00", false],
    ["at since (inclusive)", "1T00:00:00", true],
    ["at until (exclusive)", "8T00:00:00", false],
  ] as const)("detected %s", (name, detected, inRange) => {
    const since = name === "before the range" ? t("1T00:00:01") : SINCE;
    const m = measureIncident(
      { number: 1, startedAt: t(detected), detectedAt: t(detected), resolvedAt: null },
      since,
      UNTIL,
    );
    expect(m.inRange).toBe(inRange);
  });
});
