import { describe, expect, it } from "vitest";
import { classifyRisk } from "../../../src/core/approval/classify-risk.js";
import {
  combine,
  evaluateGate,
  type GateInput,
  gateMembershipQueries,
} from "../../../src/core/approval/evaluate-gate.js";
import { parseCodeowners } from "../../../src/core/approval/parse-codeowners.js";

const HEAD = "a".repeat(40);
const OLD = "b".repeat(40);
const user = (login: string) => ({ login, type: "User" });

const destructive = classifyRisk(
  [{ path: "apps/shop/web.yaml", status: "removed", before: "a: 1\n", after: null }],
  [],
  { replicaDropThreshold: 0.5 },
);
const safe = classifyRisk([], [], { replicaDropThreshold: 0.5 });

const CODEOWNERS = parseCodeowners("* @acme/platform\n/apps/ @acme/security @carol\n");

function input(over: Partial<GateInput> = {}): GateInput {
  return {
    risk: destructive,
    codeowners: { ok: true, codeowners: CODEOWNERS },
    pr: { author: user("alice"), headSha: HEAD },
    requester: "rita",
    commits: [{ sha: HEAD, author: user("alice"), committer: user("web-flow") }],
    reviews: [],
    commandApprovals: [],
    hold: null,
    override: null,
    memberships: {
      sam: ["acme/security"],
      alice: ["acme/security"],
      rita: ["acme/security"],
      pete: ["acme/security"],
      paula: ["acme/platform"],
      sid: ["acme/security"],
    },
    config: { securityTeams: ["acme/security"], requiredApprovals: 1 },
    ...over,
  };
}

const approve = (login: string, sha = HEAD, id = 1, at = "2026-11-27T10:00:00Z", type = "User") => ({
  id,
  user: { login, type },
  state: "APPROVED",
  commitId: sha,
  submittedAt: at,
});

