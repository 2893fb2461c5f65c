/** What a `medic` sub-command gets: its arguments and where to write. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Working directory for relative paths. */
  cwd: string;
  /** Environment (GitHub token, etc.); only the CLI reads it, never the core. */
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (progress bars). */
  isTTY: boolean;
}

export interface CliCommand {
  /** Words that select it, e.g. `["policy", "check"]`. */
  name: string[];
  /** One line for `medic --help`. */
  summary: string;
  /** Usage text for `medic <cmd> --help`. */
  usage: string;
  /** Exit code: 0 success, 1 a finding or failure the command reports, 2 a usage or input error. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Error for bad arguments or input: printed as `medic: <message>`, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
