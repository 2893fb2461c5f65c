import { appendAuditBlock } from "../core/audit/append-audit-block.js";
import { checkPermission } from "../core/commands/check-permission.js";
import { type CommandRecord, readCommandState } from "../core/commands/command-record.js";
import type { CommandPlace, Role } from "../core/commands/command-spec.js";
import { parseComment } from "../core/commands/parse-comment.js";
import { findCommandSpec, type Invocation } from "../core/commands/registry.js";
import {
  type CommandOutcome,
  hasReplyFor,
  problemOutcome,
  renderCommandReply,
} from "../core/commands/render-command-reply.js";
import { renderHelp } from "../core/commands/render-help.js";
import type { ApprovalConfig } from "../core/config/sections/approval.js";
import type { CommandsConfig } from "../core/config/sections/commands.js";
import { escapeMarkdown } from "../core/markdown/escape-markdown.js";
import { formatDuration } from "../core/util/duration.js";
import type { AuditEntry, AuditSink } from "./ports/audit-sink.js";
import type { Clock } from "./ports/clock.js";
import type { CommandActions, CommandRateLimit, Conversation, Permissions } from "./ports/commands.js";
import type { Logger } from "./ports/logger.js";
import type { PullRequestReader } from "./ports/pull-request.js";

export interface RunCommandDeps {
  conversation: Conversation;
  permissions: Permissions;
  rateLimit: CommandRateLimit;
  actions: CommandActions;
  /** Head SHA of a pull request (for `/approve` and `/override`). */
  pulls: Pick<PullRequestReader, "get">;
  /** Re-runs the `medic/approval` check after an approval, hold or override on a pull request. */
  reevaluate: (number: number) => Promise<void>;
  logger: Logger;
  botLogin: string;
  /** `templates/command-reply.md`. */
  template: string;
  /** Every answered comment leaves an Evidence record (hidden block in the reply + ledger). */
  audit: AuditSink;
  clock: Clock;
}

export interface CommandComment {
  owner: string;
  repo: string;
  /** Issue or pull request number. */
  number: number;
  place: CommandPlace;
  /** Webhook action: only `created` runs anything. */
  action: string;
  comment: { id: number; body: string; author: { login: string; type: string } };
  /** `X-GitHub-Delivery` of the webhook, for the audit record. */
  deliveryId?: string;
}

export type RunCommandResult =
  | { kind: "ignored"; reason: string }
  | { kind: "rate-limited" }
  | { kind: "handled"; outcomes: CommandOutcome[] };

/**
 * Turns one comment into commands: parse, then per command check place, permission (live), hold and
 * arguments, act, and answer with reactions and a single reply. Refusals change nothing.
 */
