import type { CliCommand } from "../command.js";

/** A listed command whose feature has not landed yet: it says so plainly and exits non-zero. */
export function notBuilt(name: string[], summary: string): CliCommand {
  return {
    name,
    summary: `${summary} (not built yet)`,
    usage: `medic ${name.join(" ")}: not built yet.`,
    async run(_args, io) {
      io.stderr(`medic ${name.join(" ")}: not built yet in this version of gitops-medic\n`);
      return 2;
    },
  };
}
