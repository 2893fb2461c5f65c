import { describe, expect, it } from "vitest";
import { formatRemediationMarker } from "../../../src/core/approval/remediation-marker.js";
import { renderMarker } from "../../../src/core/markdown/render-marker.js";
import {
  type DecideInput,
  decideRemediationAction,
  isBotCommit,
} from "../../../src/core/remediation/decide-remediation-action.js";

const BOT = "gitops-medic[bot]";
const desired = {
  incidentKey: "K/shop/checkout",
  runbook: "crashloop-rollback",
  requester: null,
  planHash: "p".repeat(64),
};
const HEAD = "1".repeat(40);
const body = (over: Partial<typeof desired> = {}, head: string | null = HEAD) =>
  `${formatRemediationMarker({ ...desired, ...over })}\ntext\n${head ? renderMarker("remediation-head", head) : ""}`;
const pr = (over: Partial<NonNullable<DecideInput["pullRequest"]>> = {}) => ({
  number: 7,
  author: BOT,
  body: body(),
  headSha: HEAD,
  labels: ["medic", "risk:safe", "runbook:crashloop-rollback"],
  ...over,
});
const input = (over: Partial<DecideInput>): DecideInput => ({
  desired,
  botLogin: BOT,
  pullRequest: null,
  headOwner: "unknown",
  wantedLabels: ["medic", "risk:safe", "runbook:crashloop-rollback"],
  openPullRequests: 0,
  maxOpenPullRequests: 10,
  ...over,
});

describe("decideRemediationAction", () => {
  it.each<[string, Partial<DecideInput>, ReturnType<typeof decideRemediationAction>["kind"], string?]>([
    ["no PR ⇒ create", {}, "create"],
    ["no PR, 9 of 10 open ⇒ create", { openPullRequests: 9 }, "create"],
    ["no PR, 10 of 10 open ⇒ stop (limit)", { openPullRequests: 10 }, "stop", "limit"],
    ["same plan, recorded head, all labels ⇒ resume (complete)", { pullRequest: pr() }, "resume"],
    ["same plan, a label missing ⇒ resume", { pullRequest: pr({ labels: ["medic"] }) }, "resume"],
    ["changed plan ⇒ update", { pullRequest: pr({ body: body({ planHash: "q".repeat(64) }) }) }, "update"],
    ["unrecorded head ⇒ inspect it", { pullRequest: pr({ headSha: "2".repeat(40) }) }, "inspect-head"],
    [
      "unrecorded head the bot wrote ⇒ update",
      { pullRequest: pr({ headSha: "2".repeat(40) }), headOwner: "bot" },
      "update",
    ],
    [
      "head a person pushed ⇒ stop",
      { pullRequest: pr({ headSha: "2".repeat(40) }), headOwner: "human" },
      "stop",
      "human-pushed",
    ],
    [
      "hands-off label ⇒ stop silently",
      { pullRequest: pr({ labels: ["medic:hands-off"] }) },
      "stop",
      "hands-off",
    ],
    ["PR by someone else ⇒ stop", { pullRequest: pr({ author: "mallory" }) }, "stop", "foreign-pr"],
    ["PR without marker ⇒ stop", { pullRequest: pr({ body: "hi" }) }, "stop", "foreign-pr"],
    [
      "PR for another incident ⇒ stop",
      { pullRequest: pr({ body: body({ incidentKey: "K/x" }) }) },
      "stop",
      "foreign-pr",
    ],
    ["two markers ⇒ stop", { pullRequest: pr({ body: `${body()}\n${body()}` }) }, "stop", "foreign-pr"],
  ])("%s", (_name, over, kind, reason) => {
    const res = decideRemediationAction(input(over));
    expect(res.kind).toBe(kind);
    if (reason) expect(res).toMatchObject({ reason });
    if (res.kind === "resume") expect(res.complete).toBe(_name.includes("complete"));
  });

  it("a head recorded in the body needs no commit read", () => {
    expect(decideRemediationAction(input({ pullRequest: pr() })).kind).not.toBe("inspect-head");
  });
});

describe("isBotCommit", () => {
  const bot = { login: BOT, userId: 41898282 };
  const botPerson = { name: BOT, email: `41898282+${BOT}@users.noreply.github.com` };
  const webFlow = { name: "GitHub", email: "noreply@github.com" };
  const human = { name: "Alice", email: "alice@example.com" };
  it.each([
    ["API commit by the bot, signed by GitHub", { author: botPerson, committer: webFlow }, true],
    ["API commit by the bot, bot committer", { author: botPerson, committer: botPerson }, true],
    ["a person's push", { author: human, committer: human }, false],
    ["a person's web edit", { author: human, committer: webFlow }, false],
    ["a person's rebase of the bot commit", { author: botPerson, committer: human }, false],
    [
      "another app",
      { author: { name: "x[bot]", email: "1+x[bot]@users.noreply.github.com" }, committer: webFlow },
      false,
    ],
    [
      "wrong user id",
      { author: { name: BOT, email: `1+${BOT}@users.noreply.github.com` }, committer: webFlow },
      false,
    ],
  ])("%s", (_n, commit, expected) => {
    expect(isBotCommit(commit, bot)).toBe(expected);
  });
});
