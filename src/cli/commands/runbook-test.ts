import { readdir, stat } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  LocalInputError,
  openLocalEnvironment,
  readAlertFile,
  readInput,
} from "../../adapters/local/open-local-environment.js";
import { overlayRepo } from "../../adapters/local/overlay-repo.js";
import { bundledRunbooksDir } from "../../adapters/local/read-runbook-dir.js";
import { describeRunbookError } from "../../core/runbook/parse-runbook.js";
import { compareDecision, RunbookTestCase } from "../../core/runbook/runbook-test-case.js";
import { parseYamlDocument } from "../../core/yaml/parse-yaml.js";
import { manualClock } from "../../workflows/ports/clock.js";
import { silentLogger } from "../../workflows/ports/logger.js";
import { observeDecision, simulateAlert } from "../../workflows/simulate-alert.js";
import { type CliCommand, UsageError } from "../command.js";

const USAGE = `Usage: medic runbook test [DIR] [--verbose]

Runs the runbook test cases in DIR/tests/*.yaml (DIR defaults to the bundled runbooks/): each case is an
Alertmanager payload, a repository fixture and optionally a cluster snapshot, config and file overrides,
with the decision it must produce — status, runbook, risk, the exact lines each changed file loses and
gains, imperative steps, or the failure kind and field. The runbooks tested are the bundled ones plus
DIR/*.yaml when DIR is another folder (e.g. a repository's .github/medic/runbooks). A broken runbook in
DIR counts as a failed test. Ends with "N passed, N failed"; exit 1 when any failed.`;

export const runbookTestCommand: CliCommand = {
  name: ["runbook", "test"],
  summary: "run runbook test cases (alert + repo fixture ⇒ expected changes)",
  usage: USAGE,
  async run(args, io) {
    let parsed: ReturnType<typeof parseCli>;
    try {
      parsed = parseCli(args);
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    if (parsed.positionals.length > 1) throw new UsageError("give at most one DIR");
    const bundled = bundledRunbooksDir();
    const dir = resolve(io.cwd, parsed.positionals[0] ?? bundled);
    const isBundled = resolve(dir) === resolve(bundled);
    try {
      const st = await stat(dir);
      if (!st.isDirectory()) throw new Error();
    } catch {
      io.stderr(`medic runbook test: ${parsed.positionals[0] ?? dir}: not a directory\n`);
      return 2;
    }
    const testsDir = join(dir, "tests");
    let files: string[];
    try {
      files = (await readdir(testsDir)).filter((f) => /\.ya?ml$/.test(f)).sort();
    } catch {
      files = [];
    }
    if (files.length === 0) {
      io.stderr(`medic runbook test: no test cases in ${relative(io.cwd, testsDir) || testsDir}/*.yaml\n`);
      return 2;
    }
    let passed = 0;
    let failed = 0;
    const show = (p: string) => relative(io.cwd, p) || p;
    for (const f of files) {
      const file = join(testsDir, f);
      const res = await runCase(file, isBundled ? undefined : dir, io.cwd);
      if (res.ok) {
        passed++;
        io.stdout(`ok   ${show(file)}: ${res.name}\n`);
        if (parsed.values.verbose) for (const n of res.notes) io.stdout(`       ${n}\n`);
      } else {
        failed++;
        io.stdout(`FAIL ${show(file)}: ${res.name}\n`);
        for (const d of res.diffs) io.stdout(`       ${d.replace(/\n/g, "\n       ")}\n`);
      }
    }
    io.stdout(`${passed} passed, ${failed} failed\n`);
    return failed > 0 ? 1 : 0;
  },
};

function parseCli(args: string[]) {
  return parseArgs({ args, options: { verbose: { type: "boolean" } }, allowPositionals: true, strict: true });
}

type CaseResult = { ok: true; name: string; notes: string[] } | { ok: false; name: string; diffs: string[] };

async function runCase(file: string, extraRunbooksDir: string | undefined, cwd: string): Promise<CaseResult> {
  const base = dirname(file);
  let text: string;
  try {
    text = await readInput(cwd, file, "test case");
  } catch (err) {
    return { ok: false, name: "(unreadable)", diffs: [err instanceof Error ? err.message : String(err)] };
  }
  const parsed = parseYamlDocument(text, file);
  if (!parsed.ok) return { ok: false, name: "(invalid YAML)", diffs: [parsed.error.message] };
  const tc = RunbookTestCase.safeParse(parsed.document.value);
  if (!tc.success) {
    const issue = tc.error.issues[0];
    return {
      ok: false,
      name: "(invalid test case)",
      diffs: [`field \`${issue?.path.join(".") || "(root)"}\`: ${issue?.message ?? "invalid"}`],
    };
  }
  const c = tc.data;
  const now = Date.parse(c.now);
  if (Number.isNaN(now))
    return { ok: false, name: c.name, diffs: [`field \`now\`: "${c.now}" is not an RFC 3339 time`] };
  try {
    const env = await openLocalEnvironment({
      repoDir: resolve(base, c.repo),
      cwd,
      git: false,
      ...(c.config ? { configFile: resolve(base, c.config) } : {}),
      ...(c.cluster ? { clusterFile: resolve(base, c.cluster) } : {}),
      ...(extraRunbooksDir ? { extraRunbooksDir } : {}),
    });
    const errors = env.registry.errors.map((e) => `runbook not loaded: ${describeRunbookError(e)}`);
    if (errors.length > 0) return { ok: false, name: c.name, diffs: errors };
    const payload = await readAlertFile(cwd, resolve(base, c.alert));
    const sim = await simulateAlert(
      { payload, registry: env.registry, config: env.config, ...(c.runbook ? { runbook: c.runbook } : {}) },
      {
        repo: overlayRepo(env.repo.worktree, c.files),
        history: null,
        historyNote: "test fixture: no history",
        cluster: env.cluster,
        clock: manualClock(now),
        logger: silentLogger,
      },
    );
    if (!sim.ok)
      return { ok: false, name: c.name, diffs: [`${c.alert}: field \`${sim.field}\`: ${sim.message}`] };
    const first = sim.results[0];
    if (!first) return { ok: false, name: c.name, diffs: [`${c.alert}: no incident in the payload`] };
    const got = observeDecision(first);
    const diffs = compareDecision(c.expect, got);
    return diffs.length === 0
      ? { ok: true, name: c.name, notes: [got.reason] }
      : { ok: false, name: c.name, diffs: [...diffs, `(decision: ${got.status}: ${got.reason})`] };
  } catch (err) {
    if (err instanceof LocalInputError) return { ok: false, name: c.name, diffs: [err.message] };
    throw err;
  }
}