export async function runCommand(
  deps: RunCommandDeps,
  config: { approval: ApprovalConfig; commands: CommandsConfig },
  input: CommandComment,
): Promise<RunCommandResult> {
  const { comment } = input;
  // 1. Only new comments by people: an edit must never turn old text into an approval; bots never command.
  if (input.action !== "created") return { kind: "ignored", reason: `comment ${input.action}` };
  if (comment.author.type === "Bot" || /\[bot\]$/i.test(comment.author.login)) {
    return { kind: "ignored", reason: "comment by a bot" };
  }
  if (!config.commands.enabled)
    return { kind: "ignored", reason: "commands are disabled in .github/medic.yml" };

  // 2. Parse: nothing for the bot ⇒ no reaction, no reply.
  const parsed = parseComment(comment.body, input.place);
  if (parsed.kind === "ignore") return { kind: "ignored", reason: "no command" };

  // 3. Redelivery: the bot already answered this comment.
  const comments = await deps.conversation.listComments(input.number);
  const own = comments.filter((c) => c.author?.type === "Bot" && c.author.login === deps.botLogin);
  if (own.some((c) => hasReplyFor(c.body, comment.id)))
    return { kind: "ignored", reason: "already answered" };
  await deps.conversation.react(comment.id, "eyes");

  // 4. Per-user rate limit (refused comments get 👎 and one reply per window).
  const limit = await deps.rateLimit.take(
    `${input.owner}/${input.repo}:${comment.author.login.toLowerCase()}`,
  );
  if (!limit.ok) {
    await deps.conversation.react(comment.id, "-1");
    // Only the first refusal of a window is answered (and recorded): a flood must not flood the ledger.
    if (limit.firstRefusal) {
      const refused: CommandOutcome[] = [
        {
          line: 1,
          text: comment.body.split("\n")[0] ?? "",
          status: "refused",
          message: `rate limit: at most ${config.commands.rateLimit.perUser} commands per ${config.commands.rateLimit.window} per person; try again in ${formatDuration(limit.retryAfterMs)}`,
        },
      ];
      const record = commandAuditRecord(deps, input, refused, {});
      deps.audit.record(record);
      await deps.conversation.reply(
        input.number,
        appendAuditBlock(renderCommandReply(comment.id, refused, deps.template), record),
      );
    }
    return { kind: "rate-limited" };
  }

  // 5. Each command in order.
  const outcomes: CommandOutcome[] = parsed.problems.map(problemOutcome);
  const commands = parsed.kind === "commands" ? parsed.commands : [];
  const state = readCommandState(comments, deps.botLogin);
  let role: Role | undefined;
  let inOverrideList: boolean | undefined;
  let headSha: string | undefined;
  let extra = "";
  let touchedGate = false;
  const actor = comment.author.login;
  for (const inv of commands) {
    const spec = findCommandSpec(inv.name)!;
    role ??= await deps.permissions.roleOf(actor);
    if (spec.who.overrideList && inOverrideList === undefined) {
      inOverrideList = await isListed(deps.permissions, config.approval.overrideUsers, actor);
    }
    const perm = checkPermission(spec, {
      login: actor,
      isBot: false,
      role,
      inOverrideList: inOverrideList ?? false,
    });
    if (!perm.ok) {
      outcomes.push({ line: inv.line, text: inv.text, status: "refused", message: perm.reason });
      continue;
    }
    if (state.hold && !spec.allowedOnHold) {
      outcomes.push({
        line: inv.line,
        text: inv.text,
        status: "refused",
        message: `on hold by @${state.hold.actor}: \`/hold cancel\` first`,
      });
      continue;
    }
    const needsHead = inv.name === "approve" || inv.name === "override";
    if (needsHead && headSha === undefined) headSha = (await deps.pulls.get(input.number)).headSha;
    const out = await runOne(deps, input, inv, { actor, headSha, state });
    if (out.record) {
      applyRecord(state, out.record, actor);
      touchedGate = true;
    }
    if (inv.name === "help" && out.status === "done") extra = renderHelp();
    outcomes.push(out);
  }

  // 6. One reply ending with the audit block, reactions, and the gate re-evaluated when its inputs changed.
  const record = commandAuditRecord(deps, input, outcomes, {
    ...(role ? { role } : {}),
    ...(headSha ? { headSha } : {}),
  });
  deps.audit.record(record);
  for (const o of outcomes) {
    // An override is the decision auditors ask about first: its own record, the reason verbatim.
    if (o.record?.kind === "override" && o.status === "done") {
      deps.audit.record({
        ...record,
        action: "approval.override",
        reason: o.record.reason,
        shas: { head: o.record.sha },
        inputs: { check: o.record.check, commentId: comment.id, role },
        outcome: { status: "ok", detail: `${o.record.check} overridden by @${actor}` },
      });
    }
  }
  await deps.conversation.reply(
    input.number,
    appendAuditBlock(renderCommandReply(comment.id, outcomes, deps.template, extra), record),
  );
  if (outcomes.some((o) => o.status === "done")) await deps.conversation.react(comment.id, "+1");
  if (outcomes.some((o) => o.status === "refused")) await deps.conversation.react(comment.id, "-1");
  if (touchedGate && input.place === "pull_request") await deps.reevaluate(input.number);
  deps.logger.info(
    {
      repo: `${input.owner}/${input.repo}`,
      number: input.number,
      actor,
      outcomes: outcomes.map((o) => ({ line: o.line, status: o.status })),
    },
    "commands handled",
  );
  return { kind: "handled", outcomes };
}

/** The Evidence record of one answered comment: every command in it, done or refused, and why. */
function commandAuditRecord(
  deps: RunCommandDeps,
  input: CommandComment,
  outcomes: readonly CommandOutcome[],
  ctx: { role?: Role; headSha?: string },
): AuditEntry {
  const done = outcomes.filter((o) => o.status === "done").length;
  const refused = outcomes.length - done;
  const sorted = [...outcomes].sort((a, b) => a.line - b.line);
  return {
    v: 1,
    at: new Date(deps.clock.now()).toISOString(),
    actor: { kind: "user", login: input.comment.author.login },
    action: "command.handled",
    reason: sorted
      .map((o) => o.text.slice(0, 200))
      .join("\n")
      .slice(0, 4000),
    ...(input.deliveryId ? { deliveryId: input.deliveryId } : {}),
    subject: {
      kind: input.place === "pull_request" ? "pull_request" : "issue",
      repo: `${input.owner}/${input.repo}`,
      number: input.number,
    },
    shas: ctx.headSha ? { head: ctx.headSha } : {},
    inputs: {
      commentId: input.comment.id,
      place: input.place,
      ...(ctx.role ? { role: ctx.role } : {}),
      commands: sorted.map((o) => ({
        line: o.line,
        text: o.text.slice(0, 200),
        status: o.status,
        message: o.message.slice(0, 500),
      })),
    },
    outcome: {
      status: done === 0 ? "refused" : "ok",
      detail: `${done} done, ${refused} refused`,
    },
  };
}

