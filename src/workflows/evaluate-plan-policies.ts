import type { PolicyConfig } from "../core/config/sections/policy.js";
import type { Change } from "../core/plan/remediation-plan.js";
import { buildPolicyCheck, type PolicyCheckOutput } from "../core/policy/build-policy-check.js";
import { compilePolicies, type Evaluation } from "../core/policy/evaluate-policies.js";
import { loadManifests } from "../core/policy/load-manifests.js";
import { describePolicyError, loadPolicies, type TextFile } from "../core/policy/load-policies.js";
import { matchGlob } from "../core/policy/match-glob.js";
import { type PolicyJsonReport, renderPolicyJson } from "../core/policy/render-policy-json.js";
import { selectPolicies } from "../core/policy/select-policies.js";
import { isBlocking } from "../core/policy/summarize-evaluations.js";
import type { YamlError } from "../core/yaml/parse-yaml.js";
import { MAX_CHECKED_FILES, REPO_POLICY_DIR } from "./check-policies.js";
import type { GitOpsRepo } from "./ports/gitops-repo.js";

/** What the `medic/policy` check would report on the remediation PR of a plan. */
export type PlanPolicyResult =
  | {
      status: "evaluated";
      /** Every (policy, rule, resource) evaluation, passes included. */
      evaluations: Evaluation[];
      /** The changed files evaluated (after the `policy.include` / `policy.exclude` globs). */
      files: string[];
      /** Changed files not evaluated, with why. */
      skipped: string[];
      /** Notes on the policy set (turned off, replaced by the repository's own). */
      notes: string[];
      /** Changed YAML that does not parse (the check fails on it). */
      yamlErrors: YamlError[];
      policyCount: number;
      /** The check run's conclusion and title, computed by the same core as the check. */
      conclusion: PolicyCheckOutput["conclusion"];
      title: string;
      /** Enforce failures and errors: each alone makes the check fail. */
      blocking: Evaluation[];
    }
  | { status: "off"; reason: string }
  | { status: "invalid-policy"; errors: string[] };

export interface EvaluatePlanPoliciesInput {
  /** The plan's file changes; their `after` text is what the PR would contain. */
  changes: readonly Pick<Change, "path" | "after">[];
  /** The app's bundled policies (`policies/*.yaml`, top level only). */
  bundled: readonly TextFile[];
  /** The repository's `policy` configuration (default branch, validated). */
  config: PolicyConfig;
}

/**
 * The policy results of a plan, exactly as the `medic/policy` check would compute them on its remediation
 * PR: bundled policies plus the repository's own `.github/medic/policies/` read through `policyRepo` (the
 * base / default branch — never the plan's own files), `selectPolicies` with the repository's config, the
 * include/exclude globs, then the policy engine on the changed files' new text.
 */
export async function evaluatePlanPolicies(
  input: EvaluatePlanPoliciesInput,
  policyRepo: GitOpsRepo | null,
): Promise<PlanPolicyResult> {
  const config = input.config;
  if (!config.enabled) {
    return { status: "off", reason: "policy.enabled is false in .github/medic.yml; no policy is evaluated" };
  }
  const repoTexts: TextFile[] = [];
  if (policyRepo) {
    const paths = (await policyRepo.listFiles(REPO_POLICY_DIR)).filter((p) => /\.ya?ml$/i.test(p)).sort();
    for (const p of paths) {
      const text = await policyRepo.readFile(p);
      if (text !== null) repoTexts.push({ file: p, text });
    }
  }
  const bundled = loadPolicies([...input.bundled]);
  const repo = loadPolicies(repoTexts);
  const errors = [...bundled.errors, ...repo.errors];
  if (errors.length > 0) return { status: "invalid-policy", errors: errors.map(describePolicyError) };
  const selected = selectPolicies(bundled.policies, repo.policies, config);

  const wanted = input.changes.filter(
    (c) =>
      config.include.some((g) => matchGlob(g, c.path)) && !config.exclude.some((g) => matchGlob(g, c.path)),
  );
  const skipped: string[] = [];
  if (wanted.length > MAX_CHECKED_FILES) {
    skipped.push(`${wanted.length - MAX_CHECKED_FILES} more files (limit ${MAX_CHECKED_FILES} per run)`);
  }
  const texts: TextFile[] = wanted.slice(0, MAX_CHECKED_FILES).map((c) => ({ file: c.path, text: c.after }));
  const manifests = loadManifests(texts);
  const evaluations = compilePolicies(selected.policies).evaluate(manifests.resources);
  const check = buildPolicyCheck({
    evaluations,
    yamlErrors: manifests.errors,
    notes: selected.notes,
    filesChecked: texts.length,
    filesSkipped: skipped,
    policyCount: selected.policies.length,
  });
  return {
    status: "evaluated",
    evaluations,
    files: texts.map((t) => t.file),
    skipped,
    notes: selected.notes,
    yamlErrors: manifests.errors,
    policyCount: selected.policies.length,
    conclusion: check.conclusion,
    title: check.title,
    blocking: evaluations.filter(isBlocking),
  };
}

