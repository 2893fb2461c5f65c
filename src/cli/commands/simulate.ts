import { parseArgs } from "node:util";
import { commitPlanToBranch } from "../../adapters/local/commit-plan-to-branch.js";
import {
  LocalInputError,
  openLocalEnvironment,
  readAlertFile,
} from "../../adapters/local/open-local-environment.js";
import { bundledPoliciesDir, readYamlFiles } from "../../adapters/local/read-yaml-files.js";
import type { PolicyConfig } from "../../core/config/sections/policy.js";
import { renderPlanText } from "../../core/plan/render-plan-text.js";
import type { TextFile } from "../../core/policy/load-policies.js";
import { describeRunbookError } from "../../core/runbook/parse-runbook.js";
import {
  evaluatePlanPolicies,
  type PlanPolicyResult,
  planPolicyJson,
  renderPlanPolicyText,
} from "../../workflows/evaluate-plan-policies.js";
import { manualClock, systemClock } from "../../workflows/ports/clock.js";
import type { GitOpsRepo } from "../../workflows/ports/gitops-repo.js";
import { silentLogger } from "../../workflows/ports/logger.js";
import {
  type SimulationResult,
  simulateAlert,
  simulationResultJson,
} from "../../workflows/simulate-alert.js";
import { type CliCommand, UsageError } from "../command.js";

const USAGE = `Usage: medic simulate --repo DIR --alert FILE [--cluster FILE] [--config FILE]
                      [--runbook ID] [--format text|json] [--now TIME] [--apply]

The whole decision path offline for one Alertmanager notification: the incident(s), the runbook chosen
(or why none), the diff, the policy results the remediation PR's medic/policy check would report, risk
and required approvals — the same planning core the bot runs.

  --repo DIR       the GitOps repository (a directory or git checkout); planned from its files as they
                   are on disk; its own runbooks and .github/medic.yml come from its default branch
  --alert FILE     an Alertmanager webhook payload (version 4, JSON)
  --cluster FILE   a cluster snapshot (Kubernetes objects as YAML/JSON, e.g. kubectl get -o yaml)
  --config FILE    use this medic.yml instead of the repository's .github/medic.yml
  --runbook ID     use this runbook (it must still match the incident)
  --format F       text (default) or json: an array with one object per incident (docs/runbooks.md)
  --now TIME       the time to plan at (RFC 3339), for reproducible Job names and cooldowns
  --apply          commit each plan's changes to a new local branch medic/<runbook>/<incident>;
                   the current branch, index and work tree are left untouched

Policies: the bundled ones plus the repository's .github/medic/policies/ (default branch), on the new
text of the files each plan changes. An Enforce finding does not change the exit code — the plan was
produced; the output says the PR's medic/policy check would fail (JSON: policy.conclusion "failure").

Exit codes: 0 every firing incident was planned; 1 an incident had no runbook or its plan failed
(a limit, a missing workload, …); 2 bad arguments or input files.`;

export const simulateCommand: CliCommand = {
  name: ["simulate"],
  summary: "the whole decision path offline for an alert: incident, runbook, diff, risk, approvals",
  usage: USAGE,
  async run(args, io) {
    const { values } = parse(args);
    if (!values.repo) throw new UsageError("--repo DIR is required");
    if (!values.alert) throw new UsageError("--alert FILE is required");
    const format = values.format ?? "text";
    if (format !== "text" && format !== "json")
      throw new UsageError(`--format must be text or json, not "${format}"`);
    let clock = systemClock;
    if (values.now) {
      const t = Date.parse(values.now);
      if (Number.isNaN(t)) throw new UsageError(`--now "${values.now}" is not an RFC 3339 time`);
      clock = manualClock(t);
    }
    try {
      const env = await openLocalEnvironment({
        repoDir: values.repo,
        cwd: io.cwd,
        ...(values.config ? { configFile: values.config } : {}),
        ...(values.cluster ? { clusterFile: values.cluster } : {}),
      });
      for (const e of env.registry.errors)
        io.stderr(`medic simulate: warning: ${describeRunbookError(e)} (not loaded)\n`);
      const payload = await readAlertFile(io.cwd, values.alert);
      const sim = await simulateAlert(
        {
          payload,
          registry: env.registry,
          config: env.config,
          ...(values.runbook ? { runbook: values.runbook } : {}),
        },
        {
          repo: env.repo.worktree,
          history: env.repo.history,
          historyNote: env.repo.git ? "" : "not a git checkout",
          cluster: env.cluster,
          clock,
          logger: silentLogger,
        },
      );
      if (!sim.ok) {
        io.stderr(`medic simulate: ${values.alert}: field \`${sim.field}\`: ${sim.message}\n`);
        return 2;
      }
      const applied: string[] = [];
      if (values.apply) {
        for (const r of sim.results) {
          if (r.outcome.status !== "planned" || r.outcome.plan.changes.length === 0) continue;
          const plan = r.outcome.plan;
          const branch = branchName(plan.runbook.id, r.incident.key, r.outcome.planHash);
          const res = await commitPlanToBranch(env.repo, plan.changes, branch, commitMessage(r));
          if (!res.ok) {
            io.stderr(`medic simulate: --apply: ${res.reason}\n`);
            return 1;
          }
          applied.push(
            `committed ${plan.changes.length} change(s) to branch ${res.branch} (${res.commit.slice(0, 12)})`,
          );
        }
      }
      const policies = await evaluateResultPolicies(
        sim.results,
        await readBundledPolicies(),
        (await env.repo.defaultBranch()).repo,
        env.config.policy,
      );
      if (format === "json") {
        const json = sim.results.map((r, i) => ({
          ...simulationResultJson(r),
          policy: policies[i] ? planPolicyJson(policies[i]) : null,
        }));
        io.stdout(`${JSON.stringify(json, null, 2)}\n`);
      } else io.stdout(renderStory(sim.results, env.configSource, env.cluster?.name ?? null, policies));
      for (const a of applied) io.stderr(`medic simulate: ${a}\n`);
      const failed = sim.results.some(
        (r) => r.outcome.status === "failed" || r.outcome.status === "no-runbook",
      );
      return failed ? 1 : 0;
    } catch (err) {
      if (err instanceof LocalInputError) {
        io.stderr(`medic simulate: ${err.message}\n`);
        return 2;
      }
      throw err;
    }
  },
};

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        repo: { type: "string" },
        alert: { type: "string" },
        cluster: { type: "string" },
        config: { type: "string" },
        runbook: { type: "string" },
        format: { type: "string" },
        now: { type: "string" },
        apply: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** The bundled `policies/*.yaml` (top level; `policies/tests` holds their fixtures), named `policies/FILE`. */
