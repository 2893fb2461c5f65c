import { describe, expect, it } from "vitest";
import { parseCodeowners } from "../../../src/core/approval/parse-codeowners.js";
import { selectReviewers } from "../../../src/core/remediation/select-reviewers.js";

const CODEOWNERS = `
* @acme/platform
/apps/checkout/ @alice @acme/checkout
/apps/payments/ @bob @other-org/payments ops@acme.example
/infra/ @carol @acme/security
/apps/frontend/values-prod.yaml
`;

describe("selectReviewers", () => {
  const codeowners = parseCodeowners(CODEOWNERS);
  it.each([
    [["apps/checkout/deployment.yaml"], [], { users: ["alice"], teams: ["checkout"], unowned: [] }],
    [["apps/checkout/deployment.yaml"], ["Alice"], { users: [], teams: ["checkout"], unowned: [] }],
    [["apps/payments/rollout.yaml"], [], { users: ["bob"], teams: [], unowned: [] }],
    [
      ["infra/openstack/terraform.auto.tfvars.json", "apps/checkout/hpa.yaml"],
      [],
      { users: ["carol", "alice"], teams: ["security", "checkout"], unowned: [] },
    ],
    [
      ["apps/frontend/values-prod.yaml"],
      [],
      { users: [], teams: [], unowned: ["apps/frontend/values-prod.yaml"] },
    ],
    [["README.md"], [], { users: [], teams: ["platform"], unowned: [] }],
  ])("%j excluding %j", (paths, exclude, expected) => {
    expect(selectReviewers({ codeowners, paths, org: "acme", exclude })).toEqual(expected);
  });

  it("without CODEOWNERS every path is unowned", () => {
    expect(selectReviewers({ codeowners: null, paths: ["a.yaml"], org: "acme", exclude: [] })).toEqual({
      users: [],
      teams: [],
      unowned: ["a.yaml"],
    });
  });

  it("never requests a bot and caps at 15 requests", () => {
    const many = parseCodeowners(`* ${Array.from({ length: 20 }, (_, i) => `@user${i}`).join(" ")} @acme/t`);
    const res = selectReviewers({ codeowners: many, paths: ["x"], org: "acme", exclude: ["user0"] });
    expect(res.users.length + res.teams.length).toBe(15);
    expect(res.users).not.toContain("user0");
  });
});
