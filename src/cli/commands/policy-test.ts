import { readdir, readFile, stat } from "node:fs/promises";
import * as path from "node:path";
import { readYamlFiles } from "../../adapters/local/read-yaml-files.js";
import { checkKyvernoTest, type TestCaseOutcome } from "../../core/policy/check-kyverno-test.js";
import { evaluatePolicies } from "../../core/policy/evaluate-policies.js";
import { loadManifests } from "../../core/policy/load-manifests.js";
import { describePolicyError, loadPolicies } from "../../core/policy/load-policies.js";
import { parseKyvernoTest } from "../../core/policy/parse-kyverno-test.js";
import { parseYamlDocument } from "../../core/yaml/parse-yaml.js";
import { type CliCommand, UsageError } from "../command.js";

const TEST_FILE = "kyverno-test.yaml";

const USAGE = `Usage: medic policy test DIR

Runs every Kyverno CLI test file (${TEST_FILE}) under DIR against gitops-medic's engine: each file lists
policies, resources and expected results (pass, fail, warn, skip, error) per policy, rule and resource.
Prints one line per expected result and ends with "N passed, N failed".

Exit status: 0 all passed, 1 a result differed (or a test file could not be run), 2 usage error.
`;

async function findTestFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await findTestFiles(p)));
    else if (e.name === TEST_FILE) out.push(p);
  }
  return out;
}

export const policyTestCommand: CliCommand = {
  name: ["policy", "test"],
  summary: "run Kyverno CLI test files (kyverno-test.yaml) against the engine",
  usage: USAGE,
  async run(args, io) {
    const dirs = args.filter((a) => !a.startsWith("-"));
    const unknown = args.find((a) => a.startsWith("-"));
    if (unknown) throw new UsageError(`unknown option ${unknown}`);
    if (dirs.length !== 1) throw new UsageError("give exactly one folder");
    const root = path.resolve(io.cwd, dirs[0]!);
    try {
      if (!(await stat(root)).isDirectory()) throw new UsageError(`${dirs[0]} is not a folder`);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`cannot read ${dirs[0]}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    const files = await findTestFiles(root);
    if (files.length === 0) throw new UsageError(`no ${TEST_FILE} under ${dirs[0]}`);
    let passed = 0;
    let failed = 0;
    for (const file of files) {
      const rel = path.relative(io.cwd, file).split(path.sep).join("/");
      const problem = (msg: string) => {
        io.stdout(`ERROR ${rel}: ${msg}\n`);
        failed++;
      };
      const doc = parseYamlDocument(await readFile(file, "utf8"), rel);
      if (!doc.ok) {
        problem(doc.error.message);
        continue;
      }
      const parsed = parseKyvernoTest(doc.document.value);
      if (!parsed.ok) {
        problem(`field ${parsed.field}: ${parsed.message}`);
        continue;
      }
      const test = parsed.test;
      io.stdout(`${rel}${test.name ? ` (${test.name})` : ""}\n`);
      if (test.variables) {
        problem(`variables/values files are not supported (${test.variables}); the test was not run`);
        continue;
      }
      const dir = path.dirname(file);
      let policyTexts: Awaited<ReturnType<typeof readYamlFiles>>;
      let resourceTexts: Awaited<ReturnType<typeof readYamlFiles>>;
      try {
        policyTexts = await readYamlFiles(test.policies, dir);
        resourceTexts = await readYamlFiles(test.resources, dir);
      } catch (err) {
        problem(
          `cannot read ${(err as NodeJS.ErrnoException).path ?? ""}: ${(err as NodeJS.ErrnoException).code ?? err}`,
        );
        continue;
      }
      const policies = loadPolicies(policyTexts);
      if (policies.errors.length > 0) {
        problem(policies.errors.map(describePolicyError).join("; "));
        continue;
      }
      const manifests = loadManifests(resourceTexts);
      if (manifests.errors.length > 0) {
        problem(manifests.errors.map((e) => `${e.file}: ${e.message}`).join("; "));
        continue;
      }
      const outcomes = checkKyvernoTest(
        test.results,
        evaluatePolicies(policies.policies, manifests.resources),
      );
      for (const o of outcomes) {
        io.stdout(`  ${formatOutcome(o)}\n`);
        if (o.ok) passed++;
        else failed++;
      }
    }
    io.stdout(`${passed} passed, ${failed} failed\n`);
    return failed > 0 ? 1 : 0;
  },
};

function formatOutcome(o: TestCaseOutcome): string {
  const res = `${o.kind ? `${o.kind}/` : ""}${o.resource}`;
  const head = `${o.ok ? "PASS" : "FAIL"} ${o.policy}/${o.rule} ${res}: expected ${o.expected}, got ${o.actual}`;
  return o.ok || !o.message ? head : `${head} (${o.message})`;
}
