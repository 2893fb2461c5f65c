import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createMemoryAuditSink } from "../../src/adapters/memory/audit-sink.js";
import { createMemoryIncidentTracker } from "../../src/adapters/memory/create-memory-incident-tracker.js";
import { createMemoryKeyedLock } from "../../src/adapters/memory/create-memory-keyed-lock.js";
import { createVirtualTime } from "../../src/adapters/memory/create-virtual-time.js";
import { IncidentsConfig } from "../../src/core/config/sections/incidents.js";
import { parseAlertmanagerPayload } from "../../src/core/incident/alertmanager.js";
import { parseIncidentState } from "../../src/core/incident/incident-state.js";
import type { IncidentTemplates } from "../../src/core/incident/incident-templates.js";
import { parseMarker } from "../../src/core/markdown/parse-marker.js";
import type { IncidentWorkflowDeps } from "../../src/workflows/incident-deps.js";
import { createIncidentIndex, type IncidentIndex } from "../../src/workflows/incident-index.js";
import { ingestAlerts } from "../../src/workflows/ingest-alerts.js";
import { silentLogger } from "../../src/workflows/ports/logger.js";

const tpl = (name: string) => readFileSync(new URL(`../../templates/${name}`, import.meta.url), "utf8");
const templates: IncidentTemplates = {
  issue: tpl("incident-issue.md"),
  resolved: tpl("incident-resolved.md"),
  update: tpl("incident-update.md"),
  manual: tpl("incident-manual.md"),
};
const T0 = Date.parse("2026-11-27T10:00:00Z");

function harness(
  configYaml = "{}",
  shared?: { vt: ReturnType<typeof createVirtualTime>; mem: ReturnType<typeof createMemoryIncidentTracker> },
) {
  const vt = shared?.vt ?? createVirtualTime(T0);
  const mem = shared?.mem ?? createMemoryIncidentTracker(vt.clock, "acme/incidents");
  const config = IncidentsConfig.parse(parse(configYaml));
  let index: IncidentIndex | undefined;
  const deps: IncidentWorkflowDeps = {
    clock: vt.clock,
    logger: silentLogger,
    lock: createMemoryKeyedLock(),
    templates,
    defaultRepo: "acme/incidents",
    async indexFor() {
      index ??= createIncidentIndex(mem.tracker, {
        clock: vt.clock,
        logger: silentLogger,
        reopenWindowMs: 86_400_000,
      });
      return index;
    },
    async config() {
      return { config };
    },
    later(ms, fn) {
      vt.at(vt.clock.now() + ms, () => void fn());
    },
  };
  const send = async (atSec: number, yamlPayload: string) => {
    await vt.run(T0 + atSec * 1000);
    const res = parseAlertmanagerPayload(parse(yamlPayload));
    if (!res.ok) throw new Error(`${res.path}: ${res.message}`);
    return ingestAlerts(deps, res.payload);
  };
  /** Forget the in-memory index: what a restart does. */
  const restart = () => {
    index = undefined;
  };
  return { vt, mem, deps, send, restart };
}

const crash = (status: "firing" | "resolved", extra = "") => `
version: "4"
groupKey: '{}:{alertname="KubePodCrashLooping", namespace="shop"}'
truncatedAlerts: 0
status: ${status}
receiver: medic
externalURL: http://alertmanager:9093
alerts:
  - status: ${status}
    labels: { alertname: KubePodCrashLooping, namespace: shop, pod: checkout-7d9f8b6c5-bbbbb, node: worker-1, severity: warning }
    annotations: { summary: "Pod shop/checkout is crash looping" }
    startsAt: "2026-11-27T09:59:00Z"
    endsAt: "${status === "resolved" ? "2026-11-27T10:20:00Z" : "0001-01-01T00:00:00Z"}"
    fingerprint: "aaaaaaaaaaaaaaaa"
${extra}`;

