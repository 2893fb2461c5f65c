import { mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  LocalInputError,
  openLocalEnvironment,
  readAlertFile,
  readInput,
} from "../../adapters/local/open-local-environment.js";
import { renderPlanText } from "../../core/plan/render-plan-text.js";
import { compareDecision, type DemoScenario, DemoScenarios } from "../../core/runbook/runbook-test-case.js";
import { parseYamlDocument } from "../../core/yaml/parse-yaml.js";
import { type PlanPolicyResult, renderPlanPolicyText } from "../../workflows/evaluate-plan-policies.js";
import { manualClock } from "../../workflows/ports/clock.js";
import { silentLogger } from "../../workflows/ports/logger.js";
import { observeDecision, type SimulationResult, simulateAlert } from "../../workflows/simulate-alert.js";
import { type CliCommand, UsageError } from "../command.js";
import { evaluateResultPolicies, readBundledPolicies } from "./simulate.js";

const USAGE = `Usage: medic demo [--examples DIR] [--out FILE]

The offline end-to-end story: every scenario of examples/alerts/scenarios.yaml (an Alertmanager payload
and a cluster snapshot) goes through the real pipeline — incident, diagnosis, runbook match, parameters,
file changes, policy results, risk and approvals — against the example GitOps repository examples/gitops.
Prints a short story per scenario and writes the full plans with their diffs and every policy evaluation
to a Markdown report.

  --examples DIR   the examples folder (default: the package's examples/)
  --out FILE       the report file (default: .medic-out/demo-report.md in the current directory)

Exit 0 only when every scenario reached the decision it expects; 1 otherwise.`;

