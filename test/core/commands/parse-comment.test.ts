import { describe, expect, it } from "vitest";
import { parseComment } from "../../../src/core/commands/parse-comment.js";

const names = (body: string, place: "pull_request" | "issue" = "pull_request") => {
  const r = parseComment(body, place);
  return r.kind === "commands" ? r.commands.map((c) => [c.name, c.args]) : r.kind;
};

describe("parseComment: where a command is recognised", () => {
  it.each<[string, string, unknown]>([
    ["a bare command", "/approve", [["approve", { cancel: false }]]],
    ["with cancel", "/approve cancel", [["approve", { cancel: true }]]],
    ["trailing spaces", "/hold   ", [["hold", { cancel: false }]]],
    ["upper case", "/HOLD", [["hold", { cancel: false }]]],
    ["up to three leading spaces", "   /hold", [["hold", { cancel: false }]]],
    ["four spaces is indented code", "    /hold", "ignore"],
    ["a quote of someone's command is not a command", "> /approve", "ignore"],
    ["a nested quote", ">> /approve", "ignore"],
    ["a command inside a code fence", "```\n/approve\n```", "ignore"],
    ["a command inside a tilde fence", "~~~sh\n/approve\n~~~", "ignore"],
    ["a command after a fence closes", "```\n/hold\n```\n/approve", [["approve", { cancel: false }]]],
    ["an unclosed fence hides the rest", "```\n/approve", "ignore"],
    ["a shorter closing fence does not close", "````\n```\n/approve\n````", "ignore"],
    ["in an HTML comment", "<!-- /approve -->", "ignore"],
    ["in a multi-line HTML comment", "<!--\n/approve\n-->", "ignore"],
    ["after an HTML comment on the same line", "<!-- x --> /approve", "ignore"],
    ["mid-line", "please /approve", "ignore"],
    ["inline code", "`/approve`", "ignore"],
    ["in a list item", "- /approve", "ignore"],
    [
      "several commands in one comment",
      "/hold\nLooks risky.\n/approve cancel",
      [
        ["hold", { cancel: false }],
        ["approve", { cancel: true }],
      ],
    ],
    ["a repeated command runs once", "/hold\n/hold", [["hold", { cancel: false }]]],
    ["CRLF line endings", "hi\r\n/approve\r\n", [["approve", { cancel: false }]]],
    ["a path is not a command", "/etc/hosts is wrong", "ignore"],
    ["a short unknown word is ignored", "/lgtm", "ignore"],
    ["an empty comment", "", "ignore"],
  ])("%s", (_name, body, expected) => {
    expect(names(body)).toEqual(expected);
  });
});