/**
 * The `policy` object of `medic simulate --format json`: `results` and `summary` in the shape of
 * `medic policy check --format json`, plus what the check run would conclude.
 */
export function planPolicyJson(r: PlanPolicyResult): Record<string, unknown> {
  if (r.status !== "evaluated") {
    return {
      status: r.status,
      conclusion: r.status === "off" ? "neutral" : "failure",
      title: r.status === "off" ? r.reason : "a policy could not be loaded",
      results: [],
      summary: { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 },
      files: [],
      notes: r.status === "off" ? [r.reason] : [],
      errors: r.status === "invalid-policy" ? r.errors : [],
    };
  }
  const report: PolicyJsonReport = renderPolicyJson(r.evaluations);
  return {
    status: r.status,
    conclusion: r.conclusion,
    title: r.title,
    results: report.results.map((x, i) => ({ ...x, action: r.evaluations[i]!.action })),
    summary: report.summary,
    files: r.files,
    notes: [...r.notes, ...r.skipped],
    errors: r.yamlErrors.map((e) => `${e.file}${e.line ? `:${e.line}` : ""}: ${e.message}`),
  };
}

/**
 * Text lines: one per finding (`FAIL (Enforce) policy/rule file:line: message`), or that every evaluation
 * passed; first a line saying what the remediation PR's `medic/policy` check would conclude.
 */
export function renderPlanPolicyText(r: PlanPolicyResult): string[] {
  if (r.status === "off") return [`policy: off — ${r.reason}`];
  if (r.status === "invalid-policy") {
    return [
      "policy: a policy could not be loaded; the PR's medic/policy check would fail:",
      ...r.errors.map((e) => `  ${e}`),
    ];
  }
  const findings = r.evaluations.filter(
    (e) => e.result === "fail" || e.result === "warn" || e.result === "error" || e.unsupported,
  );
  const out: string[] = [];
  if (r.files.length === 0) {
    out.push(`policy: no changed file is a policy-checked YAML file (${r.policyCount} policies)`);
    return out;
  }
  if (r.evaluations.length === 0 && r.yamlErrors.length === 0) {
    out.push(
      `policy: no policy applies to the changed resources (${r.policyCount} policies on ${r.files.length} changed file(s))`,
    );
  } else if (findings.length === 0 && r.yamlErrors.length === 0) {
    out.push(
      `policy: all ${r.evaluations.length} ${r.evaluations.length === 1 ? "evaluation" : "evaluations"} passed (${r.policyCount} policies on ${r.files.length} changed file(s))`,
    );
  } else {
    out.push(`policy: ${r.title} — the PR's medic/policy check would conclude ${r.conclusion}`);
    for (const e of findings) {
      const label =
        e.result === "fail" || e.result === "warn"
          ? `${e.result.toUpperCase()} (${e.action})`
          : e.result.toUpperCase();
      out.push(`  ${label} ${e.policy}/${e.rule} ${e.file}:${e.line}: ${e.message}`);
    }
    for (const y of r.yamlErrors) out.push(`  ERROR ${y.file}${y.line ? `:${y.line}` : ""}: ${y.message}`);
  }
  for (const n of [...r.notes, ...r.skipped]) out.push(`  note: ${n}`);
  return out;
}