export const demoCommand: CliCommand = {
  name: ["demo"],
  summary: "the offline end-to-end story on examples/",
  usage: USAGE,
  async run(args, io) {
    let values: { examples?: string; out?: string };
    try {
      values = parseArgs({
        args,
        options: { examples: { type: "string" }, out: { type: "string" } },
        strict: true,
        allowPositionals: false,
      }).values;
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    const examples = values.examples
      ? resolve(io.cwd, values.examples)
      : fileURLToPath(new URL("../../../examples/", import.meta.url));
    const scenariosFile = resolve(examples, "alerts/scenarios.yaml");
    const repoDir = resolve(examples, "gitops");
    const reportFile = resolve(io.cwd, values.out ?? ".medic-out/demo-report.md");
    let scenarios: DemoScenario[];
    try {
      const text = await readInput(io.cwd, scenariosFile, "scenarios");
      const parsed = parseYamlDocument(text, scenariosFile);
      if (!parsed.ok) throw new LocalInputError(`${scenariosFile}: ${parsed.error.message}`);
      const res = DemoScenarios.safeParse(parsed.document.value);
      if (!res.success) {
        const issue = res.error.issues[0];
        throw new LocalInputError(
          `${scenariosFile}: field \`${issue?.path.join(".") || "(root)"}\`: ${issue?.message}`,
        );
      }
      scenarios = res.data.scenarios;
    } catch (err) {
      if (err instanceof LocalInputError) {
        io.stderr(`medic demo: ${err.message}\n`);
        return 2;
      }
      throw err;
    }

    io.stdout(
      `gitops-medic demo: ${scenarios.length} incidents against ${relative(io.cwd, repoDir) || repoDir}\n`,
    );
    const report: string[] = [
      "# gitops-medic demo report",
      "",
      `Repository: \`${relative(io.cwd, repoDir) || repoDir}\` · scenarios: \`${relative(io.cwd, scenariosFile)}\``,
      "",
    ];
    let asExpected = 0;
    const started = performance.now();
    const bundledPolicies = await readBundledPolicies();
    for (const [i, sc] of scenarios.entries()) {
      const base = dirname(scenariosFile);
      let result: SimulationResult | undefined;
      let policy: PlanPolicyResult | null = null;
      let error: string | undefined;
      try {
        const env = await openLocalEnvironment({
          repoDir,
          cwd: io.cwd,
          git: false,
          ...(sc.cluster ? { clusterFile: resolve(base, sc.cluster) } : {}),
        });
        const payload = await readAlertFile(io.cwd, resolve(base, sc.alert));
        const now = Date.parse(sc.now);
        const sim = await simulateAlert(
          { payload, registry: env.registry, config: env.config },
          {
            repo: env.repo.worktree,
            history: null,
            historyNote: "the example repository has no history of its own",
            cluster: env.cluster,
            clock: manualClock(Number.isNaN(now) ? 0 : now),
            logger: silentLogger,
          },
        );
        if (!sim.ok) error = `${sc.alert}: field \`${sim.field}\`: ${sim.message}`;
        else {
          result = sim.results[0];
          if (result) {
            const [p] = await evaluateResultPolicies(
              [result],
              bundledPolicies,
              (await env.repo.defaultBranch()).repo,
              env.config.policy,
            );
            policy = p ?? null;
          }
        }
      } catch (err) {
        if (!(err instanceof LocalInputError)) throw err;
        error = err.message;
      }
      const diffs = result ? compareDecision(sc.expect, observeDecision(result)) : [error ?? "no incident"];
      const ok = diffs.length === 0;
      if (ok) asExpected++;
      io.stdout(`\n${i + 1}. ${sc.title}\n`);
      io.stdout(result ? story(result, policy) : `   error      ${error}\n`);
      io.stdout(
        ok ? "   ✓ as expected\n" : `   ✗ NOT as expected:\n${diffs.map((d) => `     - ${d}`).join("\n")}\n`,
      );
      report.push(...reportSection(i + 1, sc, result, policy, error, diffs));
    }
    const ms = Math.round(performance.now() - started);
    await mkdir(dirname(reportFile), { recursive: true });
    await writeFile(reportFile, `${report.join("\n")}\n`);
    io.stdout(
      `\n${asExpected} of ${scenarios.length} scenarios planned as expected in ${ms} ms; full plans: ${relative(io.cwd, reportFile) || reportFile}\n`,
    );
    return asExpected === scenarios.length ? 0 : 1;
  },
};

/** The few lines a person reads per scenario. */
function story(r: SimulationResult, policy: PlanPolicyResult | null): string {
  const out: string[] = [];
  const s = r.incident.signals[0];
  const where = ["namespace", "pod", "node", "condition", "persistentvolumeclaim", "ingress"]
    .filter((k) => s?.labels[k])
    .map((k) => `${k}=${s?.labels[k]}`)
    .join(" ");
  out.push(
    `   alert      ${r.incident.key} [${r.incident.severity}]${where ? ` ${where}` : " (no target labels)"}`,
  );
  const o = r.outcome;
  if ("facts" in o) {
    const f = o.facts;
    if (!f.clusterKnown) out.push(`   diagnosis  ${f.note ?? "no cluster"}`);
    else {
      const lines = [...(f.workload ? [f.workload] : []), ...f.notes];
      if (lines.length === 0) lines.push("cluster read, nothing notable");
      for (const [j, l] of lines.entries()) out.push(`   ${j === 0 ? "diagnosis " : "          "} ${l}`);
    }
  }
  switch (o.status) {
    case "planned": {
      const p = o.plan;
      out.push(`   runbook    ${p.runbook.id} ${p.runbook.version} → ${p.target}`);
      for (const c of p.changes) out.push(`   change     ${c.path}: ${c.summary}`);
      for (const st of p.steps)
        out.push(`   step       ${st.id} [${st.risk}] after approval: ${st.description}`);
      for (const sg of p.suggestions) out.push(`   suggest    ${sg.title}`);
      if (policy) out.push(`   policy     ${policyLine(policy)}`);
      out.push(
        `   risk       ${p.risk.level} — ${p.approvals.securityApproval ? "needs a security CODEOWNER's approval" : p.approvals.beforeImperativeSteps ? "approval before imperative steps" : "normal review"}`,
      );
      break;
    }
    case "failed":
      out.push(
        `   runbook    ${o.runbook.id} ${o.runbook.version} — no plan (${o.kind}${o.field ? `, ${o.field}` : ""})`,
      );
      out.push(`   why        ${o.reason}`);
      break;
    case "no-runbook":
      out.push(`   runbook    none — ${o.reason}`);
      break;
    case "resolved":
      out.push(`   ${o.reason}`);
      break;
  }
  return `${out.join("\n")}\n`;
}

/** One line: all passed, or the findings (policy/rule at file:line, Enforce or Audit). */
function policyLine(p: PlanPolicyResult): string {
  if (p.status !== "evaluated") return renderPlanPolicyText(p)[0]!.replace(/^policy: /, "");
  const findings = p.evaluations.filter(
    (e) => e.result === "fail" || e.result === "warn" || e.result === "error",
  );
  if (p.files.length === 0) return `no changed YAML to check (${p.policyCount} policies)`;
  if (p.evaluations.length === 0 && p.yamlErrors.length === 0)
    return `no policy applies to the changed resources (${p.policyCount} policies)`;
  if (findings.length === 0 && p.yamlErrors.length === 0)
    return `all ${p.evaluations.length} ${p.evaluations.length === 1 ? "evaluation" : "evaluations"} passed (${p.policyCount} policies)`;
  const listed = findings.map((e) => `${e.policy}/${e.rule} ${e.action} at ${e.file}:${e.line}`).join("; ");
  return `medic/policy would conclude ${p.conclusion}: ${listed || p.title}`;
}

function reportSection(
  n: number,
  sc: DemoScenario,
  r: SimulationResult | undefined,
  policy: PlanPolicyResult | null,
  error: string | undefined,
  diffs: string[],
): string[] {
  const out = [
    `## ${n}. ${sc.title}`,
    "",
    `Scenario \`${sc.name}\`: alert \`${sc.alert}\`${sc.cluster ? `, cluster \`${sc.cluster}\`` : ", no cluster"}.`,
    "",
  ];
  out.push(
    diffs.length === 0
      ? "Result: **as expected**."
      : `Result: **not as expected**:\n\n${diffs.map((d) => `- ${d}`).join("\n")}`,
  );
  out.push("");
  if (!r) {
    out.push(`Error: ${error}`, "");
    return out;
  }
  const o = r.outcome;
  if (o.status === "planned") {
    // Tilde fences: the plan text itself may contain backtick fences (the WAF suggestion does).
    out.push(`Plan hash \`${o.planHash}\`.`, "", "~~~~text", renderPlanText(o.plan).trimEnd(), "~~~~", "");
    if (policy) out.push(...policySection(policy));
  } else {
    out.push("~~~~text", `${o.status}: ${o.reason}`, "~~~~", "");
  }
  return out;
}

/** The report's policy part: the conclusion, then every evaluation (passes included) as a table. */
function policySection(p: PlanPolicyResult): string[] {
  const out = ["### Policy results", ""];
  out.push(...renderPlanPolicyText(p).map((l) => (l.startsWith("  ") ? `- ${l.trim()}` : l)), "");
  if (p.status !== "evaluated" || p.evaluations.length === 0) return out;
  out.push("| result | action | policy/rule | resource | file:line | message |", "|---|---|---|---|---|---|");
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  for (const e of p.evaluations) {
    const res = [e.resource.kind, e.resource.namespace, e.resource.name].filter(Boolean).join("/");
    out.push(
      `| ${e.result} | ${e.action} | ${cell(`${e.policy}/${e.rule}`)} | ${cell(res)} | ${cell(`${e.file}:${e.line}`)} | ${cell(e.message)} |`,
    );
  }
  out.push("");
  return out;
}
