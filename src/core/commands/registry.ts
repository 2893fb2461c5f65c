import type { CommandSpec } from "./command-spec.js";
import { abortCommand } from "./definitions/abort.js";
import { approveCommand } from "./definitions/approve.js";
import { diagnoseCommand } from "./definitions/diagnose.js";
import { helpCommand } from "./definitions/help.js";
import { holdCommand } from "./definitions/hold.js";
import { overrideCommand } from "./definitions/override.js";
import { promoteCommand } from "./definitions/promote.js";
import { remediateCommand } from "./definitions/remediate.js";
import { retryCommand } from "./definitions/retry.js";
import { rollbackCommand } from "./definitions/rollback.js";
import { scaleCommand } from "./definitions/scale.js";

/** Every slash command, in the order `/help` and docs/commands.md list them. */
export const COMMANDS = [
  remediateCommand,
  diagnoseCommand,
  rollbackCommand,
  scaleCommand,
  approveCommand,
  holdCommand,
  retryCommand,
  abortCommand,
  promoteCommand,
  overrideCommand,
  helpCommand,
] as const;

type AnyCommand = (typeof COMMANDS)[number];
export type CommandName = AnyCommand["name"];

/** A recognised, validated command from one line of a comment. */
export type Invocation = AnyCommand extends infer C
  ? C extends CommandSpec<infer N, infer A>
    ? {
        name: N;
        args: A;
        /** 1-based line in the comment. */
        line: number;
        /** The line as written (trimmed), for replies. */
        text: string;
      }
    : never
  : never;

export type ActionInvocation = Extract<Invocation, { name: ActionCommandName }>;
export type ActionCommandName = Extract<AnyCommand, { handler: "action" }>["name"];

export function findCommandSpec(name: string): AnyCommand | undefined {
  return COMMANDS.find((c) => c.name === name);
}
