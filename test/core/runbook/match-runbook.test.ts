import { describe, expect, it } from "vitest";
import {
  buildRunbookRegistry,
  type RunbookSource,
} from "../../../src/core/runbook/build-runbook-registry.js";
import { matchRunbook } from "../../../src/core/runbook/match-runbook.js";

/** A minimal runbook with the given match block. */
function rb(id: string, match: string): RunbookSource {
  return {
    file: `runbooks/${id}.yaml`,
    origin: "bundled",
    text: `id: ${id}\ntitle: ${id}\nversion: 1.0.0\nmatch:\n${match}\nsteps:\n  - id: s\n    action: suggest-waf-rule\nrisk: safe\n`,
  };
}

const registry = buildRunbookRegistry([
  rb("crash-any", "  alertnames: [KubePodCrashLooping]"),
  rb("crash-oom", "  alertnames: [KubePodCrashLooping]\n  reasons: [OOMKilled]"),
  rb(
    "crash-shop-oom",
    "  alertnames: [KubePodCrashLooping]\n  labels: [{name: namespace, value: shop}]\n  reasons: [OOMKilled]",
  ),
  rb(
    "node-mem",
    "  alertnames: [KubeNodePressure]\n  labels: [{name: condition, op: '=~', value: 'Memory.*'}]",
  ),
  rb("node-disk-a", "  alertnames: [KubeNodePressure]\n  labels: [{name: condition, value: DiskPressure}]"),
  rb(
    "node-disk-b",
    "  alertnames: [KubeNodePressure]\n  labels: [{name: condition, op: '!=', value: MemoryPressure}]",
  ),
  rb(
    "not-staging",
    "  alertnames: [KubeHpaMaxedOut]\n  labels: [{name: namespace, op: '!~', value: 'staging|dev'}]",
  ),
]);

describe("matchRunbook", () => {
  it("loads the fixtures", () => {
    expect(registry.errors).toEqual([]);
  });

  it.each([
    // [labels, reasons, clusterKnown, expected id or error reason]
    [
      { alertname: "KubePodCrashLooping", namespace: "web" },
      ["CrashLoopBackOff", "Error"],
      true,
      "crash-any",
    ],
    [
      { alertname: "KubePodCrashLooping", namespace: "web" },
      ["CrashLoopBackOff", "OOMKilled"],
      true,
      "crash-oom",
    ],
    [{ alertname: "KubePodCrashLooping", namespace: "shop" }, ["OOMKilled"], true, "crash-shop-oom"],
    [{ alertname: "KubePodCrashLooping", namespace: "shop" }, [], false, "crash-any"],
    [{ alertname: "KubeNodePressure", condition: "MemoryPressure" }, [], true, "node-mem"],
    [{ alertname: "KubeNodePressure", condition: "DiskPressure" }, [], true, "tie"],
    [{ alertname: "KubeNodePressure", condition: "PIDPressure" }, [], true, "node-disk-b"],
    [{ alertname: "KubeHpaMaxedOut", namespace: "prod" }, [], true, "not-staging"],
    [{ alertname: "KubeHpaMaxedOut", namespace: "staging" }, [], true, "no-match"],
    [{ alertname: "KubeHpaMaxedOut" }, [], true, "not-staging"],
    [{ alertname: "Watchdog" }, [], true, "no-match"],
  ])("%j with reasons %j (cluster known: %s) ⇒ %s", (labels, reasons, clusterKnown, want) => {
    const res = matchRunbook(registry.runbooks, { labels }, { reasons, clusterKnown });
    expect(res.ok ? res.entry.runbook.id : res.reason).toBe(want);
  });

  it("a tie is an error that lists the candidates and their files", () => {
    const res = matchRunbook(
      registry.runbooks,
      { labels: { alertname: "KubeNodePressure", condition: "DiskPressure" } },
      { reasons: [], clusterKnown: true },
    );
    expect(res).toMatchObject({
      ok: false,
      reason: "tie",
      message:
        "2 runbooks match with the same specificity 2: node-disk-a (runbooks/node-disk-a.yaml), node-disk-b (runbooks/node-disk-b.yaml); make one more specific or disable one",
    });
    if (!res.ok) expect(res.candidates.map((c) => c.id).sort()).toEqual(["node-disk-a", "node-disk-b"]);
  });

  it("no match says why and lists the nearest candidates", () => {
    const res = matchRunbook(
      registry.runbooks,
      { labels: { alertname: "KubeHpaMaxedOut", namespace: "staging" } },
      { reasons: [], clusterKnown: true },
    );
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.message).toBe(
      'no runbook matches KubeHpaMaxedOut; nearest: not-staging (label namespace!~"staging|dev" does not hold (namespace="staging"))',
    );
    expect(res.candidates[0]?.id).toBe("not-staging");
  });

  it("an unknown alert names itself", () => {
    const res = matchRunbook(
      registry.runbooks,
      { labels: { alertname: "Watchdog" } },
      { reasons: [], clusterKnown: true },
    );
    expect(res.ok ? "" : res.message).toBe("no runbook matches Watchdog; no runbook handles alert Watchdog");
  });

  it("a reasons condition cannot hold without cluster facts, and says so", () => {
    const res = matchRunbook(
      registry.runbooks,
      { labels: { alertname: "KubePodCrashLooping", namespace: "shop" } },
      { reasons: [], clusterKnown: false, requested: "crash-oom" },
    );
    expect(res.ok ? "" : res.message).toContain(
      "needs cluster facts showing OOMKilled; the cluster is unknown",
    );
  });

  it("a requested runbook resolves a tie but must still match; an unknown id lists the known ones", () => {
    const tie = { labels: { alertname: "KubeNodePressure", condition: "DiskPressure" } };
    const picked = matchRunbook(registry.runbooks, tie, {
      reasons: [],
      clusterKnown: true,
      requested: "node-disk-a",
    });
    expect(picked.ok && picked.entry.runbook.id).toBe("node-disk-a");
    const wrong = matchRunbook(registry.runbooks, tie, {
      reasons: [],
      clusterKnown: true,
      requested: "node-mem",
    });
    expect(wrong.ok ? "" : wrong.reason).toBe("no-match");
    const unknown = matchRunbook(registry.runbooks, tie, {
      reasons: [],
      clusterKnown: true,
      requested: "drain-all",
    });
    expect(unknown).toMatchObject({ ok: false, reason: "unknown-runbook" });
    if (!unknown.ok)
      expect(unknown.message).toContain('unknown runbook "drain-all"; known runbooks: crash-any, crash-oom');
  });

  it("disabled runbooks do not match, and the reason says the configuration disabled them", () => {
    const inc = { labels: { alertname: "KubeNodePressure", condition: "MemoryPressure" } };
    const res = matchRunbook(registry.runbooks, inc, {
      reasons: [],
      clusterKnown: true,
      disabled: ["node-mem"],
    });
    expect(res).toMatchObject({ ok: false, reason: "disabled" });
    const enabledOnly = matchRunbook(
      registry.runbooks,
      { labels: { alertname: "KubePodCrashLooping" } },
      {
        reasons: ["OOMKilled"],
        clusterKnown: true,
        enabled: ["crash-any"],
      },
    );
    expect(enabledOnly.ok && enabledOnly.entry.runbook.id).toBe("crash-any");
  });
});
