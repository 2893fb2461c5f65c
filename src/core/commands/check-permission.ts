import { type CommandSpec, type Role, roleAtLeast } from "./command-spec.js";

/** What is known about the person who wrote a command. */
export interface CommandActor {
  login: string;
  /** Bots and apps never run commands (no bot loops, no automation approving automation). */
  isBot: boolean;
  /** Live repository role. */
  role: Role;
  /** Listed in `approval.overrideUsers` (directly or through a team). */
  inOverrideList: boolean;
}

export type PermissionResult = { ok: true } | { ok: false; reason: string };

/** Whether `actor` may run `spec`; the reason is written for the person refused. */
export function checkPermission(
  spec: Pick<CommandSpec, "name" | "who">,
  actor: CommandActor,
): PermissionResult {
  if (actor.isBot) return { ok: false, reason: "bots and apps cannot run commands" };
  if (!roleAtLeast(actor.role, spec.who.minRole)) {
    return {
      ok: false,
      reason: `\`/${spec.name}\` needs the ${spec.who.minRole} role or higher on this repository; @${actor.login} has ${actor.role}`,
    };
  }
  if (spec.who.overrideList && !actor.inOverrideList) {
    return {
      ok: false,
      reason: `\`/${spec.name}\` is limited to the people listed in \`approval.overrideUsers\` in .github/medic.yml`,
    };
  }
  return { ok: true };
}

/** The "who" column of `/help` and docs/commands.md. */
export function describeWho(spec: Pick<CommandSpec, "who">): string {
  const base = spec.who.minRole === "none" ? "anyone who can comment" : `${spec.who.minRole} role or higher`;
  return spec.who.overrideList ? `${base}, and listed in \`approval.overrideUsers\`` : base;
}
