import { type CliCommand, type CliIo, UsageError } from "./command.js";
import { commands } from "./registry.js";

const HELP_HEADER = `medic — gitops-medic, heals a Kubernetes/OpenStack platform through Git

Usage: medic <command> [options]

Commands:`;

export function renderHelp(list: readonly CliCommand[] = commands): string {
  const rows = list.map((c) => [c.name.join(" "), c.summary] as const);
  const width = Math.max(...rows.map(([n]) => n.length)) + 2;
  const lines = rows.map(([n, s]) => `  ${n.padEnd(width)}${s}`);
  return `${HELP_HEADER}\n${lines.join("\n")}\n\nRun \`medic <command> --help\` for a command's options.\n`;
}

/** Finds the command whose name is the longest prefix of argv. */
export function findCommand(argv: readonly string[], list: readonly CliCommand[] = commands) {
  let best: { cmd: CliCommand; rest: string[] } | undefined;
  for (const cmd of list) {
    if (cmd.name.every((w, i) => argv[i] === w) && (!best || cmd.name.length > best.cmd.name.length)) {
      best = { cmd, rest: argv.slice(cmd.name.length) };
    }
  }
  return best;
}

export async function main(argv: string[], io?: Partial<CliIo>): Promise<number> {
  const full: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    ...io,
  };
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    full.stdout(renderHelp());
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === "--version") {
    full.stdout("gitops-medic 0.1.0\n");
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const group = commands.filter((c) => c.name[0] === argv[0]);
    if (group.length > 0) {
      full.stderr(
        `medic: "${argv.join(" ")}" needs a sub-command: ${group.map((c) => c.name.join(" ")).join(", ")}\n`,
      );
    } else {
      full.stderr(`medic: unknown command "${argv[0]}"; run \`medic --help\` for the list\n`);
    }
    return 2;
  }
  if (found.rest.includes("--help") || found.rest.includes("-h")) {
    full.stdout(`${found.cmd.usage.trimEnd()}\n`);
    return 0;
  }
  try {
    return await found.cmd.run(found.rest, full);
  } catch (err) {
    if (err instanceof UsageError) {
      full.stderr(`medic ${found.cmd.name.join(" ")}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