export async function readBundledPolicies(): Promise<TextFile[]> {
  const dir = bundledPoliciesDir();
  const files = await readYamlFiles([dir], dir, { recursive: false });
  return files.map((f) => ({ ...f, file: `policies/${f.file.split("/").pop()}` }));
}

/**
 * The policy results of each planned result (`null` for the others), as the remediation PR's
 * `medic/policy` check would compute them; repository policies come from `policyRepo` (default branch).
 */
export async function evaluateResultPolicies(
  results: readonly SimulationResult[],
  bundled: readonly TextFile[],
  policyRepo: GitOpsRepo | null,
  config: PolicyConfig,
): Promise<(PlanPolicyResult | null)[]> {
  const out: (PlanPolicyResult | null)[] = [];
  for (const r of results) {
    out.push(
      r.outcome.status === "planned"
        ? await evaluatePlanPolicies({ changes: r.outcome.plan.changes, bundled, config }, policyRepo)
        : null,
    );
  }
  return out;
}

/** `medic/crashloop-rollback/kubepodcrashlooping-shop-checkout-1a2b3c4d`: deterministic per plan. */
export function branchName(runbook: string, key: string, planHash: string): string {
  const slug = key
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  return `medic/${runbook}/${slug || "incident"}-${planHash.slice(0, 8)}`;
}

function commitMessage(r: SimulationResult): string {
  if (r.outcome.status !== "planned") return "";
  const plan = r.outcome.plan;
  return [
    `fix(${plan.runbook.id}): remediate ${r.incident.key}`,
    "",
    ...plan.changes.map((c) => `- ${c.summary}`),
    "",
    `Runbook: ${plan.runbook.id} ${plan.runbook.version}`,
    `Risk: ${plan.risk.level}`,
    `Plan-Hash: ${r.outcome.planHash}`,
    "",
  ].join("\n");
}

/** The text report: one block per incident. */
export function renderStory(
  results: readonly SimulationResult[],
  configSource: string,
  cluster: string | null,
  policies: readonly (PlanPolicyResult | null)[] = [],
): string {
  const out: string[] = [];
  out.push(`config:  ${configSource}`);
  out.push(`cluster: ${cluster ?? "none (planning from the alert and the repository)"}`);
  for (const [i, r] of results.entries()) {
    out.push("");
    out.push(
      `incident ${r.incident.key} [${r.incident.severity}, ${r.incident.status}] — ${r.incident.title}`,
    );
    for (const s of r.incident.signals) {
      out.push(
        `  signal ${s.name} ${s.status} since ${s.startsAt} (${Object.entries(s.labels)
          .filter(([k]) =>
            [
              "namespace",
              "pod",
              "container",
              "node",
              "condition",
              "persistentvolumeclaim",
              "ingress",
              "reason",
            ].includes(k),
          )
          .map(([k, v]) => `${k}=${v}`)
          .join(", ")})`,
      );
    }
    const o = r.outcome;
    if ("facts" in o) {
      out.push(
        `  cluster facts: ${o.facts.clusterKnown ? `read${o.facts.reasons.length ? `; reasons ${o.facts.reasons.join(", ")}` : ""}` : (o.facts.note ?? "none")}`,
      );
      if (o.facts.workload) out.push(`  workload: ${o.facts.workload}`);
      for (const n of o.facts.notes) out.push(`  fact: ${n}`);
    }
    switch (o.status) {
      case "resolved":
        out.push(`  ${o.reason}`);
        break;
      case "no-runbook":
        out.push(`  no runbook: ${o.reason}`);
        break;
      case "failed":
        out.push(
          `  runbook ${o.runbook.id} ${o.runbook.version} matched, but the plan failed (${o.kind}${o.field ? `, ${o.field}` : ""}):`,
        );
        out.push(`    ${o.reason}`);
        for (const c of o.candidates ?? []) out.push(`    candidate: ${c}`);
        break;
      case "planned":
        out.push(`  plan hash: ${o.planHash}`);
        out.push(indent(renderPlanText(o.plan), "  ").trimEnd());
        {
          const p = policies[i];
          if (p) out.push(...renderPlanPolicyText(p).map((l) => `  ${l}`));
        }
        break;
    }
  }
  return `${out.join("\n")}\n`;
}

function indent(text: string, pad: string): string {
  return text
    .split("\n")
    .map((l) => (l ? pad + l : l))
    .join("\n");
}
