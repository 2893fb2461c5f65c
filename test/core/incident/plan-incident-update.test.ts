import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { IncidentsConfig } from "../../../src/core/config/sections/incidents.js";
import { parseAlertmanagerPayload } from "../../../src/core/incident/alertmanager.js";
import {
  type CurrentIncident,
  type IncidentPlan,
  type PlanOptions,
  planIncidentUpdate,
} from "../../../src/core/incident/plan-incident-update.js";
import { signalsFromPayload } from "../../../src/core/incident/signals-from-payload.js";

const cfg = IncidentsConfig.parse({});
const opts: PlanOptions = {
  reopenWindowMs: 24 * 3600_000,
  commentCooldownMs: 5 * 60_000,
  bodyUpdateIntervalMs: 60_000,
  resolveMissingAfterMs: 5 * 60_000,
};
const T0 = Date.parse("2026-11-27T10:00:00Z");
const KEY = "KubePodCrashLooping/shop/checkout";

function alert(
  pod: string,
  status: "firing" | "resolved",
  startsAt = "2026-11-27T09:58:00Z",
  endsAt?: string,
) {
  return `
  - status: ${status}
    labels: { alertname: KubePodCrashLooping, namespace: shop, pod: ${podName(pod)}, severity: warning }
    annotations: { summary: "Pod is crash looping" }
    startsAt: "${startsAt}"
    endsAt: "${endsAt ?? (status === "resolved" ? "2026-11-27T10:30:00Z" : "0001-01-01T00:00:00Z")}"
    fingerprint: fp-${pod}`;
}
/** Replicas of one deployment: `a` → `checkout-7d9f8b6c5-bbbbb`, so all share the incident key. */
function podName(short: string): string {
  return `checkout-7d9f8b6c5-${({ a: "b", b: "c", c: "d" } as Record<string, string>)[short]?.repeat(5)}`;
}
function payload(alerts: string[], truncatedAlerts = 0) {
  const res = parseAlertmanagerPayload(
    parse(`
version: "4"
groupKey: '{}:{alertname="KubePodCrashLooping", namespace="shop"}'
truncatedAlerts: ${truncatedAlerts}
status: firing
receiver: medic
alerts:${alerts.join("")}
`),
  );
  if (!res.ok) throw new Error(res.path);
  return res.payload;
}

/** Applies plans the way the workflow does, so multi-step stories can be told as tables. */
class Story {
  current: CurrentIncident | null = null;
  tombstones = new Set<string>();
  plans: IncidentPlan[] = [];
  receive(alerts: string[], atMin: number, truncated = 0): IncidentPlan {
    const now = T0 + atMin * 60_000;
    const p = payload(alerts, truncated);
    const signals = signalsFromPayload(p, cfg, now).filter((s) => s.ownKey === KEY);
    const completeGroups =
      p.truncatedAlerts === 0 ? { [p.groupKey]: p.alerts.map((a) => a.fingerprint) } : {};
    const plan = planIncidentUpdate(
      { key: KEY, current: this.current, signals, completeGroups, tombstones: this.tombstones, now },
      opts,
    );
    for (const t of plan.tombstones) this.tombstones.add(t);
    if (plan.incident && plan.action !== "none") {
      const wasOpen = this.current?.issueOpen ?? false;
      this.current = {
        incident: { ...plan.incident, issueNumber: 7 },
        issueOpen:
          plan.action === "resolve"
            ? false
            : plan.action === "open" || plan.action === "reopen"
              ? true
              : wasOpen,
        closedAt: plan.action === "resolve" ? now : undefined,
        lastCommentAt: plan.comment ? now : this.current?.lastCommentAt,
        lastBodyWriteAt: plan.action === "defer" ? this.current?.lastBodyWriteAt : now,
      };
    }
    this.plans.push(plan);
    return plan;
  }
  actions(): string {
    return this.plans.map((p) => p.action + (p.comment ? `+${p.comment.kind}` : "")).join(" ");
  }
}

