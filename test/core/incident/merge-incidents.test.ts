import { describe, expect, it } from "vitest";
import type { Incident, Signal } from "../../../src/core/incident/incident.js";
import { mergeIncidents } from "../../../src/core/incident/merge-incidents.js";

const sig = (
  fp: string,
  status: "firing" | "resolved",
  startsAt: string,
  over: Partial<Signal> = {},
): Signal => ({
  source: "alertmanager",
  name: "A",
  status,
  labels: {},
  annotations: {},
  startsAt,
  fingerprint: fp,
  ...over,
});
const inc = (signals: Signal[], over: Partial<Incident> = {}): Incident => ({
  key: "A/x",
  title: "A in x",
  severity: "warning",
  status: "firing",
  signals,
  labels: {},
  startsAt: "2026-11-27T10:00:00Z",
  ...over,
});

describe("mergeIncidents", () => {
  it.each([
    [
      "each side's own signals are kept",
      [sig("a", "firing", "2026-11-27T10:00:00Z")],
      [sig("b", "firing", "2026-11-27T10:01:00Z")],
      "a:firing b:firing",
    ],
    [
      "within one episode resolved wins",
      [sig("a", "firing", "2026-11-27T10:00:00Z")],
      [sig("a", "resolved", "2026-11-27T10:00:00Z")],
      "a:resolved",
    ],
    [
      "a later episode wins over a resolved one",
      [sig("a", "firing", "2026-11-27T11:00:00Z")],
      [sig("a", "resolved", "2026-11-27T10:00:00Z")],
      "a:firing",
    ],
  ])("%s", (_name, ours, theirs, expected) => {
    const m = mergeIncidents(inc(ours), inc(theirs));
    expect(
      m.signals
        .map((s) => `${s.fingerprint}:${s.status}`)
        .sort()
        .join(" "),
    ).toBe(expected);
  });

  it("takes GitHub's status, the higher severity and count, and unites timelines in order", () => {
    const ours = inc([sig("a", "firing", "2026-11-27T10:00:00Z")], {
      severity: "critical",
      notifications: 3,
      timeline: [{ at: "2026-11-27T10:02:00Z", event: "signal-added", detail: "x" }],
    });
    const theirs = inc([sig("a", "resolved", "2026-11-27T10:00:00Z")], {
      status: "resolved",
      resolvedAt: "2026-11-27T10:30:00Z",
      notifications: 5,
      runbookId: "restart",
      timeline: [
        { at: "2026-11-27T10:00:00Z", event: "opened", detail: "" },
        { at: "2026-11-27T10:30:00Z", event: "resolved", detail: "" },
      ],
    });
    const m = mergeIncidents(ours, theirs);
    expect([m.status, m.resolvedAt, m.severity, m.notifications, m.runbookId]).toEqual([
      "resolved",
      "2026-11-27T10:30:00Z",
      "critical",
      5,
      "restart",
    ]);
    expect(m.timeline?.map((e) => e.event)).toEqual(["opened", "signal-added", "resolved"]);
    // Symmetric on signals: either replica computes the same set.
    expect(mergeIncidents(theirs, ours).signals).toEqual(m.signals);
  });
});
