import { readFile } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { CODEOWNERS_PATHS, findOwners, parseCodeowners } from "../../core/approval/parse-codeowners.js";
import { type CliCommand, UsageError } from "../command.js";
import { readFlags } from "../read-flags.js";

const USAGE = `Usage: medic owners [--codeowners FILE] [--format text|json] PATH...

Shows who owns each path under a CODEOWNERS file (GitHub's rules: the last matching line wins) and the
line that decided it — how to find out why medic/approval asks a given team.

Options:
  --codeowners FILE  the CODEOWNERS file (default: .github/CODEOWNERS, CODEOWNERS or docs/CODEOWNERS under
                     the current directory, the first that exists, as GitHub looks them up).
  --format FORMAT    text (default) or json: one {"path","owners":[...],"line"} per path; owners is empty
                     and line null when no line matches; owners is empty with a line number when that
                     line leaves the path explicitly unowned.

Exit status: 0 answered (invalid CODEOWNERS lines are reported on stderr), 2 usage or input error.
`;

export const ownersCommand: CliCommand = {
  name: ["owners"],
  summary: "who owns each path under CODEOWNERS, and the line that decided it",
  usage: USAGE,
  async run(argv, io) {
    const flags = readFlags(argv, { values: ["--codeowners", "--format"], positionals: true });
    const file = flags.value("--codeowners");
    const format = flags.value("--format") ?? "text";
    const paths = flags.positionals;
    if (format !== "text" && format !== "json")
      throw new UsageError(`--format must be text or json, not "${format}"`);
    if (paths.length === 0) throw new UsageError("give at least one PATH");

    let text: string | undefined;
    let shown = file;
    if (file) {
      text = await readFile(resolve(io.cwd, file), "utf8").catch((err: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot read ${file}: ${err.code ?? err.message}`);
      });
    } else {
      for (const candidate of CODEOWNERS_PATHS) {
        text = await readFile(resolve(io.cwd, candidate), "utf8").catch(() => undefined);
        if (text !== undefined) {
          shown = candidate;
          break;
        }
      }
      if (text === undefined)
        throw new UsageError(`no CODEOWNERS file in ${CODEOWNERS_PATHS.join(", ")}; use --codeowners FILE`);
    }
    const co = parseCodeowners(text, shown);
    for (const e of co.errors) {
      io.stderr(
        `medic owners: ${shown}:${e.line}: ${e.message} (GitHub skips this line; medic/approval fails closed)\n`,
      );
    }
    const rows = paths.map((p) => {
      const path = normalise(p, io.cwd);
      const rule = findOwners(co, path);
      return { path, owners: rule ? rule.owners.map((o) => o.text) : [], line: rule ? rule.line : null };
    });
    if (format === "json") {
      io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    const width = Math.max(...rows.map((r) => r.path.length)) + 2;
    for (const r of rows) {
      const who =
        r.line === null
          ? "(no owner: no line matches)"
          : r.owners.length
            ? r.owners.join(" ")
            : "(explicitly unowned)";
      io.stdout(`${r.path.padEnd(width)}${who}${r.line === null ? "" : `  ${shown}:${r.line}`}\n`);
    }
    return 0;
  },
};

/** A repository-relative POSIX path; `./x` and absolute paths under the cwd are accepted, `..` is not. */
function normalise(p: string, cwd: string): string {
  let path = isAbsolute(p) ? relative(cwd, p) : p;
  path = path.replace(/\\/g, "/").replace(/^(\.\/)+/, "");
  if (path === "" || path.split("/").includes(".."))
    throw new UsageError(`"${p}" is not a path inside the repository`);
  return path;
}