describe("planIncidentUpdate: lifecycle", () => {
  it.each([
    ["firing opens one incident", [[["a:firing"], 0]], "open"],
    [
      "three HA copies at 0/15/30 s: one open, then count-only deferrals",
      [
        [["a:firing"], 0],
        [["a:firing"], 0.25],
        [["a:firing"], 0.5],
      ],
      "open defer defer",
    ],
    [
      "a repeat after the body interval rewrites the body",
      [
        [["a:firing"], 0],
        [["a:firing"], 2],
      ],
      "open update",
    ],
    [
      "resolved closes with the resolution comment",
      [
        [["a:firing"], 0],
        [["a:resolved"], 30],
      ],
      "open resolve+resolved",
    ],
    [
      "resolved before firing: nothing, and the late firing copy is ignored",
      [
        [["a:resolved"], 0],
        [["a:firing"], 0.25],
      ],
      "none none",
    ],
    [
      "a lagging HA firing copy after resolve does not reopen",
      [
        [["a:firing"], 0],
        [["a:resolved"], 30],
        [["a:firing"], 30.25],
      ],
      "open resolve+resolved none",
    ],
    [
      "more replicas failing are counts: deferred, then written once the interval passed",
      [
        [["a:firing"], 0],
        [["a:firing", "b:firing"], 0.5],
        [["a:firing", "b:firing", "c:firing"], 1.5],
      ],
      "open defer update",
    ],
    [
      "one replica recovering inside the interval is a count too",
      [
        [["a:firing", "b:firing"], 0],
        [["a:resolved", "b:firing"], 0.5],
      ],
      "open defer",
    ],
    [
      "one of two replicas resolving updates the body, no close",
      [
        [["a:firing", "b:firing"], 0],
        [["a:resolved", "b:firing"], 5],
      ],
      "open update",
    ],
    [
      "recurrence within the window reopens",
      [
        [["a:firing"], 0],
        [["a:resolved"], 30],
        [["a:firing@10:50"], 50],
      ],
      "open resolve+resolved reopen+reopened",
    ],
  ])("%s", (_name, steps, expected) => {
    const story = new Story();
    for (const [alerts, at] of steps as [string[], number][]) {
      story.receive(
        alerts.map((a) => {
          const [pod, rest] = a.split(":") as [string, string];
          const [status, start] = rest.split("@") as ["firing" | "resolved", string | undefined];
          return alert(pod, status, start ? `2026-11-27T${start}:00Z` : undefined);
        }),
        at,
      );
    }
    expect(story.actions()).toBe(expected);
  });

  it("records MTTD and MTTR inputs and a timeline", () => {
    const story = new Story();
    story.receive([alert("a", "firing")], 0);
    const resolved = story.receive([alert("a", "resolved")], 31);
    const inc = resolved.incident!;
    expect(inc.startsAt).toBe("2026-11-27T09:58:00.000Z");
    expect(inc.openedAt).toBe("2026-11-27T10:00:00.000Z");
    expect(inc.resolvedAt).toBe("2026-11-27T10:30:00.000Z");
    expect(inc.status).toBe("resolved");
    expect(inc.timeline?.map((e) => e.event)).toEqual(["firing", "opened", "signal-resolved", "resolved"]);
  });

  it("a recurrence after the reopen window opens a new issue linked to the old one", () => {
    const story = new Story();
    story.receive([alert("a", "firing")], 0);
    story.receive([alert("a", "resolved")], 30);
    const plan = story.receive([alert("a", "firing", "2026-11-29T10:00:00Z")], 60 * 48);
    expect(plan.action).toBe("open");
    expect(plan.incident?.previousIssue).toBe(7);
    expect(plan.incident?.timeline?.at(-1)?.detail).toBe("recurrence of #7");
  });

  it("raises severity and says so", () => {
    const story = new Story();
    story.receive([alert("a", "firing")], 0);
    const crit = alert("b", "firing").replace("severity: warning", "severity: critical");
    const plan = story.receive([alert("a", "firing"), crit], 1);
    expect(plan.incident?.severity).toBe("critical");
    expect(plan.comment?.lines).toContain("Severity raised from warning to critical");
  });
});

describe("planIncidentUpdate: truncated groups", () => {
  it.each([
    ["complete group, member unseen for 10 min ⇒ resolved", 0, 10, "resolve"],
    ["complete group, member seen 1 min ago (HA lag) ⇒ kept firing", 0, 1, "update"],
    ["truncated group, member unseen for 10 min ⇒ kept firing", 3, 10, "update"],
  ])("%s", (_name, truncated, gapMin, expected) => {
    const story = new Story();
    story.receive([alert("a", "firing"), alert("b", "firing")], 0);
    // b disappears from the group; a resolves explicitly.
    const plan = story.receive([alert("a", "resolved")], gapMin, truncated);
    expect(plan.action).toBe(expected);
    const b = plan.incident?.signals.find((s) => s.fingerprint === "fp-b");
    expect(b?.status).toBe(expected === "resolve" ? "resolved" : "firing");
  });
});

describe("planIncidentUpdate: children", () => {
  it("attaches children to an active incident and hands them back when it is not active", () => {
    const story = new Story();
    story.receive([alert("a", "firing")], 0);
    const now = T0 + 60_000;
    const child = {
      source: "alertmanager" as const,
      name: "KubePodNotReady",
      status: "firing" as const,
      labels: { alertname: "KubePodNotReady", node: "n1" },
      annotations: {},
      startsAt: "2026-11-27T10:00:30Z",
      fingerprint: "child-1",
      role: "child" as const,
      correlation: "pods-on-pressured-node",
    };
    const attached = planIncidentUpdate(
      { key: KEY, current: story.current, signals: [child], completeGroups: {}, tombstones: new Set(), now },
      opts,
    );
    expect(attached.action).toBe("update");
    expect(attached.comment?.lines[0]).toMatch(/^Correlated signal attached: KubePodNotReady n1/);
    const handedBack = planIncidentUpdate(
      { key: KEY, current: null, signals: [child], completeGroups: {}, tombstones: new Set(), now },
      opts,
    );
    expect(handedBack.action).toBe("none");
    expect(handedBack.unrouted).toHaveLength(1);
  });
});
