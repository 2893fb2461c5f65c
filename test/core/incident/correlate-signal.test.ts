import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { IncidentsConfig } from "../../../src/core/config/sections/incidents.js";
import { correlateSignal } from "../../../src/core/incident/correlate-signal.js";
import type { Incident, Signal } from "../../../src/core/incident/incident.js";

const rules = IncidentsConfig.parse({}).correlation.rules;

function signal(
  name: string,
  labels: Record<string, string>,
  startsAt: string,
  status: "firing" | "resolved" = "firing",
): Signal {
  return {
    source: "alertmanager",
    name,
    status,
    labels: { alertname: name, ...labels },
    annotations: {},
    startsAt,
    fingerprint: `${name}-${JSON.stringify(labels)}`,
  };
}
function incident(key: string, root: Signal, status: "firing" | "resolved" = "firing"): Incident {
  return {
    key,
    title: key,
    severity: "info",
    status,
    signals: [{ ...root, role: "root" }],
    labels: root.labels,
    startsAt: root.startsAt,
  };
}

const nodeRoot = incident(
  "KubeNodePressure/worker-1",
  signal(
    "KubeNodePressure",
    { node: "worker-1", condition: "MemoryPressure", status: "true" },
    "2026-11-27T10:00:00Z",
  ),
);
const rolloutRoot = incident(
  "KubeDeploymentRolloutStuck/shop/checkout",
  signal("KubeDeploymentRolloutStuck", { namespace: "shop", deployment: "checkout" }, "2026-11-27T10:00:00Z"),
);

describe("correlateSignal", () => {
  it.each([
    [
      "pod on the pressured node, 5 min later",
      "KubePodCrashLooping",
      { namespace: "shop", pod: "a-1", node: "worker-1" },
      "2026-11-27T10:05:00Z",
      "KubeNodePressure/worker-1 pods-on-pressured-node",
    ],
    [
      "pod before the node alert, within the window",
      "KubePodNotReady",
      { namespace: "shop", pod: "a-1", node: "worker-1" },
      "2026-11-27T09:52:00Z",
      "KubeNodePressure/worker-1 pods-on-pressured-node",
    ],
    [
      "pod found by instance (port dropped)",
      "KubePodCrashLooping",
      { namespace: "x", pod: "b-1", instance: "worker-1:10250" },
      "2026-11-27T10:01:00Z",
      "KubeNodePressure/worker-1 pods-on-pressured-node",
    ],
    [
      "pod on another node",
      "KubePodCrashLooping",
      { namespace: "shop", pod: "a-1", node: "worker-2" },
      "2026-11-27T10:05:00Z",
      "none",
    ],
    [
      "pod outside the 10 min window",
      "KubePodCrashLooping",
      { namespace: "shop", pod: "a-1", node: "worker-1" },
      "2026-11-27T10:11:00Z",
      "none",
    ],
    [
      "pod without node or instance: no guess",
      "KubePodCrashLooping",
      { namespace: "shop", pod: "zzz-1" },
      "2026-11-27T10:05:00Z",
      "none",
    ],
    [
      "not a child alert",
      "KubeHpaMaxedOut",
      { namespace: "shop", node: "worker-1" },
      "2026-11-27T10:05:00Z",
      "none",
    ],
    [
      "pod of the stuck deployment",
      "KubePodCrashLooping",
      { namespace: "shop", pod: "checkout-7d9f8b6c5-x2x9z" },
      "2026-11-27T10:20:00Z",
      "KubeDeploymentRolloutStuck/shop/checkout pods-of-stuck-rollout",
    ],
    [
      "same name in another namespace",
      "KubePodCrashLooping",
      { namespace: "other", pod: "checkout-7d9f8b6c5-x2x9z" },
      "2026-11-27T10:20:00Z",
      "none",
    ],
  ])("%s", (_name, alert, labels, startsAt, expected) => {
    const res = correlateSignal(signal(alert, labels, startsAt), [rolloutRoot, nodeRoot], rules);
    expect(res ? `${res.rootKey} ${res.ruleId}` : "none").toBe(expected);
  });

  it("ignores resolved roots and resolved incidents", () => {
    const child = signal("KubePodCrashLooping", { node: "worker-1", pod: "p-1" }, "2026-11-27T10:05:00Z");
    const resolved = incident(
      "K/worker-1",
      signal("KubeNodePressure", { node: "worker-1" }, "2026-11-27T10:00:00Z", "resolved"),
    );
    expect(correlateSignal(child, [resolved], rules)).toBeNull();
    expect(correlateSignal(child, [{ ...nodeRoot, status: "resolved" }], rules)).toBeNull();
  });

  it("reads rules as data (inline YAML) and honours matchLabels", () => {
    const custom = IncidentsConfig.parse(
      parse(`
correlation:
  rules:
    - id: disk-pressure-only
      root: { alertnames: [KubeNodePressure], matchLabels: { condition: DiskPressure } }
      children: { alertnames: [KubePersistentVolumeFillingUp] }
      join: [{ child: [node], root: [node] }]
      window: 1h
`),
    ).correlation.rules;
    const child = signal("KubePersistentVolumeFillingUp", { node: "worker-1" }, "2026-11-27T10:30:00Z");
    expect(correlateSignal(child, [nodeRoot], custom)).toBeNull(); // MemoryPressure root
    const disk = incident(
      "KubeNodePressure/worker-1",
      signal("KubeNodePressure", { node: "worker-1", condition: "DiskPressure" }, "2026-11-27T10:00:00Z"),
    );
    expect(correlateSignal(child, [disk], custom)).toEqual({
      rootKey: "KubeNodePressure/worker-1",
      ruleId: "disk-pressure-only",
    });
  });

  it("picks the earliest root deterministically", () => {
    const later = incident(
      "KubeNodeNotReady/worker-1",
      signal("KubeNodeNotReady", { node: "worker-1" }, "2026-11-27T10:03:00Z"),
    );
    const child = signal("KubePodCrashLooping", { node: "worker-1", pod: "p-1" }, "2026-11-27T10:05:00Z");
    expect(correlateSignal(child, [later, nodeRoot], rules)?.rootKey).toBe("KubeNodePressure/worker-1");
  });
});
