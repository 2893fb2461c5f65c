import { describe, expect, it } from "vitest";
import { createMemoryAuditSink } from "../../src/adapters/memory/audit-sink.js";
import { parseAuditBlock } from "../../src/core/audit/audit-block.js";
import type { RecordedComment } from "../../src/core/commands/command-record.js";
import { ApprovalConfig } from "../../src/core/config/sections/approval.js";
import { CommandsConfig } from "../../src/core/config/sections/commands.js";
import { type CommandActions, createMemoryCommandRateLimit } from "../../src/workflows/ports/commands.js";
import { silentLogger } from "../../src/workflows/ports/logger.js";
import { type CommandComment, runCommand } from "../../src/workflows/run-command.js";

const HEAD = "d".repeat(40);

function harness(
  opts: { roles?: Record<string, string>; actions?: CommandActions; comments?: RecordedComment[] } = {},
) {
  const comments: RecordedComment[] = [...(opts.comments ?? [])];
  const replies: string[] = [];
  const reactions: string[] = [];
  const reevaluated: number[] = [];
  let t = 0;
  const audit = createMemoryAuditSink();
  const deps = {
    conversation: {
      listComments: async () => comments,
      reply: async (_n: number, body: string) => {
        replies.push(body);
        comments.push({
          id: 1000 + replies.length,
          author: { login: "gitops-medic[bot]", type: "Bot" },
          body,
          createdAt: `2026-11-27T12:00:0${replies.length}Z`,
        });
      },
      react: async (_id: number, r: string) => void reactions.push(r),
    },
    permissions: {
      roleOf: async (login: string) => (opts.roles?.[login] ?? "none") as never,
      isActiveMember: async (_o: string, team: string, login: string) =>
        team === "breakglass" && login === "olga",
    },
    rateLimit: createMemoryCommandRateLimit({ limit: 10, windowMs: 60_000, now: () => t }),
    actions: opts.actions ?? {},
    pulls: { get: async () => ({ headSha: HEAD }) as never },
    reevaluate: async (n: number) => void reevaluated.push(n),
    logger: silentLogger,
    botLogin: "gitops-medic[bot]",
    template: "{{lines}}\n{{footer}}\n",
    audit,
    clock: { now: () => Date.parse("2026-11-27T12:00:00Z") + t * 1000 },
  };
  const config = {
    approval: ApprovalConfig.parse({ overrideUsers: ["@acme/breakglass"] }),
    commands: CommandsConfig.parse({}),
  };
  const send = (
    body: string,
    login = "sam",
    place: "pull_request" | "issue" = "pull_request",
    id = 1,
    action = "created",
  ) => {
    t += 1;
    const input: CommandComment = {
      owner: "o",
      repo: "r",
      number: 5,
      place,
      action,
      comment: { id, body, author: { login, type: "User" } },
    };
    return runCommand(deps, config, input);
  };
  return { send, replies, reactions, reevaluated, comments, audit };
}

