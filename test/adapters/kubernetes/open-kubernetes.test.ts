import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openKubernetes } from "../../../src/adapters/kubernetes/open-kubernetes.js";

function recordingLogger() {
  const warnings: string[] = [];
  const noop = () => {};
  return {
    warnings,
    logger: { debug: noop, info: noop, error: noop, warn: (_o: object, m: string) => warnings.push(m) },
  };
}

describe("openKubernetes", () => {
  it("gives one cluster view from a kubeconfig file", () => {
    const dir = mkdtempSync(join(tmpdir(), "medic-kube-"));
    const path = join(dir, "config");
    writeFileSync(
      path,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: prod, cluster: {server: 'https://k8s.example.com:6443'}}]",
        "users: [{name: medic, user: {token: t}}]",
        "contexts: [{name: prod, context: {cluster: prod, user: medic}}]",
        "current-context: prod",
      ].join("\n"),
    );
    const { logger, warnings } = recordingLogger();
    const k = openKubernetes({ KUBECONFIG: path }, logger);
    expect(k.kubeConfig?.getCurrentCluster()?.server).toBe("https://k8s.example.com:6443");
    expect(k.cluster).not.toBeNull();
    expect(k.argo).not.toBeNull();
    expect(warnings).toEqual([]);
  });

  it("runs without a cluster and says so once", () => {
    const { logger, warnings } = recordingLogger();
    const k = openKubernetes({ KUBECONFIG: "/nonexistent/kubeconfig" }, logger);
    expect(k).toEqual({ kubeConfig: null, argo: null, cluster: null });
    expect(warnings).toEqual([
      "no Kubernetes cluster: planning uses the repository and the alert only; rollout watching of Argo CD is disabled",
    ]);
  });
});
