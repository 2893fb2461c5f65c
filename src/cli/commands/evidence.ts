import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { createGitHubEvidenceSource, EvidenceSourceError } from "../../adapters/github/evidence-source.js";
import type { GitHubOctokit } from "../../adapters/github/git-data.js";
import { loadRecordedExport, recordedExportSource } from "../../adapters/local/recorded-export.js";
import { githubBaseUrl, parseEnvConfig } from "../../core/config/env-config.js";
import { formatDuration } from "../../core/util/duration.js";
import { type EvidenceFile, exportEvidence } from "../../workflows/export-evidence.js";
import { systemClock } from "../../workflows/ports/clock.js";
import type { EvidenceSource, ExportProgress } from "../../workflows/ports/evidence-source.js";
import { type CliCommand, type CliIo, UsageError } from "../command.js";

const USAGE = `Usage: medic evidence (--repo OWNER/NAME --since DATE | --from FILE) [--until DATE] --out DIR [--save-export FILE]

Exports a compliance evidence pack: evidence.json (schema gitops-medic/evidence@1), evidence.md and
evidence.html (self-contained, inline SVG charts: MTTD/MTTR, the four DORA keys, policy violations).

Options:
  --repo OWNER/NAME  read the history from GitHub (token from GITHUB_TOKEN or GH_TOKEN; GitHub Enterprise
                     Server through GHE_HOST and GHE_PROTOCOL).
  --from FILE        read a recorded export instead (docs/evidence.md describes the format).
  --since DATE       start of the range, inclusive: YYYY-MM-DD (UTC) or RFC 3339. Required with --repo;
                     with --from it defaults to the export's own range.
  --until DATE       end of the range, exclusive (default: now, or the export's end).
  --out DIR          directory to write; created, or replaced if it only holds a previous evidence pack.
  --save-export FILE also write the recorded export read from GitHub (the input of --from and of
                     \`medic noise --from\`), atomically.

Exit status: 0 written, 1 GitHub refused or failed, 2 usage or input error (nothing is written).
`;

const OUR_FILES = new Set(["evidence.json", "evidence.md", "evidence.html"]);

interface Args {
  repo?: string;
  from?: string;
  since?: string;
  until?: string;
  out: string;
  saveExport?: string;
}

/** `YYYY-MM-DD` (UTC midnight) or RFC 3339 with an offset; anything else names the argument. */
export function parseDateArg(flag: string, value: string): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const full = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(value);
  const t = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  // Date.parse rolls 2026-02-30 over to March: compare back so impossible dates are refused.
  if (
    (!dateOnly && !full) ||
    Number.isNaN(t) ||
    (dateOnly && new Date(t).toISOString().slice(0, 10) !== value)
  ) {
    throw new UsageError(
      `${flag} "${value}" is not a date: use YYYY-MM-DD or RFC 3339 such as 2026-11-01T00:00:00Z`,
    );
  }
  return new Date(t).toISOString();
}

function parseArgs(args: string[]): Args {
  const out: Partial<Args> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] =
      a.startsWith("--") && a.includes("=")
        ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
        : [a, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--repo") {
      const v = value();
      if (!/^[\w.-]+\/[\w.-]+$/.test(v)) throw new UsageError(`--repo "${v}" must be OWNER/NAME`);
      out.repo = v;
    } else if (flag === "--from") out.from = value();
    else if (flag === "--since") out.since = parseDateArg("--since", value());
    else if (flag === "--until") out.until = parseDateArg("--until", value());
    else if (flag === "--out") out.out = value();
    else if (flag === "--save-export") out.saveExport = value();
    else throw new UsageError(`unknown argument ${a}`);
  }
  if (out.repo && out.from) throw new UsageError("give --repo or --from, not both");
  if (!out.repo && !out.from) throw new UsageError("give --repo OWNER/NAME (with --since) or --from FILE");
  if (out.repo && !out.since) throw new UsageError("--since is required with --repo");
  if (!out.out) throw new UsageError("--out DIR is required");
  if (out.since && out.until && Date.parse(out.since) >= Date.parse(out.until)) {
    throw new UsageError(`--since (${out.since}) must be before --until (${out.until})`);
  }
  return out as Args;
}

/** An Octokit for the command line: a token from the environment, github.com or GHE_HOST. */
export async function githubClientFromEnv(env: NodeJS.ProcessEnv): Promise<GitHubOctokit> {
  const token = env["GITHUB_TOKEN"] || env["GH_TOKEN"];
  if (!token) throw new UsageError("set GITHUB_TOKEN or GH_TOKEN to read from GitHub");
  const parsed = parseEnvConfig({ GHE_HOST: env["GHE_HOST"], GHE_PROTOCOL: env["GHE_PROTOCOL"] });
  if (!parsed.ok) throw new UsageError(parsed.message);
  const quiet = () => {};
  // Loaded on demand: offline runs (`--from`, `--ledger`) should not pay for Probot's start-up.
  const { ProbotOctokit } = await import("probot");
  return new ProbotOctokit({
    auth: { token },
    baseUrl: githubBaseUrl(parsed.env),
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  }) as unknown as GitHubOctokit;
}

