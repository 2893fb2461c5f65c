import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

const root = new URL("../../", import.meta.url).pathname;

async function run(args: string[], cwd = root) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    cwd,
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: {},
    isTTY: false,
  });
  return { code, stdout, stderr };
}

describe("medic policy test", () => {
  it("runs the bundled policies' kyverno-test.yaml files: every expected result holds", async () => {
    const r = await run(["policy", "test", "policies/"]);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.filter((l) => l.startsWith("  FAIL") || l.startsWith("ERROR"))).toEqual([]);
    expect(lines.at(-1)).toMatch(/^\d+ passed, 0 failed$/);
    expect(Number(lines.at(-1)!.split(" ")[0])).toBeGreaterThanOrEqual(60);
    expect(r.code).toBe(0);
    // Every bundled policy has a test folder.
    for (const p of [
      "disallow-latest-tag",
      "require-image-digest",
      "restrict-image-registries",
      "require-requests-limits",
      "disallow-privileged-containers",
      "disallow-host-namespaces",
      "require-probes",
      "replica-bounds",
      "max-pvc-size",
      "require-ownership-labels",
    ]) {
      expect(r.stdout).toContain(`policies/tests/${p}/kyverno-test.yaml`);
    }
  });

  it("reports a wrong expectation and exits 1", async () => {
    const r = await run(["policy", "test", "test/fixtures/policy/wrong-expectation"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "  FAIL disallow-latest-tag/validate-image-tag Pod/pod-latest: expected pass, got fail (validation error:",
    );
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("1 passed, 1 failed");
  });

  it("exits 2 for a folder without test files", async () => {
    const r = await run(["policy", "test", "src/cli"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no kyverno-test.yaml under src/cli");
  });
});
