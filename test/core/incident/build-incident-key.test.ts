import { describe, expect, it } from "vitest";
import { IncidentsConfig } from "../../../src/core/config/sections/incidents.js";
import { buildIncidentKey } from "../../../src/core/incident/build-incident-key.js";
import { deriveWorkload, workloadOfPod } from "../../../src/core/incident/derive-workload.js";
import { mapSeverity } from "../../../src/core/incident/map-severity.js";

const cfg = IncidentsConfig.parse({});

describe("buildIncidentKey", () => {
  it.each([
    [
      "crash-looping pod → its deployment",
      {
        alertname: "KubePodCrashLooping",
        namespace: "shop",
        pod: "checkout-7d9f8b6c5-x2x9z",
        container: "app",
      },
      "KubePodCrashLooping/shop/checkout",
    ],
    [
      "another replica of the same deployment, same key",
      { alertname: "KubePodCrashLooping", namespace: "shop", pod: "checkout-7d9f8b6c5-qwrtz", job: "ksm" },
      "KubePodCrashLooping/shop/checkout",
    ],
    [
      "statefulset pod",
      { alertname: "KubePodNotReady", namespace: "db", pod: "postgres-2" },
      "KubePodNotReady/db/postgres",
    ],
    [
      "node pressure (no namespace)",
      { alertname: "KubeNodePressure", node: "worker-1", condition: "DiskPressure", status: "true" },
      "KubeNodePressure/worker-1",
    ],
    [
      "PVC",
      {
        alertname: "KubePersistentVolumeFillingUp",
        namespace: "db",
        persistentvolumeclaim: "data-postgres-0",
      },
      "KubePersistentVolumeFillingUp/db/data-postgres-0",
    ],
    [
      "explicit deployment label wins over pod",
      { alertname: "KubeDeploymentRolloutStuck", namespace: "shop", deployment: "cart", pod: "x-1" },
      "KubeDeploymentRolloutStuck/shop/cart",
    ],
    [
      "ingress-nginx aggregate alert without target labels",
      { alertname: "NGINXTooMany500s", severity: "warning" },
      "NGINXTooMany500s",
    ],
    ["a slash inside a value is encoded", { alertname: "X", namespace: "a/b" }, "X/a%2Fb"],
    ["a percent inside a value is encoded", { alertname: "X", namespace: "a%2Fb" }, "X/a%252Fb"],
    ["no alertname", { namespace: "shop" }, "UnnamedAlert/shop"],
  ])("%s", (_name, labels, key) => {
    expect(buildIncidentKey(labels, cfg)).toBe(key);
  });

  it("uses the configured label set", () => {
    const custom = IncidentsConfig.parse({
      keyLabels: ["cluster", ["service", "job"]],
      podToWorkload: false,
    });
    expect(buildIncidentKey({ alertname: "A", cluster: "eu1", job: "api", pod: "api-1" }, custom)).toBe(
      "A/eu1/api",
    );
    expect(
      buildIncidentKey({ alertname: "A", pod: "api-7d9f8b6c5-x2x9z" }, { ...cfg, podToWorkload: false }),
    ).toBe("A/api-7d9f8b6c5-x2x9z");
  });
});

describe("workloadOfPod", () => {
  it.each([
    ["checkout-7d9f8b6c5-x2x9z", "checkout"],
    ["redis-cache-5b8c9d7f4-9k2lm", "redis-cache"],
    ["postgres-0", "postgres"],
    ["node-exporter-x2x9z", "node-exporter"],
    ["api-server", "api-server"],
    ["web-proxy", "web-proxy"],
    ["standalone", "standalone"],
  ])("%s → %s", (pod, workload) => {
    expect(workloadOfPod(pod)).toBe(workload);
  });
  it("prefers an explicit workload label", () => {
    expect(deriveWorkload({ rollout: "cart", pod: "cart-abc-1" })).toBe("cart");
    expect(deriveWorkload({ namespace: "x" })).toBeUndefined();
  });
});

describe("mapSeverity", () => {
  it.each([
    [{ severity: "critical" }, "critical"],
    [{ severity: "Warning" }, "warning"],
    [{ severity: "info" }, "info"],
    [{ severity: "page" }, "critical"],
    [{ severity: "none" }, "info"],
    [{ severity: "bogus" }, "warning"],
    [{}, "warning"],
  ])("%j → %s", (labels, severity) => {
    expect(mapSeverity(labels, cfg)).toBe(severity);
  });
  it("follows the configured label, map and default", () => {
    const custom = IncidentsConfig.parse({
      severityLabel: "priority",
      severityMap: { p0: "critical" },
      defaultSeverity: "info",
    });
    expect(mapSeverity({ priority: "P0" }, custom)).toBe("critical");
    expect(mapSeverity({ severity: "critical" }, custom)).toBe("info");
  });
});
