import { describe, expect, it } from "vitest";
import { buildRemediationBranch } from "../../../src/core/remediation/build-remediation-branch.js";

const GIT_REF_SAFE = /^medic\/[a-z0-9-]+\/[a-z0-9-]*[0-9a-f]{8}$/;

describe("buildRemediationBranch", () => {
  it.each([
    [
      "crashloop-rollback",
      "KubePodCrashLooping/shop/checkout",
      /^medic\/crashloop-rollback\/shop-checkout-[0-9a-f]{8}$/,
    ],
    [
      "pvc-full",
      "KubePersistentVolumeFillingUp/orders/pgdata-orders-db",
      /^medic\/pvc-full\/orders-pgdata-orders-db-[0-9a-f]{8}$/,
    ],
    [
      "node-pressure",
      "KubeNodePressure/worker-2/DiskPressure",
      /^medic\/node-pressure\/worker-2-diskpressure-[0-9a-f]{8}$/,
    ],
    ["Weird Runbook!!", "X/../../etc/passwd@{1}~^:?*[", GIT_REF_SAFE],
    ["ingress-5xx", "NGINXTooMany500s", /^medic\/ingress-5xx\/nginxtoomany500s-[0-9a-f]{8}$/],
  ])("%s + %s", (runbook, key, re) => {
    const b = buildRemediationBranch(runbook, key);
    expect(b).toMatch(re);
    expect(b).not.toMatch(/\.\.|@\{|\.lock$|\/\/|[\s~^:?*[\\]/);
    expect(b.length).toBeLessThanOrEqual(6 + 40 + 1 + 32 + 1 + 8);
  });

  it("is stable and keeps keys that slug alike apart", () => {
    expect(buildRemediationBranch("r", "A/b/c")).toBe(buildRemediationBranch("r", "A/b/c"));
    expect(buildRemediationBranch("r", "A/b/c")).not.toBe(buildRemediationBranch("r", "A/b-c"));
  });

  it("keeps a very long key short", () => {
    const b = buildRemediationBranch("crashloop-rollback", `K/${"x".repeat(500)}`);
    expect(b.length).toBeLessThan(100);
  });

  it("refuses an empty key", () => {
    expect(() => buildRemediationBranch("r", "")).toThrow(/incidentKey/);
  });
});