describe("approval matrix (RELIABILITY.md: separation of duties)", () => {
  it.each<[string, Partial<GateInput>, "approved" | "pending" | "disapproved", string]>([
    [
      "a security code owner who did nothing else counts",
      { reviews: [approve("sam")] },
      "approved",
      "owns apps/shop/web.yaml",
    ],
    ["the requester's approval never counts", { reviews: [approve("rita")] }, "pending", "requester"],
    [
      "the requester's /approve never counts",
      { commandApprovals: [{ actor: "rita", sha: HEAD, at: "t" }] },
      "pending",
      "requester",
    ],
    [
      "a bot's approval never counts",
      { reviews: [approve("medic[bot]", HEAD, 1, "t", "Bot")] },
      "pending",
      "bots",
    ],
    [
      "an app's approval (login ends in [bot]) never counts",
      { reviews: [approve("renovate[bot]", HEAD, 1, "t", "User")] },
      "pending",
      "bots",
    ],
    ["the author (a security owner) does not count", { reviews: [approve("alice")] }, "pending", "author"],
    [
      "a security owner who pushed a commit does not count",
      { reviews: [approve("pete")], commits: [{ sha: HEAD, author: user("pete"), committer: user("pete") }] },
      "pending",
      "pushed",
    ],
    ["an approval of an older commit is void", { reviews: [approve("sam", OLD)] }, "pending", "not the head"],
    [
      "a code owner outside the security team does not count",
      { reviews: [approve("carol")] },
      "pending",
      "not a member of a security team",
    ],
    [
      "a security member who does not own the path does not count",
      {
        codeowners: { ok: true, codeowners: parseCodeowners("/apps/ @acme/other\n") },
        reviews: [approve("sam")],
      },
      "pending",
      "does not own",
    ],
    [
      "/approve at the head counts like a review",
      { commandApprovals: [{ actor: "sam", sha: HEAD, at: "t" }] },
      "approved",
      "owns",
    ],
    [
      "/approve at an older head is void",
      { commandApprovals: [{ actor: "sam", sha: OLD, at: "t" }] },
      "pending",
      "not the head",
    ],
    [
      "a later change request replaces the approval",
      {
        reviews: [
          approve("sam"),
          { ...approve("sam", HEAD, 2, "2026-11-27T11:00:00Z"), state: "CHANGES_REQUESTED" },
        ],
      },
      "disapproved",
      "",
    ],
    [
      "a later comment-only review does not replace the approval",
      {
        reviews: [approve("sam"), { ...approve("sam", HEAD, 2, "2026-11-27T11:00:00Z"), state: "COMMENTED" }],
      },
      "approved",
      "owns",
    ],
    [
      "a dismissed approval does not count",
      {
        reviews: [approve("sam"), { ...approve("sam", HEAD, 2, "2026-11-27T11:00:00Z"), state: "DISMISSED" }],
      },
      "pending",
      "",
    ],
  ])("%s", (_name, over, status, reasonPart) => {
    const res = evaluateGate(input(over));
    expect(res.status).toBe(status);
    expect(res.conclusion).toBe(status === "approved" ? "success" : "failure");
    if (reasonPart) expect(res.approvers.map((a) => a.reason).join(" | ")).toContain(reasonPart);
  });

  it("N approvals: two required, one given is pending, two are approved", () => {
    const config = { securityTeams: ["acme/security"], requiredApprovals: 2 };
    expect(evaluateGate(input({ config, reviews: [approve("sam")] })).status).toBe("pending");
    const two = evaluateGate(input({ config, reviews: [approve("sam"), approve("sid", HEAD, 2)] }));
    expect(two.status).toBe("approved");
    expect(two.requirements[0]).toMatchObject({ path: "apps/shop/web.yaml", approvedBy: ["sam", "sid"] });
  });

  it("the same person by review and /approve counts once", () => {
    const config = { securityTeams: ["acme/security"], requiredApprovals: 2 };
    const res = evaluateGate(
      input({ config, reviews: [approve("sam")], commandApprovals: [{ actor: "sam", sha: HEAD, at: "t" }] }),
    );
    expect(res.status).toBe("pending");
    expect(res.requirements[0]!.approvedBy).toEqual(["sam"]);
  });

  it.each<[string, Partial<GateInput>, string]>([
    [
      "CODEOWNERS missing",
      { codeowners: { ok: false, reason: "no CODEOWNERS file on the base branch" } },
      "no CODEOWNERS file",
    ],
    [
      "a destructive path without owners",
      { codeowners: { ok: true, codeowners: parseCodeowners("/apps/ @acme/security\n/apps/shop/\n") } },
      "without owners",
    ],
    [
      "a destructive path no line matches",
      { codeowners: { ok: true, codeowners: parseCodeowners("/infra/ @acme/security\n") } },
      "no CODEOWNERS line",
    ],
    [
      "only e-mail owners",
      { codeowners: { ok: true, codeowners: parseCodeowners("/apps/ sec@example.com\n") } },
      "e-mail",
    ],
  ])("fails closed: %s (even with a qualifying approval)", (_name, over, problem) => {
    const res = evaluateGate(input({ ...over, reviews: [approve("sam")] }));
    expect(res.status).toBe("pending");
    expect(res.conclusion).toBe("failure");
    expect(res.title).toContain("blocked");
    expect(res.requirements[0]!.problem).toContain(problem);
  });

  it("no security team configured: nobody can approve", () => {
    const res = evaluateGate(
      input({ config: { securityTeams: [], requiredApprovals: 1 }, reviews: [approve("sam")] }),
    );
    expect(res.status).toBe("pending");
    expect(res.notes.join(" ")).toContain("approval.securityTeams");
  });

  it("imperative steps need security approval even without a path", () => {
    const risk = classifyRisk([], [{ kind: "drain", target: "node/n1" }], { replicaDropThreshold: 0.5 });
    expect(evaluateGate(input({ risk })).status).toBe("pending");
    const ok = evaluateGate(input({ risk, reviews: [approve("sam")] }));
    expect(ok.status).toBe("approved");
    expect(ok.requirements).toEqual([
      { path: "(imperative steps)", owners: ["@acme/security"], approvedBy: ["sam"], status: "approved" },
    ]);
  });

  it("safe changes pass with normal review", () => {
    const res = evaluateGate(input({ risk: safe }));
    expect(res).toMatchObject({
      status: "approved",
      conclusion: "success",
      title: "Safe change: normal review applies",
    });
  });

  it("a hold blocks a safe change and an approved one, and beats an override", () => {
    const hold = { actor: "hank", at: "2026-11-27T10:00:00Z" };
    expect(evaluateGate(input({ risk: safe, hold })).conclusion).toBe("failure");
    const res = evaluateGate(
      input({
        hold,
        reviews: [approve("sam")],
        override: { actor: "olga", sha: HEAD, reason: "r", at: "t" },
      }),
    );
    expect(res).toMatchObject({ status: "disapproved", conclusion: "failure", title: "On hold by @hank" });
  });

  it("an override at the head passes and is shown; at an older head it does not", () => {
    const ok = evaluateGate(
      input({ override: { actor: "olga", sha: HEAD, reason: "INC-1 outage", at: "t" } }),
    );
    expect(ok).toMatchObject({ status: "approved", title: "Destructive change: overridden by @olga" });
    expect(ok.notes.join(" ")).toContain("INC-1 outage");
    const stale = evaluateGate(input({ override: { actor: "olga", sha: OLD, reason: "x", at: "t" } }));
    expect(stale.status).toBe("pending");
    expect(stale.notes.join(" ")).toContain("no longer applies");
  });

  it("asks for memberships of the candidates and of security and owner teams only", () => {
    const { memberships: _m, ...rest } = input({
      reviews: [
        approve("sam"),
        { ...approve("zed", HEAD, 3), state: "COMMENTED" },
        approve("x[bot]", HEAD, 4, "t", "Bot"),
      ],
      commandApprovals: [{ actor: "Olga", sha: HEAD, at: "t" }],
    });
    expect(gateMembershipQueries(rest)).toEqual({ logins: ["olga", "sam"], teams: ["acme/security"] });
  });
});

describe("combine (ordered statuses)", () => {
  it.each<[Parameters<typeof combine>[0], string]>([
    [[], "skipped"],
    [["approved", "approved"], "approved"],
    [["approved", "pending"], "pending"],
    [["approved", "skipped"], "pending"],
    [["pending", "disapproved"], "disapproved"],
    [["skipped"], "pending"],
  ])("%j → %s", (statuses, expected) => {
    expect(combine(statuses)).toBe(expected);
  });
});
