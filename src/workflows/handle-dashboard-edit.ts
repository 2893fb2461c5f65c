import { checkPermission } from "../core/commands/check-permission.js";
import type { Role } from "../core/commands/command-spec.js";
import { findCommandSpec } from "../core/commands/registry.js";
import { type DashboardBox, diffBoxes, readDashboardState } from "../core/dashboard/dashboard-boxes.js";
import type { DashboardState } from "../core/dashboard/dashboard-model.js";
import { escapeMarkdown } from "../core/markdown/escape-markdown.js";
import type { Clock } from "./ports/clock.js";
import type { ActionResult, Permissions } from "./ports/commands.js";
import type { DashboardIssue, DashboardStore } from "./ports/dashboard.js";
import type { Logger } from "./ports/logger.js";
import type { RunCommandResult } from "./run-command.js";

export interface HandleDashboardEditDeps {
  store: Pick<DashboardStore, "reply">;
  permissions: Permissions;
  /**
   * Runs a slash command on a pull request exactly as a new comment by `actor` would (`runCommand` with the
   * command handler's dependencies): same permission check, same reply and record on the PR.
   */
  runCommand(pr: number, text: string, actor: string, commentId: number): Promise<RunCommandResult>;
  /** Opens the tuning PR of a proposal (`proposeTuning`). */
  proposeTuning(proposalId: string, actor: string): Promise<ActionResult>;
  /** Re-renders the dashboard with `state` (unticking every box that was not taken up). */
  refresh(state: DashboardState, current: DashboardIssue): Promise<void>;
  clock: Clock;
  logger: Logger;
  botLogin: string;
}

export interface DashboardEdit {
  issue: DashboardIssue;
  /** `changes.body.from`: the body before the edit (the bot's last version). */
  before: string | null;
  sender: { login: string; type: string };
  /** Delivery id: the synthetic command id is derived from it so a redelivery is recognised. */
  delivery: string;
}

export type HandleDashboardEditResult =
  | { kind: "ignored"; reason: string }
  | { kind: "handled"; outcomes: { id: string; status: "done" | "refused"; message: string }[] };

// The command whose permission each box borrows: a box does exactly what its command does.
const SPEC_OF: Record<DashboardBox["kind"], string> = {
  pause: "hold",
  approve: "approve",
  hold: "hold",
  retry: "retry",
  tune: "remediate",
};

/**
 * A person edited the dashboard. Steps:
 * 1. ignore bots (the bot's own rewrites included) and edits that did not touch the body;
 * 2. diff the checkboxes between the previous body and the new one — only boxes that changed, only boxes
 *    the bot had written;
 * 3. per box: the same permission check as its slash command (live role); approve / hold / retry run the
 *    command on the PR through `runCommand`, the pause box changes the kill switch, a tuning box opens
 *    its PR;
 * 4. re-render the body from the bot's state (refused, approve, retry and tuning boxes come back unticked;
 *    a hand-edited state block is restored) and answer refusals with one reply.
 */
export async function handleDashboardEdit(
  deps: HandleDashboardEditDeps,
  edit: DashboardEdit,
): Promise<HandleDashboardEditResult> {
  const actor = edit.sender.login;
  // 1.
  if (edit.sender.type === "Bot" || /\[bot\]$/i.test(actor) || actor === deps.botLogin)
    return { kind: "ignored", reason: "edited by a bot" };
  if (edit.before === null) return { kind: "ignored", reason: "body not changed" };
  // 2.
  const changes = diffBoxes(edit.before, edit.issue.body);
  const state: DashboardState = readDashboardState(edit.before);
  const stateTouched = JSON.stringify(readDashboardState(edit.issue.body)) !== JSON.stringify(state);
  if (changes.length === 0 && !stateTouched) return { kind: "ignored", reason: "no checkbox changed" };
  // 3.
  let role: Role | undefined;
  const outcomes: { id: string; status: "done" | "refused"; message: string }[] = [];
  for (const { id, box, checked } of changes) {
    const spec = findCommandSpec(SPEC_OF[box.kind])!;
    role ??= await deps.permissions.roleOf(actor);
    const perm = checkPermission(spec, { login: actor, isBot: false, role, inOverrideList: false });
    if (!perm.ok) {
      outcomes.push({ id, status: "refused", message: perm.reason });
      continue;
    }
    if (box.kind === "pause") {
      state.paused = checked;
      state.pausedBy = actor;
      state.pausedAt = new Date(deps.clock.now()).toISOString();
      outcomes.push({ id, status: "done", message: checked ? "automation paused" : "automation resumed" });
      continue;
    }
    if (box.kind === "tune") {
      if (!checked) continue;
      const res = await deps.proposeTuning(box.proposal, actor);
      // Its messages name repository files and alerts: escaped here, the other messages are the bot's own Markdown.
      outcomes.push({ id, status: res.ok ? "done" : "refused", message: escapeMarkdown(res.message, 1000) });
      continue;
    }
    const text =
      box.kind === "retry" ? (checked ? "/retry" : null) : `/${box.kind}${checked ? "" : " cancel"}`;
    if (!text) continue;
    const res = await deps.runCommand(
      box.pr,
      text,
      actor,
      syntheticCommentId(`${edit.delivery}:${id}:${checked}`),
    );
    if (res.kind === "handled") {
      for (const o of res.outcomes)
        outcomes.push({ id, status: o.status === "done" ? "done" : "refused", message: o.message });
    } else if (res.kind === "rate-limited") {
      outcomes.push({ id, status: "refused", message: "rate limit: too many commands; try again later" });
    }
  }
  // 4.
  await deps.refresh(state, edit.issue);
  const refused = outcomes.filter((o) => o.status === "refused");
  if (refused.length > 0) {
    const lines = refused.map((o) => `- \`${o.id.replace(/`/g, "")}\`: ${o.message.slice(0, 1000)}`);
    await deps.store.reply(
      edit.issue.number,
      `@${actor} these boxes were not taken up and were unticked:\n\n${lines.join("\n")}`,
    );
  }
  deps.logger.info(
    { issue: edit.issue.number, actor, outcomes: outcomes.map((o) => [o.id, o.status]) },
    "dashboard edit handled",
  );
  return { kind: "handled", outcomes };
}

/**
 * A stand-in comment id for a command that came from a checkbox: negative, so it never equals a real
 * comment id, and derived from the delivery so a redelivered edit is recognised as answered.
 */
export function syntheticCommentId(seed: string): number {
  // FNV-1a, 48 bits (two 24-bit halves keep the arithmetic inside safe integers).
  let h1 = 0x811c9d;
  let h2 = 0x1b8735;
  for (let i = 0; i < seed.length; i++) {
    const c = seed.charCodeAt(i);
    h1 = ((h1 ^ c) * 0x193) % 0x1000000;
    h2 = ((h2 ^ (c + i)) * 0x1b3) % 0x1000000;
  }
  return -(h1 * 0x1000000 + h2 + 1);
}