describe("ingestAlerts", () => {
  it("opens one issue, ignores HA copies, flushes counts later, and closes with MTTD/MTTR", async () => {
    const h = harness();
    await h.send(0, crash("firing"));
    await h.send(15, crash("firing"));
    await h.send(30, crash("firing"));
    expect(h.mem.issues).toHaveLength(1);
    const issue = h.mem.issues[0]!;
    expect(issue.title).toBe("KubePodCrashLooping in shop/checkout");
    expect(issue.labels).toEqual(["incident", "severity:warning"]);
    expect(parseMarker(issue.body, "incident")).toBe("KubePodCrashLooping/shop/checkout");
    expect(issue.comments).toEqual([]);
    expect(h.mem.writes.map((w) => w.kind)).toEqual(["create"]);
    // The deferred count update lands once, a minute after the first write.
    await h.vt.run(T0 + 120_000);
    expect(h.mem.writes.map((w) => [w.kind, (w.at - T0) / 1000])).toEqual([
      ["create", 0],
      ["update", 60],
    ]);
    expect(parseIncidentState(issue.body)?.notifications).toBe(3);

    await h.send(1500, crash("resolved"));
    expect(issue.state).toBe("closed");
    expect(issue.comments).toHaveLength(1);
    expect(issue.comments[0]).toContain("| **MTTD** (alert start → issue opened) | 1m |");
    expect(issue.comments[0]).toContain("| **MTTR** (alert start → resolved) | 21m |");
    // A lagging HA peer's firing copy of the same episode does not reopen it.
    await h.send(1515, crash("firing"));
    expect(issue.state).toBe("closed");
    expect(h.mem.issues).toHaveLength(1);
  });

  it("leaves a ledger record when the incident opens and when it resolves, none for repeats", async () => {
    const h = harness();
    const audit = createMemoryAuditSink();
    h.deps.audit = audit;
    await h.send(0, crash("firing"));
    await h.send(15, crash("firing"));
    await h.send(1500, crash("resolved"));
    const number = h.mem.issues[0]!.number;
    expect(audit.records.map((r) => [r.action, r.incidentKey, r.subject, r.outcome])).toEqual([
      [
        "incident.opened",
        "KubePodCrashLooping/shop/checkout",
        expect.objectContaining({ kind: "issue", repo: "acme/incidents", number }),
        { status: "ok" },
      ],
      [
        "incident.resolved",
        "KubePodCrashLooping/shop/checkout",
        expect.objectContaining({ kind: "issue", repo: "acme/incidents", number }),
        { status: "ok" },
      ],
    ]);
    expect(audit.records[0]).toMatchObject({
      at: "2026-11-27T10:00:00.000Z",
      reason: "1 firing signal(s) for KubePodCrashLooping/shop/checkout (warning)",
      inputs: { severity: "warning", startsAt: "2026-11-27T09:59:00.000Z", signals: 1 },
    });
    expect(audit.records[1]).toMatchObject({
      at: "2026-11-27T10:25:00.000Z",
      inputs: { resolvedAt: "2026-11-27T10:20:00.000Z" },
    });
  });

  it("resolved before firing opens nothing", async () => {
    const h = harness();
    await h.send(0, crash("resolved"));
    await h.send(15, crash("firing"));
    expect(h.mem.issues).toHaveLength(0);
    expect(h.mem.writes).toHaveLength(0);
  });

  it("attaches a pod crash on a pressured node to the node incident", async () => {
    const h = harness();
    await h.send(
      0,
      `
version: "4"
groupKey: '{}:{alertname="KubeNodePressure"}'
status: firing
receiver: medic
alerts:
  - status: firing
    labels: { alertname: KubeNodePressure, node: worker-1, condition: MemoryPressure, status: "true", severity: info }
    startsAt: "2026-11-27T09:58:00Z"
    fingerprint: "bbbbbbbbbbbbbbbb"
`,
    );
    await h.send(60, crash("firing"));
    expect(h.mem.issues).toHaveLength(1);
    const node = h.mem.issues[0]!;
    expect(node.title).toBe("KubeNodePressure in worker-1");
    const state = parseIncidentState(node.body);
    expect(state?.signals.map((s) => [s.name, s.role, s.correlation])).toEqual([
      ["KubeNodePressure", "root", undefined],
      ["KubePodCrashLooping", "child", "pods-on-pressured-node"],
    ]);
    // The child raised severity to warning: one comment with both changes.
    expect(node.comments).toHaveLength(1);
    expect(node.comments[0]).toContain(
      "Correlated signal attached: KubePodCrashLooping checkout-7d9f8b6c5-bbbbb",
    );
    expect(node.labels).toContain("severity:warning");
  });

  it("recovers from a restart through the issues list: refire updates, resolve closes the same issue", async () => {
    const h = harness();
    await h.send(0, crash("firing"));
    h.restart();
    await h.send(120, crash("firing"));
    await h.send(1500, crash("resolved"));
    expect(h.mem.issues).toHaveLength(1);
    expect(h.mem.issues[0]?.state).toBe("closed");
  });

  it("in label mode keeps the issue open and labels it resolved, then reopens on recurrence", async () => {
    const h = harness("onResolve: label");
    await h.send(0, crash("firing"));
    await h.send(1500, crash("resolved"));
    const issue = h.mem.issues[0]!;
    expect(issue.state).toBe("open");
    expect(issue.labels).toEqual(["incident", "severity:warning", "resolved"]);
    await h.send(3000, crash("firing").replace("2026-11-27T09:59:00Z", "2026-11-27T10:49:00Z"));
    expect(h.mem.issues).toHaveLength(1);
    expect(issue.labels).toEqual(["incident", "severity:warning"]);
    expect(parseIncidentState(issue.body)?.status).toBe("firing");
  });

  it("never routes to a repository the config does not allow", async () => {
    const h = harness();
    const out = await h.send(
      0,
      crash("firing").replace("severity: warning", "severity: warning, medic_repo: evil/repo"),
    );
    expect(out.outcomes).toEqual([
      { repo: "acme/incidents", key: "KubePodCrashLooping/shop/checkout", action: "open" },
    ]);
  });

  it("two replicas over one repository: the second finds the first's issue, and either can close it", async () => {
    const a = harness();
    const b = harness("{}", { vt: a.vt, mem: a.mem });
    await a.send(0, crash("firing"));
    const second = crash("firing").replace(
      'fingerprint: "aaaaaaaaaaaaaaaa"',
      'fingerprint: "aaaaaaaaaaaaaaab"',
    );
    await b.send(10, second.replace("checkout-7d9f8b6c5-bbbbb", "checkout-7d9f8b6c5-ccccc"));
    expect(a.mem.issues).toHaveLength(1);
    await a.vt.run(T0 + 120_000); // B's deferred count update lands
    const state = parseIncidentState(a.mem.issues[0]!.body);
    expect(state?.signals.map((s) => s.labels["pod"])).toEqual([
      "checkout-7d9f8b6c5-bbbbb",
      "checkout-7d9f8b6c5-ccccc",
    ]);
    // Alertmanager sends the whole group: pod b resolved, pod c still firing ⇒ stays open.
    const podC = (status: "firing" | "resolved") => {
      const text = second
        .replace(/status: firing/g, `status: ${status}`)
        .replace(
          "0001-01-01T00:00:00Z",
          status === "resolved" ? "2026-11-27T10:21:00Z" : "0001-01-01T00:00:00Z",
        );
      return text.slice(text.indexOf("  - status"));
    };
    await a.send(1500, crash("resolved") + podC("firing"));
    expect(a.mem.issues[0]?.state).toBe("open");
    await a.send(1510, crash("resolved") + podC("resolved"));
    expect(a.mem.issues).toHaveLength(1);
    expect(a.mem.issues[0]?.state).toBe("closed");
  });

  it("over the hourly new-issue limit, further incidents are summarised in one issue, not dropped", async () => {
    const h = harness("maxNewIssuesPerHour: 3\nbodyUpdateInterval: 1m");
    const workload = (i: number, status: "firing" | "resolved") =>
      crash(status)
        .replace(/checkout-7d9f8b6c5-bbbbb/g, `svc${i}-7d9f8b6c5-bbbbb`)
        .replace("aaaaaaaaaaaaaaaa", `aaaaaaaaaaaaaa${String(i).padStart(2, "0")}`);
    for (let i = 0; i < 6; i++) await h.send(i, workload(i, "firing"));
    await h.vt.run(T0 + 120_000);
    const own = h.mem.issues.filter((i) => !i.labels.includes("incident-storm"));
    const summary = h.mem.issues.filter((i) => i.labels.includes("incident-storm"));
    expect(own.map((i) => i.title)).toEqual([
      "KubePodCrashLooping in shop/svc0",
      "KubePodCrashLooping in shop/svc1",
      "KubePodCrashLooping in shop/svc2",
    ]);
    expect(summary).toHaveLength(1);
    expect(summary[0]?.title).toBe("Alert storm: 3 incidents summarised (3 firing)");
    for (const i of [3, 4, 5])
      expect(summary[0]?.body).toContain(`| KubePodCrashLooping/shop/svc${i} | warning | firing (1) |`);
    // A summarised incident resolving is reflected in the summary.
    await h.send(200, workload(4, "resolved"));
    await h.vt.run(T0 + 400_000);
    expect(summary[0]?.title).toBe("Alert storm: 3 incidents summarised (2 firing)");
    expect(summary[0]?.body).toContain("| KubePodCrashLooping/shop/svc4 | warning | resolved |");
  });
});
