import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadKubeConfig } from "../../../src/adapters/kubernetes/load-kube-config.js";

describe("loadKubeConfig", () => {
  it("reads a kubeconfig file and names its context", () => {
    const dir = mkdtempSync(join(tmpdir(), "kc-"));
    const file = join(dir, "config");
    writeFileSync(
      file,
      `apiVersion: v1
kind: Config
clusters:
  - name: prod
    cluster: { server: "https://10.0.0.1:6443" }
users:
  - name: medic
    user: { token: "abc" }
contexts:
  - name: prod-medic
    context: { cluster: prod, user: medic }
current-context: prod-medic
`,
    );
    const res = loadKubeConfig({ path: file });
    expect(res.ok && res.name).toBe("prod-medic");
  });

  it("a missing file is an expected outcome naming the problem", () => {
    const res = loadKubeConfig({ path: "/nonexistent/kubeconfig" });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.message).toMatch(/^kubeconfig unreadable/);
  });
});
