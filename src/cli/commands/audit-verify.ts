import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { createGitHubAuditLedger } from "../../adapters/github/audit-ledger.js";
import { verifyChain } from "../../core/audit/hash-chain.js";
import { type CliCommand, UsageError } from "../command.js";
import { readFlags } from "../read-flags.js";
import { githubClientFromEnv } from "./evidence.js";

const USAGE = `Usage: medic audit verify (--ledger FILE | --repo OWNER/NAME [--branch B] [--path P]) [--head HASH] [--format text|json]

Verifies the hash chain of an audit ledger (JSON Lines, one Evidence record per line) from its first line
and reports the first break: its line number, what the chain expected and what the line holds.

Options:
  --ledger FILE      a local ledger file.
  --repo OWNER/NAME  the ledger on the repository's ledger branch (token from GITHUB_TOKEN or GH_TOKEN).
  --branch B         ledger branch (default medic-audit).
  --path P           ledger file on that branch (default audit.jsonl).
  --head HASH        the hash the last line must carry (anchored elsewhere): detects a truncated or
                     rewritten tail, which the chain alone cannot.
  --format FORMAT    text (default) or json.

Exit status: 0 intact, 1 broken (or head mismatch), 2 usage or input error.
`;

export const auditVerifyCommand: CliCommand = {
  name: ["audit", "verify"],
  summary: "verify the hash chain of an audit ledger",
  usage: USAGE,
  async run(argv, io) {
    const flags = readFlags(argv, {
      values: ["--ledger", "--repo", "--branch", "--path", "--head", "--format"],
    });
    const o = {
      ledger: flags.value("--ledger"),
      repo: flags.value("--repo"),
      branch: flags.value("--branch"),
      path: flags.value("--path"),
      head: flags.value("--head")?.toLowerCase(),
      format: flags.value("--format") ?? "text",
    };
    if (!!o.ledger === !!o.repo) throw new UsageError("give --ledger FILE or --repo OWNER/NAME");
    if (o.repo && !/^[\w.-]+\/[\w.-]+$/.test(o.repo))
      throw new UsageError(`--repo "${o.repo}" must be OWNER/NAME`);
    if ((o.branch || o.path) && !o.repo) throw new UsageError("--branch and --path go with --repo");
    if (o.format !== "text" && o.format !== "json")
      throw new UsageError(`--format must be text or json, not "${o.format}"`);
    if (o.head && !/^[0-9a-f]{64}$/.test(o.head))
      throw new UsageError("--head must be a 64-character sha-256 hex hash");

    let text: string;
    let name: string;
    if (o.ledger) {
      name = o.ledger;
      try {
        text = await readFile(resolve(io.cwd, o.ledger), "utf8");
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw new UsageError(
          `--ledger cannot read ${o.ledger}: ${e.code === "ENOENT" ? "no such file" : e.message}`,
        );
      }
    } else {
      const [owner, repo] = o.repo!.split("/") as [string, string];
      const ledger = createGitHubAuditLedger(
        await githubClientFromEnv(io.env),
        { owner, repo },
        { ...(o.branch ? { branch: o.branch } : {}), ...(o.path ? { path: o.path } : {}) },
      );
      name = ledger.name;
      try {
        const read = await ledger.read();
        if (read.version === null) throw new UsageError(`${ledger.name}: the ledger branch does not exist`);
        text = read.text;
      } catch (err) {
        if (err instanceof UsageError) throw err;
        const status = (err as { status?: unknown }).status;
        if (typeof status !== "number") throw err;
        io.stderr(
          `medic audit verify: GitHub answered ${status}: ${(err as Error).message.split("\n")[0]}\n`,
        );
        return 1;
      }
    }
    const res = verifyChain(text);
    const headMismatch = res.ok && o.head !== undefined && res.tip.hash !== o.head;
    if (o.format === "json") {
      io.stdout(
        `${JSON.stringify({ ledger: name, ok: res.ok && !headMismatch, records: res.tip.count, head: res.tip.hash, break: res.ok ? null : res.break, ...(o.head ? { expectedHead: o.head } : {}) }, null, 2)}\n`,
      );
    } else if (!res.ok) {
      io.stdout(
        `${name}: BROKEN at line ${res.break.line} (${res.break.kind}): ${res.break.message}\n  expected: ${res.break.expected}\n  found:    ${res.break.found}\n  ${res.tip.count} record(s) before the break are intact.\n`,
      );
    } else if (headMismatch) {
      io.stdout(
        `${name}: chain intact (${res.tip.count} records) but its head is ${res.tip.hash}, not ${o.head}: the end of the ledger was removed or rewritten\n`,
      );
    } else {
      io.stdout(`${name}: OK, ${res.tip.count} record(s), head ${res.tip.hash}\n`);
    }
    return res.ok && !headMismatch ? 0 : 1;
  },
};