describe("runCommand", () => {
  it("a line that opens an HTML comment is never a command, even with a valid command on it", async () => {
    const h = harness({ roles: { olga: "admin" } });
    expect(await h.send("/override medic/approval <!-- hidden --> x", "olga")).toEqual({
      kind: "ignored",
      reason: "no command",
    });
  });

  it("edited and deleted comments are ignored before anything else", async () => {
    const h = harness({ roles: { sam: "admin" } });
    expect(await h.send("/hold", "sam", "pull_request", 1, "edited")).toEqual({
      kind: "ignored",
      reason: "comment edited",
    });
    expect(h.replies).toEqual([]);
    expect(h.reactions).toEqual([]);
  });

  it("several commands: one reply, in line order, each with its outcome; the gate is re-run once", async () => {
    const h = harness({ roles: { sam: "write" } });
    await h.send("/hold\n/approve\n/approve cancel\n/hold cancel");
    expect(h.replies).toHaveLength(1);
    const lines = h.replies[0]!.split("\n").filter((l) => l.startsWith("- "));
    expect(lines).toEqual([
      "- ✅ `/hold`: on hold: merging and automation are blocked until `/hold cancel`",
      `- ✅ \`/approve\`: recorded @sam's approval at ddddddd; \`medic/approval\` counts it if @sam qualifies, until the next push`,
      "- ✅ `/approve cancel`: withdrew @sam's approval",
      "- ✅ `/hold cancel`: hold lifted",
    ]);
    expect(h.reevaluated).toEqual([5]);
    expect(h.reactions).toEqual(["eyes", "+1"]);
  });

  it("/override: listed through a team, recorded with the head SHA and the reason", async () => {
    const h = harness({ roles: { olga: "maintain" } });
    await h.send("/override medic/approval outage --> <b>&", "olga");
    const reply = h.replies[0]!;
    expect(reply).toContain(
      `"kind":"override","actor":"olga","sha":"${HEAD}","check":"medic/approval","reason":"outage --\\u003e \\u003cb\\u003e\\u0026"`,
    );
    // The user's text cannot close an HTML comment in the bot's reply: only the bot's own three markers end
    // (command record, reply marker, audit block).
    expect(reply.match(/-->/g)).toHaveLength(3);
    const handled = {
      v: 1,
      at: "2026-11-27T12:00:01.000Z",
      actor: { kind: "user", login: "olga" },
      action: "command.handled",
      reason: "/override medic/approval outage --> <b>&",
      subject: { kind: "pull_request", repo: "o/r", number: 5 },
      shas: { head: HEAD },
      inputs: {
        commentId: 1,
        place: "pull_request",
        role: "maintain",
        commands: [
          {
            line: 1,
            text: "/override medic/approval outage --> <b>&",
            status: "done",
            message: "`medic/approval` overridden by @olga at ddddddd — reason: outage --&gt; &lt;b&gt;&amp;",
          },
        ],
      },
      outcome: { status: "ok", detail: "1 done, 0 refused" },
    };
    expect(h.audit.records).toEqual([
      handled,
      {
        ...handled,
        action: "approval.override",
        reason: "outage --> <b>&",
        inputs: { check: "medic/approval", commentId: 1, role: "maintain" },
        outcome: { status: "ok", detail: "medic/approval overridden by @olga" },
      },
    ]);
    // The reply ends with the hidden block of the comment's record, the same one the ledger gets.
    expect(parseAuditBlock(reply)).toEqual({ ok: true, record: handled });
  });

  it("a refused command is recorded as refused, with the role that decided it", async () => {
    const h = harness({ roles: { rob: "read" } });
    await h.send("/approve", "rob");
    expect(h.audit.records).toEqual([
      {
        v: 1,
        at: "2026-11-27T12:00:01.000Z",
        actor: { kind: "user", login: "rob" },
        action: "command.handled",
        reason: "/approve",
        subject: { kind: "pull_request", repo: "o/r", number: 5 },
        shas: {},
        inputs: {
          commentId: 1,
          place: "pull_request",
          role: "read",
          commands: [
            {
              line: 1,
              text: "/approve",
              status: "refused",
              message: h.replies[0]!.match(/`\/approve`: (.*)/)![1],
            },
          ],
        },
        outcome: { status: "refused", detail: "0 done, 1 refused" },
      },
    ]);
    expect(h.replies[0]).toContain("needs the write role or higher");
    expect(parseAuditBlock(h.replies[0]!)).toEqual({ ok: true, record: h.audit.records[0] });
  });

  it("rate limit: the first refused comment of a window is answered and recorded, later ones are not", async () => {
    const h = harness({ roles: { sam: "write" } });
    for (let i = 0; i < 12; i++) await h.send("/hold", "sam", "pull_request", 100 + i);
    const refusals = h.audit.records.filter((r) => r.outcome.status === "refused");
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({
      action: "command.handled",
      reason: "/hold",
      inputs: { commentId: 110, place: "pull_request", commands: [{ line: 1, status: "refused" }] },
    });
    expect(refusals[0]!.inputs["commands"]).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^rate limit: at most 10 commands per/) }),
    ]);
    expect(h.audit.records).toHaveLength(11);
    expect(parseAuditBlock(h.replies.at(-1)!)).toEqual({ ok: true, record: refusals[0] });
  });

  it("an action that fails reports its message and 👎", async () => {
    const h = harness({
      roles: { sam: "write" },
      actions: { rollback: async () => ({ ok: false, message: "no healthy revision in history" }) },
    });
    await h.send("/rollback", "sam", "issue");
    expect(h.replies[0]).toContain("- ❌ `/rollback`: no healthy revision in history");
    expect(h.reactions).toEqual(["eyes", "-1"]);
  });

  it("the action receives the validated arguments", async () => {
    const seen: unknown[] = [];
    const h = harness({
      roles: { sam: "write" },
      actions: { scale: async (_c, inv) => (seen.push(inv.args), { ok: true, message: "PR opened" }) },
    });
    await h.send("/scale 3", "sam", "issue");
    expect(seen).toEqual([{ replicas: 3 }]);
  });
});
