import { describe, expect, it } from "vitest";
import { appendTimelineEntry } from "../../../src/core/incident/append-timeline-entry.js";
import type { Incident, TimelineEntry } from "../../../src/core/incident/incident.js";
import { MAX_TIMELINE } from "../../../src/core/incident/plan-incident-update.js";
import { renderTimeline } from "../../../src/core/incident/render-incident-issue.js";

const incident = (timeline: TimelineEntry[]): Incident => ({
  key: "KubePodCrashLooping/shop/checkout",
  title: "t",
  severity: "warning",
  status: "firing",
  signals: [],
  labels: {},
  startsAt: "2026-11-27T10:00:00Z",
  timeline,
});
const opened: TimelineEntry = {
  at: "2026-11-27T10:00:00Z",
  event: "opened",
  detail: "incident issue opened",
};
const pr: TimelineEntry = {
  at: "2026-11-27T10:01:00Z",
  event: "remediation",
  detail: "remediation PR #12 (crashloop-rollback)",
  url: "https://github.com/acme/gitops/pull/12",
};

describe("appendTimelineEntry", () => {
  it.each([
    ["a new line is added", [opened], pr, true, [opened, pr]],
    ["the same line again is not", [opened, pr], { ...pr, at: "2026-11-27T10:05:00Z" }, false, [opened, pr]],
    ["a late line is placed at its time", [pr], opened, true, [opened, pr]],
    [
      "another link is another line",
      [pr],
      { ...pr, url: "https://github.com/acme/gitops/pull/13" },
      true,
      [pr, { ...pr, url: "https://github.com/acme/gitops/pull/13" }],
    ],
  ] as const)("%s", (_name, before, entry, added, after) => {
    const inc = incident([...before]);
    expect(appendTimelineEntry(inc, entry)).toBe(added);
    expect(inc.timeline).toEqual(after);
  });

  it("keeps the newest MAX_TIMELINE lines and counts the dropped ones", () => {
    const many = Array.from({ length: MAX_TIMELINE }, (_, i) => ({
      ...opened,
      at: new Date(Date.parse(opened.at) + i).toISOString(),
      detail: `line ${i}`,
    }));
    const inc = incident(many);
    appendTimelineEntry(inc, { ...pr, at: "2026-11-28T00:00:00Z" });
    expect(inc.timeline).toHaveLength(MAX_TIMELINE);
    expect(inc.timeline?.[0]?.detail).toBe("line 1");
    expect(inc.timelineDropped).toBe(1);
  });
});

describe("renderTimeline links", () => {
  it.each([
    [
      "an http(s) link is rendered",
      "https://github.com/acme/gitops/pull/12",
      " ([link](https://github.com/acme/gitops/pull/12))",
    ],
    ["a javascript: link is not", "javascript:alert(1)", ""],
    ["no link, nothing", undefined, ""],
  ])("%s", (_name, url, suffix) => {
    const table = renderTimeline([{ ...pr, ...(url ? { url } : { url: undefined }) }]);
    expect(table.split("\n")[2]).toBe(
      `| 2026-11-27 10:01:00 UTC | remediation | remediation PR #&#8203;12 \\(crashloop-rollback\\)${suffix} |`,
    );
  });
});
