import type { RecordedComment } from "../../core/commands/command-record.js";
import type { Role } from "../../core/commands/command-spec.js";
import type { ActionCommandName, ActionInvocation } from "../../core/commands/registry.js";

/** Reactions the bot leaves on a command comment. */
export type CommandReaction = "eyes" | "+1" | "-1";

/** The issue or pull request conversation a command was written in. */
export interface Conversation {
  /** Every comment, oldest first (the bot's records are read from them). */
  listComments(number: number): Promise<RecordedComment[]>;
  reply(number: number, body: string): Promise<void>;
  react(commentId: number, reaction: CommandReaction): Promise<void>;
}

/** Live permission facts about the person who wrote a command. */
export interface Permissions {
  /** Repository role (`none` when not a collaborator). */
  roleOf(login: string): Promise<Role>;
  /** Whether `login` is an active member of `org/team`. */
  isActiveMember(org: string, team: string, login: string): Promise<boolean>;
}

/** Where an action command runs. */
export interface ActionContext {
  owner: string;
  repo: string;
  number: number;
  place: "pull_request" | "issue";
  actor: string;
}

/** An expected outcome of an action, told to the person who asked. */
export type ActionResult = { ok: true; message: string } | { ok: false; message: string };

/**
 * The commands other workflows carry out (`/remediate`, `/rollback`, …). Each workflow that exists in
 * this installation fills in its method; a missing one makes the bot say the command is not available yet.
 */
export type CommandActions = {
  [N in ActionCommandName]?: (
    ctx: ActionContext,
    invocation: Extract<ActionInvocation, { name: N }>,
  ) => Promise<ActionResult>;
};

/** Per-user command budget. */
export interface CommandRateLimit {
  /** Takes one command from `key`'s budget; `retryAfterMs` when none is left (and whether this is the first refusal in the window). */
  take(key: string): Promise<{ ok: true } | { ok: false; retryAfterMs: number; firstRefusal: boolean }>;
}

/** A sliding-window rate limit in process memory (one replica; Redis for several). */
export function createMemoryCommandRateLimit(opts: {
  limit: number;
  windowMs: number;
  now: () => number;
}): CommandRateLimit {
  const hits = new Map<string, number[]>();
  const refusedIn = new Map<string, number>();
  return {
    async take(key) {
      const now = opts.now();
      const recent = (hits.get(key) ?? []).filter((t) => t > now - opts.windowMs);
      if (recent.length >= opts.limit) {
        hits.set(key, recent);
        const first = (refusedIn.get(key) ?? Number.NEGATIVE_INFINITY) <= now - opts.windowMs;
        if (first) refusedIn.set(key, now);
        return { ok: false, retryAfterMs: recent[0]! + opts.windowMs - now, firstRefusal: first };
      }
      recent.push(now);
      hits.set(key, recent);
      // Bound memory: forget keys whose window has passed.
      if (hits.size > 10_000) {
        for (const [k, v] of hits) if (v.every((t) => t <= now - opts.windowMs)) hits.delete(k);
      }
      return { ok: true };
    },
  };
}