async function runOne(
  deps: RunCommandDeps,
  input: CommandComment,
  inv: Invocation,
  ctx: { actor: string; headSha: string | undefined; state: ReturnType<typeof readCommandState> },
): Promise<CommandOutcome> {
  const base = { line: inv.line, text: inv.text };
  const commentId = input.comment.id;
  const { actor, state } = ctx;
  switch (inv.name) {
    case "help":
      return { ...base, status: "done", message: "the commands are listed below" };
    case "approve": {
      if (inv.args.cancel) {
        if (!state.approvals.has(actor.toLowerCase())) {
          return {
            ...base,
            status: "done",
            message: `@${actor} had no standing \`/approve\`; nothing to cancel`,
          };
        }
        return {
          ...base,
          status: "done",
          message: `withdrew @${actor}'s approval`,
          record: { kind: "approve-cancel", actor, commentId },
        };
      }
      const sha = ctx.headSha!;
      return {
        ...base,
        status: "done",
        message: `recorded @${actor}'s approval at ${sha.slice(0, 7)}; \`medic/approval\` counts it if @${actor} qualifies, until the next push`,
        record: { kind: "approve", actor, sha, commentId },
      };
    }
    case "hold": {
      if (inv.args.cancel) {
        if (!state.hold) return { ...base, status: "done", message: "was not on hold" };
        return {
          ...base,
          status: "done",
          message: "hold lifted",
          record: { kind: "hold-cancel", actor, commentId },
        };
      }
      if (state.hold) return { ...base, status: "done", message: `already on hold by @${state.hold.actor}` };
      return {
        ...base,
        status: "done",
        message: "on hold: merging and automation are blocked until `/hold cancel`",
        record: { kind: "hold", actor, commentId },
      };
    }
    case "override": {
      const sha = ctx.headSha!;
      return {
        ...base,
        status: "done",
        message: `\`medic/approval\` overridden by @${actor} at ${sha.slice(0, 7)} — reason: ${escapeMarkdown(inv.args.reason, 500)}`,
        record: { kind: "override", actor, sha, check: inv.args.check, reason: inv.args.reason, commentId },
      };
    }
    default: {
      const action = deps.actions[inv.name] as
        | ((
            c: Parameters<NonNullable<CommandActions["retry"]>>[0],
            i: Invocation,
          ) => ReturnType<NonNullable<CommandActions["retry"]>>)
        | undefined;
      if (!action) {
        return {
          ...base,
          status: "refused",
          message: `\`/${inv.name}\` is not available yet in this installation; nothing was done`,
        };
      }
      const res = await action(
        { owner: input.owner, repo: input.repo, number: input.number, place: input.place, actor },
        inv,
      );
      return { ...base, status: res.ok ? "done" : "refused", message: escapeMarkdown(res.message, 1000) };
    }
  }
}

/** Keeps the in-memory state in step with records written earlier in the same comment. */
function applyRecord(state: ReturnType<typeof readCommandState>, r: CommandRecord, actor: string): void {
  const at = "now";
  if (r.kind === "approve") state.approvals.set(actor.toLowerCase(), { actor, sha: r.sha, at });
  if (r.kind === "approve-cancel") state.approvals.delete(actor.toLowerCase());
  if (r.kind === "hold") state.hold = { actor, at };
  if (r.kind === "hold-cancel") state.hold = null;
  if (r.kind === "override") state.override = { actor, sha: r.sha, reason: r.reason, at };
}

/** `approval.overrideUsers` holds logins and `org/team` entries; teams are checked live. */
async function isListed(permissions: Permissions, list: readonly string[], login: string): Promise<boolean> {
  for (const raw of list) {
    const entry = raw.replace(/^@/, "");
    if (!entry.includes("/")) {
      if (entry.toLowerCase() === login.toLowerCase()) return true;
      continue;
    }
    const [org, team] = entry.split("/") as [string, string];
    if (await permissions.isActiveMember(org, team, login)) return true;
  }
  return false;
}
