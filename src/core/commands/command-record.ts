import { z } from "zod";

/**
 * What the bot records, in a hidden marker in its own reply, when a stateful command takes effect.
 * State (approvals, hold, override) is read back only from comments the bot itself wrote: a person can
 * paste the same marker into a comment, but it is ignored because the author is not the bot.
 */
export const CommandRecord = z.discriminatedUnion("kind", [
  z.strictObject({
    /** `/approve`: counts like an approving review at `sha`. */
    kind: z.literal("approve"),
    /** Login of the person who ran the command. */
    actor: z.string().min(1).max(64),
    /** PR head SHA when the command ran. */
    sha: z.string().regex(/^[0-9a-f]{40}$/),
    /** Id of the comment that carried the command (makes a redelivery idempotent). */
    commentId: z.number().int(),
  }),
  z.strictObject({
    /** `/approve cancel`: withdraws the actor's command approval. */
    kind: z.literal("approve-cancel"),
    /** Login of the person who ran the command. */
    actor: z.string().min(1).max(64),
    /** Id of the comment that carried the command. */
    commentId: z.number().int(),
  }),
  z.strictObject({
    /** `/hold`: blocks merge and automation. */
    kind: z.literal("hold"),
    /** Login of the person who ran the command. */
    actor: z.string().min(1).max(64),
    /** Id of the comment that carried the command. */
    commentId: z.number().int(),
  }),
  z.strictObject({
    /** `/hold cancel`: lifts the hold. */
    kind: z.literal("hold-cancel"),
    /** Login of the person who ran the command. */
    actor: z.string().min(1).max(64),
    /** Id of the comment that carried the command. */
    commentId: z.number().int(),
  }),
  z.strictObject({
    /** `/override medic/approval REASON`: break-glass approval at `sha`. */
    kind: z.literal("override"),
    /** Login of the person who ran the command. */
    actor: z.string().min(1).max(64),
    /** PR head SHA the override applies to. */
    sha: z.string().regex(/^[0-9a-f]{40}$/),
    /** The check overridden. */
    check: z.literal("medic/approval"),
    /** Why, as the actor wrote it. */
    reason: z.string().min(1).max(1000),
    /** Id of the comment that carried the command. */
    commentId: z.number().int(),
  }),
]);
export type CommandRecord = z.infer<typeof CommandRecord>;

const RECORD_RE = /<!-- medic:command (\{[^\n]*?\}) -->/g;

/** The hidden marker for a record; `<`, `>`, `&` are escaped so user text in `reason` cannot end the comment. */
export function formatCommandRecord(record: CommandRecord): string {
  const json = JSON.stringify(CommandRecord.parse(record)).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `<!-- medic:command ${json} -->`;
}

/** A comment as the state reader needs it. */
export interface RecordedComment {
  id: number;
  author: { login: string; type: string } | null;
  body: string;
  createdAt: string;
}

export interface CommandState {
  /** Standing `/approve` records by login (lower-case key). */
  approvals: Map<string, { actor: string; sha: string; at: string }>;
  hold: { actor: string; at: string } | null;
  override: { actor: string; sha: string; reason: string; at: string } | null;
  /** Comment ids already acted on (a redelivered command is not recorded twice). */
  handledCommentIds: Set<number>;
}

/**
 * Folds the bot's own records, oldest first, into the current state. Comments by anyone else are skipped
 * whatever they contain.
 */
export function readCommandState(comments: readonly RecordedComment[], botLogin: string): CommandState {
  const state: CommandState = {
    approvals: new Map(),
    hold: null,
    override: null,
    handledCommentIds: new Set(),
  };
  const own = comments
    .filter((c) => c.author?.type === "Bot" && c.author.login.toLowerCase() === botLogin.toLowerCase())
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
  for (const c of own) {
    for (const m of c.body.matchAll(RECORD_RE)) {
      let raw: unknown;
      try {
        raw = JSON.parse(m[1]!);
      } catch {
        continue;
      }
      const parsed = CommandRecord.safeParse(raw);
      if (!parsed.success) continue;
      const r = parsed.data;
      state.handledCommentIds.add(r.commentId);
      const key = r.actor.toLowerCase();
      switch (r.kind) {
        case "approve":
          state.approvals.set(key, { actor: r.actor, sha: r.sha, at: c.createdAt });
          break;
        case "approve-cancel":
          state.approvals.delete(key);
          break;
        case "hold":
          state.hold = { actor: r.actor, at: c.createdAt };
          break;
        case "hold-cancel":
          state.hold = null;
          break;
        case "override":
          state.override = { actor: r.actor, sha: r.sha, reason: r.reason, at: c.createdAt };
          break;
      }
    }
  }
  return state;
}
