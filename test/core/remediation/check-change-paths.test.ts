import { describe, expect, it } from "vitest";
import { checkChangePaths } from "../../../src/core/remediation/check-change-paths.js";

describe("checkChangePaths", () => {
  it.each<[string[], string | null]>([
    [["apps/checkout/deployment.yaml", "infra/openstack/terraform.auto.tfvars.json"], null],
    [["apps/../../etc/passwd"], "empty, `.` or `..` segment"],
    [["/etc/passwd"], "absolute path"],
    [["apps//x.yaml"], "empty, `.` or `..` segment"],
    [["./apps/x.yaml"], "empty, `.` or `..` segment"],
    [["apps/x\u0000.yaml"], "control character or backslash"],
    [["apps\\..\\x"], "control character or backslash"],
    [[".github/medic.yml"], "protected path (guardrails and git metadata)"],
    [[".github/CODEOWNERS"], "protected path (guardrails and git metadata)"],
    [[".github/medic/runbooks/x.yaml"], "protected path (guardrails and git metadata)"],
    [["apps/.git/config"], "protected path (guardrails and git metadata)"],
    [[".gitmodules"], "protected path (guardrails and git metadata)"],
    [["apps/.github-pages/x.yaml"], null],
    [["a.yaml", "a.yaml"], "changed twice in one plan"],
    [[""], "empty or longer than 1,024 characters"],
  ])("%j", (paths, reason) => {
    const res = checkChangePaths(paths);
    expect(res).toEqual(reason === null ? { ok: true } : { ok: false, path: expect.any(String), reason });
  });
});
