/** GitHub repository roles, weakest first (`GET /repos/{o}/{r}/collaborators/{u}/permission` → `role_name`). */
export const ROLES = ["none", "read", "triage", "write", "maintain", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Where a command may be used: a pull request, or an (incident) issue. */
export type CommandPlace = "pull_request" | "issue";

/** Who carries a command out: the command workflow itself, or another workflow through `CommandActions`. */
export type CommandHandler = "builtin" | "action";

export type ArgsResult<A> = { ok: true; value: A } | { ok: false; message: string };

/** One slash command: its own usage, who may use it and examples (`/help` and docs are generated from these). */
export interface CommandSpec<
  N extends string = string,
  A = unknown,
  H extends CommandHandler = CommandHandler,
> {
  /** The word after the slash. */
  name: N;
  /** One line for `/help`. */
  summary: string;
  /** Usage lines, e.g. `/hold [cancel]`. */
  usage: readonly string[];
  /** Example comments. */
  examples: readonly string[];
  /** Where it may be used. */
  places: readonly CommandPlace[];
  /** Who may use it. */
  who: {
    /** Weakest repository role allowed. */
    minRole: Role;
    /** Also required: being listed in `approval.overrideUsers` (users or `org/team`). */
    overrideList?: boolean;
  };
  /**
   * `builtin`: handled completely by the command workflow. `action`: dispatched to the `CommandActions`
   * port, implemented by other workflows (incident, remediation, rollout).
   */
  handler: H;
  /** Whether it still runs while the PR or incident is on hold (stopping and reading are allowed). */
  allowedOnHold: boolean;
  /** Validates the text after the command word. Never passed to a shell. */
  parseArgs(args: string): ArgsResult<A>;
}

/** Keeps the literal types of a command's name and arguments. */
export function defineCommand<const N extends string, A, const H extends CommandHandler>(
  spec: CommandSpec<N, A, H>,
): CommandSpec<N, A, H> {
  return spec;
}

export function roleAtLeast(role: Role, min: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(min);
}