describe("parseComment: arguments are validated per command", () => {
  it.each<[string, string, "pull_request" | "issue", unknown]>([
    ["/scale N", "/scale 5", "issue", [["scale", { replicas: 5 }]]],
    ["/scale 0", "/scale 0", "issue", [["scale", { replicas: 0 }]]],
    ["/rollback to SHA", "/rollback to 3f2c1ab", "issue", [["rollback", { to: "3f2c1ab" }]]],
    ["/rollback", "/rollback", "pull_request", [["rollback", { to: null }]]],
    ["/remediate runbook", "/remediate restart-pod", "issue", [["remediate", { runbook: "restart-pod" }]]],
    ["/promote full", "/promote full", "pull_request", [["promote", { full: true }]]],
    [
      "/override",
      "/override medic/approval INC-42: security on-call unreachable",
      "pull_request",
      [["override", { check: "medic/approval", reason: "INC-42: security on-call unreachable" }]],
    ],
    [
      "/override reason in another script",
      "/override medic/approval Störung — Sicherheit nicht erreichbar",
      "pull_request",
      [["override", { check: "medic/approval", reason: "Störung — Sicherheit nicht erreichbar" }]],
    ],
  ])("%s", (_n, body, place, expected) => {
    expect(names(body, place)).toEqual(expected);
  });

  it.each<[string, string, "pull_request" | "issue", string]>([
    ["shell metacharacters", "/scale 5;rm -rf /", "issue", "expected exactly one number"],
    ["command substitution", "/rollback to $(whoami)", "issue", "a revision is"],
    ["backticks", "/remediate `id`", "issue", "runbook name"],
    ["path traversal", "/rollback to ../../etc", "issue", "a revision is"],
    ["negative replicas", "/scale -1", "issue", "whole number"],
    ["too many replicas", "/scale 5000", "issue", "whole number"],
    ["leading zeros", "/scale 007", "issue", "whole number"],
    ["a word after /hold", "/hold please", "pull_request", "expected nothing or `cancel`"],
    ["args on /help", "/help me", "pull_request", "takes no arguments"],
    ["a zero-width space in an argument", "/approve can\u200Bcel", "pull_request", "invisible"],
    ["a Cyrillic look-alike in an argument", "/approve саncel", "pull_request", "plain ASCII"],
    ["a bidi override in a reason", "/override medic/approval ok\u202Eevil", "pull_request", "invisible"],
    [
      "a control character in a reason",
      "/override medic/approval a\u0007b",
      "pull_request",
      "control characters",
    ],
    ["override of another check", "/override medic/policy because", "pull_request", "only `medic/approval`"],
    ["override without a reason", "/override medic/approval", "pull_request", "a reason is required"],
    ["10 KB of arguments", `/rollback to ${"a".repeat(10_240)}`, "issue", "the limit is 500"],
    ["a 10 KB reason", `/override medic/approval ${"x".repeat(10_240)}`, "pull_request", "the limit is 500"],
  ])("%s ⇒ refused with a reason", (_n, body, place, message) => {
    const r = parseComment(body, place);
    expect(r.kind).toBe("reply");
    if (r.kind !== "reply") return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ kind: "invalid-args" });
    expect(JSON.stringify(r.problems[0])).toContain(message.replace(/`/g, "`"));
  });

  it("a 10 KB argument is handled quickly", () => {
    const t = performance.now();
    parseComment(`/override medic/approval ${"é".repeat(10_240)}\n`.repeat(50), "pull_request");
    expect(performance.now() - t).toBeLessThan(200);
  });
});

describe("parseComment: did you mean, look-alikes and places", () => {
  it.each<[string, string]>([
    ["/aprove", "approve"],
    ["/approev", "approve"],
    ["/hodl", "hold"],
    ["/remdiate", "remediate"],
    ["/аpprove", "approve"], // Cyrillic а
    ["/app\u200Brove", "approve"], // zero-width space inside the word
    ["/ａｐｐｒｏｖｅ", "approve"], // full-width letters
  ])("%s ⇒ did you mean /%s (never run)", (body, suggestion) => {
    const r = parseComment(body, "pull_request");
    expect(r).toEqual({
      kind: "reply",
      problems: [expect.objectContaining({ kind: "unknown", suggestion })],
    });
  });

  it("a valid command runs and a typo next to it is reported", () => {
    const r = parseComment("/hold\n/aprove", "pull_request");
    expect(r.kind).toBe("commands");
    if (r.kind !== "commands") return;
    expect(r.commands.map((c) => c.name)).toEqual(["hold"]);
    expect(r.problems).toEqual([
      expect.objectContaining({ kind: "unknown", line: 2, suggestion: "approve" }),
    ]);
  });

  it.each<[string, "pull_request" | "issue"]>([
    ["/approve", "issue"],
    ["/override medic/approval x", "issue"],
    ["/scale 3", "pull_request"],
    ["/remediate", "pull_request"],
  ])("%s on a %s is refused as the wrong place", (body, place) => {
    expect(parseComment(body, place)).toMatchObject({ kind: "reply", problems: [{ kind: "wrong-place" }] });
  });

  it("more than 10 commands: the rest are refused", () => {
    const body = Array.from({ length: 12 }, (_, i) => `/override medic/approval reason ${i}`).join("\n");
    const r = parseComment(body, "pull_request");
    expect(r.kind).toBe("commands");
    if (r.kind !== "commands") return;
    expect(r.commands).toHaveLength(10);
    expect(r.problems.map((p) => p.kind)).toEqual(["too-many", "too-many"]);
  });
});
