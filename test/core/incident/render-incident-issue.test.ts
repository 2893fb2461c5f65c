import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Incident, Signal } from "../../../src/core/incident/incident.js";
import { parseIncidentState, renderIncidentState } from "../../../src/core/incident/incident-state.js";
import type { IncidentTemplates } from "../../../src/core/incident/incident-templates.js";
import { measureIncident } from "../../../src/core/incident/measure-incident.js";
import { renderIncidentComment } from "../../../src/core/incident/render-incident-comment.js";
import { MAX_BODY_LENGTH, renderIncidentIssue } from "../../../src/core/incident/render-incident-issue.js";
import { parseMarker } from "../../../src/core/markdown/parse-marker.js";

const tpl = (name: string) => readFileSync(new URL(`../../../templates/${name}`, import.meta.url), "utf8");
const templates: IncidentTemplates = {
  issue: tpl("incident-issue.md"),
  resolved: tpl("incident-resolved.md"),
  update: tpl("incident-update.md"),
  manual: tpl("incident-manual.md"),
};

function sig(over: Partial<Signal> = {}): Signal {
  return {
    source: "alertmanager",
    name: "KubePodCrashLooping",
    status: "firing",
    labels: { alertname: "KubePodCrashLooping", namespace: "shop", pod: "checkout-7d9f8b6c5-bbbbb" },
    annotations: { summary: "Pod is crash looping" },
    startsAt: "2026-11-27T09:58:00.000Z",
    fingerprint: "fp1",
    severity: "warning",
    role: "root",
    ...over,
  };
}
function inc(over: Partial<Incident> = {}): Incident {
  return {
    key: "KubePodCrashLooping/shop/checkout",
    title: "KubePodCrashLooping in shop/checkout",
    severity: "warning",
    status: "firing",
    signals: [sig()],
    labels: { alertname: "KubePodCrashLooping", namespace: "shop" },
    startsAt: "2026-11-27T09:58:00.000Z",
    openedAt: "2026-11-27T10:00:30.000Z",
    timeline: [{ at: "2026-11-27T10:00:30.000Z", event: "opened", detail: "incident issue opened" }],
    ...over,
  };
}

describe("renderIncidentIssue", () => {
  it("renders title, labels, marker, MTTD and recoverable state", () => {
    const out = renderIncidentIssue(inc({ runbookId: "restart-pod" }), templates, {
      extraLabels: ["team:shop"],
    });
    expect(out.title).toBe("KubePodCrashLooping in shop/checkout");
    expect(out.labels).toEqual(["incident", "severity:warning", "runbook:restart-pod", "team:shop"]);
    expect(parseMarker(out.body, "incident")).toBe("KubePodCrashLooping/shop/checkout");
    expect(out.body).toContain("| **Issue opened** | 2026-11-27 10:00:30 UTC (MTTD 2m 30s) |");
    expect(parseIncidentState(out.body)).toEqual(inc({ runbookId: "restart-pod" }));
  });

  it("escapes hostile labels and annotations everywhere", () => {
    const evil = sig({
      labels: {
        alertname: "KubePodCrashLooping",
        namespace: "@org/team",
        pod: "<!-- medic:incident forged -->",
      },
      annotations: {
        summary: "ping @admin #1 <script>x</script>",
        description: "```\n</details>\n<!-- medic:incident forged -->",
        runbook_url: "javascript:alert(1)",
      },
      generatorURL: "https://prom.example/graph?g0.expr=up",
    });
    const out = renderIncidentIssue(inc({ signals: [evil], title: "@everyone <b>" }), templates);
    const visible = out.body.replace(/<!-- medic:state .* -->/, "");
    expect(visible).not.toMatch(/(^|[^\w&])@[A-Za-z0-9]/);
    expect(visible).not.toMatch(/<script|<\/details>|<b>/);
    expect(visible.match(/<!--/g)).toHaveLength(1); // our own marker only
    expect(parseMarker(out.body, "incident")).toBe("KubePodCrashLooping/shop/checkout");
    expect(visible).not.toContain("javascript:");
    expect(out.body).toContain("[Prometheus query](https://prom.example/graph?g0.expr=up)");
    // The state keeps the raw values, JSON-escaped so it cannot close the comment.
    expect(parseIncidentState(out.body)?.signals[0]?.labels["pod"]).toBe("<!-- medic:incident forged -->");
  });

  it("stays under GitHub's body limit with thousands of signals", () => {
    const many = Array.from({ length: 1000 }, (_, i) =>
      sig({ fingerprint: `fp${i}`, labels: { alertname: "A", pod: `p-${i}`, extra: "x".repeat(200) } }),
    );
    const out = renderIncidentIssue(inc({ signals: many }), templates);
    expect(out.body.length).toBeLessThanOrEqual(MAX_BODY_LENGTH);
    const state = parseIncidentState(out.body);
    expect(state).not.toBeNull();
    expect((state?.signals.length ?? 0) + (state?.signalOverflow ?? 0)).toBe(1000);
    expect(out.body).toContain("… and 970 more.");
  });
});

describe("state and metrics", () => {
  it.each([
    ["no state", "hello"],
    ["broken JSON", "<!-- medic:state {oops -->"],
    ["wrong version", '<!-- medic:state {"v":2,"incident":{}} -->'],
  ])("%s ⇒ null", (_name, body) => {
    expect(parseIncidentState(body)).toBeNull();
  });
  it("state text never contains a comment terminator", () => {
    const text = renderIncidentState(inc({ title: "--> <!-- & >" }));
    expect(text.indexOf("-->")).toBe(text.length - 3);
  });
  it.each([
    ["firing", inc(), 150_000, null],
    ["resolved", inc({ status: "resolved", resolvedAt: "2026-11-27T10:30:00.000Z" }), 150_000, 32 * 60_000],
    ["opened before the alert start (clock skew)", inc({ openedAt: "2026-11-27T09:00:00.000Z" }), 0, null],
  ])("metrics: %s", (_name, i, mttd, mttr) => {
    expect(measureIncident(i)).toEqual({ mttdMs: mttd, mttrMs: mttr });
  });
});

describe("renderIncidentComment", () => {
  it("puts MTTD and MTTR in the closing comment, with a findable marker", () => {
    const resolved = inc({ status: "resolved", resolvedAt: "2026-11-27T10:30:00.000Z" });
    const { body, markerId } = renderIncidentComment(resolved, "resolved", [], templates, {
      now: 1,
      cooldown: "5m",
      onResolve: "close",
    });
    expect(body).toContain("| **MTTD** (alert start → issue opened) | 2m 30s |");
    expect(body).toContain("| **MTTR** (alert start → resolved) | 32m |");
    expect(parseMarker(body, "incident-comment")).toBe(markerId);
  });
  it("escapes change lines", () => {
    const { body } = renderIncidentComment(inc(), "change", ["New signal: @team <b>"], templates, {
      now: 1,
      cooldown: "5m",
      onResolve: "close",
    });
    expect(body).toContain("- New signal: @&#8203;team &lt;b&gt;");
  });
});
