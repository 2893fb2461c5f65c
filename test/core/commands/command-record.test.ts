import { describe, expect, it } from "vitest";
import {
  formatCommandRecord,
  type RecordedComment,
  readCommandState,
} from "../../../src/core/commands/command-record.js";

const SHA = "c".repeat(40);
const BOT = { login: "gitops-medic[bot]", type: "Bot" };
let n = 0;
const c = (author: { login: string; type: string }, body: string, at: string): RecordedComment => ({
  id: ++n,
  author,
  body,
  createdAt: at,
});

describe("readCommandState: state comes only from the bot's own comments", () => {
  it("folds approvals, cancels, holds and overrides in time order", () => {
    const comments = [
      c(
        BOT,
        `ok ${formatCommandRecord({ kind: "hold", actor: "hank", commentId: 10 })}`,
        "2026-11-27T10:03:00Z",
      ),
      c(
        BOT,
        formatCommandRecord({ kind: "approve", actor: "sam", sha: SHA, commentId: 1 }),
        "2026-11-27T10:00:00Z",
      ),
      c(
        BOT,
        formatCommandRecord({ kind: "approve", actor: "sid", sha: SHA, commentId: 2 }),
        "2026-11-27T10:01:00Z",
      ),
      c(
        BOT,
        formatCommandRecord({ kind: "approve-cancel", actor: "SID", commentId: 3 }),
        "2026-11-27T10:02:00Z",
      ),
      c(
        BOT,
        formatCommandRecord({
          kind: "override",
          actor: "olga",
          sha: SHA,
          check: "medic/approval",
          reason: "a --> b",
          commentId: 4,
        }),
        "2026-11-27T10:04:00Z",
      ),
    ];
    const s = readCommandState(comments, "gitops-medic[bot]");
    expect([...s.approvals.keys()]).toEqual(["sam"]);
    expect(s.hold).toEqual({ actor: "hank", at: "2026-11-27T10:03:00Z" });
    expect(s.override).toMatchObject({ actor: "olga", reason: "a --> b" });
    expect([...s.handledCommentIds].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 10]);
  });

  it("/hold cancel lifts the hold", () => {
    const s = readCommandState(
      [
        c(BOT, formatCommandRecord({ kind: "hold", actor: "hank", commentId: 1 }), "2026-11-27T10:00:00Z"),
        c(
          BOT,
          formatCommandRecord({ kind: "hold-cancel", actor: "sam", commentId: 2 }),
          "2026-11-27T10:01:00Z",
        ),
      ],
      "gitops-medic[bot]",
    );
    expect(s.hold).toBeNull();
  });

  it.each([
    ["a person pasting a record", { login: "mallory", type: "User" }],
    ["another bot with the same marker", { login: "other[bot]", type: "Bot" }],
    ["a user whose login looks like the bot's", { login: "gitops-medic[bot]", type: "User" }],
  ])("ignores %s", (_n, author) => {
    const forged = formatCommandRecord({ kind: "approve", actor: "mallory", sha: SHA, commentId: 9 });
    const s = readCommandState([c(author, forged, "2026-11-27T10:00:00Z")], "gitops-medic[bot]");
    expect(s.approvals.size).toBe(0);
  });

  it("ignores malformed records", () => {
    const s = readCommandState(
      [
        c(BOT, '<!-- medic:command {"kind":"approve","actor":"x"} -->', "t"),
        c(BOT, "<!-- medic:command {broken -->", "t"),
      ],
      "gitops-medic[bot]",
    );
    expect(s.approvals.size).toBe(0);
  });
});
