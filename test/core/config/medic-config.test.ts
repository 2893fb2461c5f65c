import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defaultMedicConfig, loadMedicConfig } from "../../../src/core/config/medic-config.js";

describe("loadMedicConfig", () => {
  it("uses the defaults when there is no file", () => {
    expect(loadMedicConfig(null)).toEqual({ ok: true, config: defaultMedicConfig() });
    expect(defaultMedicConfig().approval.requiredApprovals).toBe(1);
    expect(defaultMedicConfig().rollout.gracePeriod).toBe("120s");
    expect(defaultMedicConfig().remediation.autoMergeSafe).toBe(false);
  });

  it("fills defaults inside a partly written section", () => {
    const res = loadMedicConfig(parse("approval:\n  securityTeams: ['@acme/security']\n"));
    expect(res.ok).toBe(true);
    if (res.ok) {
      expect(res.config.approval).toMatchObject({ securityTeams: ["@acme/security"], requiredApprovals: 1 });
      expect(res.config.incidents.onResolve).toBe("close");
    }
  });

  it("ignores Probot's _extends key", () => {
    expect(loadMedicConfig({ _extends: ".github", incidents: { onResolve: "label" } }).ok).toBe(true);
  });

  it.each([
    [
      "approval:\n  requiredApprovals: 0\n",
      "approval.requiredApprovals",
      "Too small: expected number to be >=1",
    ],
    [
      "approval:\n  requiredApprovals: two\n",
      "approval.requiredApprovals",
      "Invalid input: expected number, received string",
    ],
    [
      "approval:\n  securityTeam: ['@acme/security']\n",
      "approval.securityTeam",
      'unknown field "securityTeam"',
    ],
    ["aproval: {}\n", "aproval", 'unknown field "aproval"'],
    [
      "incidents:\n  reopenWindow: soon\n",
      "incidents.reopenWindow",
      "expected a duration such as 90s, 5m, 1h or 2d",
    ],
    [
      "incidents:\n  onResolve: delete\n",
      "incidents.onResolve",
      'Invalid option: expected one of "close"|"label"',
    ],
    [
      "workloads:\n  mappings:\n    - kind: Deployment\n      name: web\n",
      "workloads.mappings.0.path",
      "Invalid input: expected string, received undefined",
    ],
    [
      "rollout:\n  gracePeriod: 120\n",
      "rollout.gracePeriod",
      "Invalid input: expected string, received number",
    ],
    ["- just\n- a list\n", "(root)", "expected a mapping at the top level"],
  ])("%j ⇒ %s: %s", (text, field, message) => {
    expect(loadMedicConfig(parse(text))).toEqual({ ok: false, file: ".github/medic.yml", field, message });
  });
});