/** Writes the files into a fresh sibling directory, then renames it into place: `out` is never half-written. */
async function writeAtomically(out: string, files: readonly EvidenceFile[]): Promise<void> {
  const parent = dirname(out);
  await mkdir(parent, { recursive: true });
  let existing: string[] | null = null;
  try {
    if (!(await stat(out)).isDirectory()) throw new UsageError(`--out ${out} exists and is not a directory`);
    existing = await readdir(out);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const foreign = (existing ?? []).filter((f) => !OUR_FILES.has(f));
  if (foreign.length > 0) {
    throw new UsageError(
      `--out ${out} holds other files (${foreign.slice(0, 3).join(", ")}); choose an empty or new directory`,
    );
  }
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const tmp = join(parent, `.${basename(out)}.tmp-${tag}`);
  await mkdir(tmp);
  try {
    for (const f of files) await writeFile(join(tmp, f.name), f.content, "utf8");
    if (existing === null) {
      await rename(tmp, out);
      return;
    }
    const old = join(parent, `.${basename(out)}.old-${tag}`);
    await rename(out, old);
    try {
      await rename(tmp, out);
    } catch (err) {
      await rename(old, out);
      throw err;
    }
    await rm(old, { recursive: true, force: true });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function progressBar(io: CliIo): ((p: ExportProgress) => void) | undefined {
  // Only on a terminal: in CI logs and pipes a bar is noise.
  if (!process.stderr.isTTY) return undefined;
  return (p) => {
    const width = 24;
    const frac = p.total ? Math.min(1, p.done / p.total) : 0;
    const bar = p.total
      ? `[${"#".repeat(Math.round(frac * width)).padEnd(width, ".")}] ${p.done}/${p.total}`
      : `${p.done}…`;
    io.stderr(`\r\x1b[2K${p.phase.padEnd(20)} ${bar}`);
    if (p.total !== null && p.done >= p.total) io.stderr("\n");
  };
}

export const evidenceCommand: CliCommand = {
  name: ["evidence"],
  summary: "export a compliance evidence pack (Markdown, JSON, HTML with charts)",
  usage: USAGE,
  async run(argv, io) {
    const args = parseArgs(argv);
    const out = resolve(io.cwd, args.out);
    let source: EvidenceSource;
    if (args.from) {
      const path = resolve(io.cwd, args.from);
      const loaded = await loadRecordedExport(path);
      if (!loaded.ok) throw new UsageError(`--from ${loaded.message}`);
      source = recordedExportSource(loaded.export, args.from);
    } else {
      const [owner, repo] = args.repo!.split("/") as [string, string];
      source = createGitHubEvidenceSource(await githubClientFromEnv(io.env), { owner, repo });
    }
    const until = args.until ?? (args.repo ? new Date(systemClock.now()).toISOString() : undefined);
    if (args.since && until && Date.parse(args.since) >= Date.parse(until)) {
      throw new UsageError(`--since (${args.since}) must be before --until (${until})`);
    }
    let res: Awaited<ReturnType<typeof exportEvidence>>;
    try {
      const onProgress = progressBar(io);
      res = await exportEvidence({
        source,
        ...(args.since ? { since: args.since } : {}),
        ...(until ? { until } : {}),
        clock: systemClock,
        ...(onProgress ? { onProgress } : {}),
      });
    } catch (err) {
      if (err instanceof EvidenceSourceError) {
        io.stderr(`medic evidence: ${err.message}\n`);
        return 1;
      }
      const status = (err as { status?: unknown }).status;
      if (typeof status === "number") {
        // Octokit's message names the request; it never contains the token.
        io.stderr(`medic evidence: GitHub answered ${status}: ${(err as Error).message.split("\n")[0]}\n`);
        return 1;
      }
      throw err;
    }
    if (!res.ok) throw new UsageError(`${res.field}: ${res.message}`);
    if (args.saveExport) {
      const file = resolve(io.cwd, args.saveExport);
      const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
      await mkdir(dirname(file), { recursive: true });
      await writeFile(tmp, `${JSON.stringify(res.export, null, 2)}\n`, "utf8");
      await rename(tmp, file);
    }
    await writeAtomically(out, res.files);
    const d = res.pack.dora;
    const s = res.pack.summary;
    io.stdout(
      `wrote ${join(args.out, "evidence.{json,md,html}")}: ${s.incidents} incidents (${s.majorIncidents} major), ` +
        `MTTD ${s.mttd.medianMs === null ? "n/a" : formatDuration(s.mttd.medianMs)}, MTTR ${s.mttr.medianMs === null ? "n/a" : formatDuration(s.mttr.medianMs)}; ` +
        `${d.deploymentFrequency.deployments} deployments, lead time ${d.leadTime.medianMs === null ? "n/a" : formatDuration(d.leadTime.medianMs)}, ` +
        `change failure rate ${d.changeFailureRate.rate === null ? "n/a" : `${Math.round(d.changeFailureRate.rate * 1000) / 10}%`}, ` +
        `time to restore ${d.timeToRestore.medianMs === null ? "n/a" : formatDuration(d.timeToRestore.medianMs)}; ` +
        `${s.violationsFixed}/${s.violationsFound} violations fixed; ${res.pack.doraReports.length} DORA report draft(s)\n`,
    );
    return 0;
  },
};
