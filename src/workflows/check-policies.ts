import { appendAuditBlock } from "../core/audit/append-audit-block.js";
import { describeConfigError, type LoadConfigResult } from "../core/config/medic-config.js";
import {
  buildPolicyCheck,
  buildPolicyErrorCheck,
  type PolicyCheckOutput,
} from "../core/policy/build-policy-check.js";
import type { Evaluation } from "../core/policy/evaluate-policies.js";
import { compilePolicies } from "../core/policy/evaluate-policies.js";
import { loadManifests } from "../core/policy/load-manifests.js";
import { loadPolicies, type TextFile } from "../core/policy/load-policies.js";
import { matchGlob } from "../core/policy/match-glob.js";
import { selectPolicies } from "../core/policy/select-policies.js";
import type { AuditEntry, AuditSink } from "./ports/audit-sink.js";
import type { Checks } from "./ports/checks.js";
import type { Clock } from "./ports/clock.js";
import type { Logger } from "./ports/logger.js";
import type { PullRequestFiles } from "./ports/pull-request-files.js";

/** The check run branch protection should require. */
export const POLICY_CHECK_NAME = "medic/policy";
/** Where a repository keeps its own Kyverno policies (read from the base branch only). */
export const REPO_POLICY_DIR = ".github/medic/policies";
/** Changed YAML files evaluated per run; the rest are listed as not evaluated. */
export const MAX_CHECKED_FILES = 300;
/** Failing/warning findings listed in the audit record (the counts always cover all of them). */
const MAX_AUDITED_FINDINGS = 50;

export interface CheckPoliciesPorts {
  files: PullRequestFiles;
  checks: Checks;
  logger: Logger;
  /** Every completed run leaves an Evidence record: hidden block in the summary + the ledger. */
  audit: AuditSink;
  clock: Clock;
}

export interface CheckPoliciesInput {
  pullNumber: number;
  headSha: string;
  /** Base revision (branch or SHA): repository policies come from here, never from the head. */
  baseRef: string;
  /** `.github/medic.yml` from the default branch, already validated. */
  config: LoadConfigResult;
  /** The app's bundled policies (`policies/*.yaml`). */
  bundled: TextFile[];
  /** `owner/name` of the pull request's repository (the ledger's home). */
  repo: string;
  /** The bot's login (`<slug>[bot]`): the actor of the record. */
  botLogin: string;
  /** `X-GitHub-Delivery` of the triggering event. */
  deliveryId?: string;
}

export type CheckPoliciesResult = { conclusion: PolicyCheckOutput["conclusion"] | "skipped"; title: string };

/**
 * Evaluates the YAML a pull request changes and reports the `medic/policy` check run.
 * 1. config (broken ⇒ failing check naming file and field), 2. mark the run in progress, 3. load the bundled
 * and repository policies from the base (broken ⇒ failing check), 4. read the changed YAML at the head,
 * 5. evaluate, 6. complete the run with a summary and annotations at file:line.
 */
export async function checkPolicies(
  ports: CheckPoliciesPorts,
  input: CheckPoliciesInput,
): Promise<CheckPoliciesResult> {
  const { checks, files, logger } = ports;
  let facts: Record<string, unknown> = {};
  const publish = async (
    out: Pick<PolicyCheckOutput, "conclusion" | "title" | "summary"> & Partial<PolicyCheckOutput>,
  ) => {
    const record: AuditEntry = {
      v: 1,
      at: new Date(ports.clock.now()).toISOString(),
      actor: { kind: "bot", login: input.botLogin },
      action: "policy.checked",
      reason: out.title,
      ...(input.deliveryId ? { deliveryId: input.deliveryId } : {}),
      subject: { kind: "pull_request", repo: input.repo, number: input.pullNumber },
      shas: commitShas({ head: input.headSha, base: input.baseRef }),
      inputs: { baseRef: input.baseRef, ...facts },
      outcome: {
        status: out.conclusion === "failure" ? "refused" : out.conclusion === "neutral" ? "skipped" : "ok",
        detail: out.conclusion,
      },
    };
    ports.audit.record(record);
    await checks.createOrUpdate({
      name: POLICY_CHECK_NAME,
      headSha: input.headSha,
      status: "completed",
      conclusion: out.conclusion,
      title: out.title,
      summary: appendAuditBlock(out.summary, record),
      ...(out.annotations ? { annotations: out.annotations } : {}),
    });
    return { conclusion: out.conclusion, title: out.title };
  };

  // 1. Configuration from the default branch.
  if (!input.config.ok) {
    return publish({
      conclusion: "failure",
      title: `Invalid configuration in ${input.config.file}: field ${input.config.field}`,
      summary: `${describeConfigError(input.config)}\n\nNo policy was evaluated.`,
    });
  }
  const config = input.config.config.policy;
  if (!config.enabled) {
    return publish({
      conclusion: "neutral",
      title: "Policy checks are turned off",
      summary: "`policy.enabled` is false in `.github/medic.yml`; no policy was evaluated.",
    });
  }

  // 2. In progress, so a slow run shows up at once.
  await checks.createOrUpdate({
    name: POLICY_CHECK_NAME,
    headSha: input.headSha,
    status: "in_progress",
    title: "Evaluating policies",
    summary: "Evaluating the changed Kubernetes YAML against the policies of the base branch.",
  });

  // 3. Policies: bundled plus the repository's, from the base branch only (a PR cannot change its own rules).
  const repoPaths = (await files.listFiles(input.baseRef, REPO_POLICY_DIR)).filter((p) =>
    /\.ya?ml$/i.test(p),
  );
  const repoTexts: TextFile[] = [];
  for (const p of repoPaths) {
    const text = await files.readFile(input.baseRef, p);
    if (text !== null) repoTexts.push({ file: p, text });
  }
  const bundled = loadPolicies(input.bundled);
  const repo = loadPolicies(repoTexts);
  const errors = [...bundled.errors, ...repo.errors];
  if (errors.length > 0) {
    facts = { policyErrors: errors.length };
    logger.warn({ pull: input.pullNumber, errors: errors.length }, "policy set invalid");
    return publish(buildPolicyErrorCheck(errors));
  }
  const selected = selectPolicies(bundled.policies, repo.policies, config);

  // 4. The changed YAML at the head commit.
  const listed = await files.listChangedFiles(input.pullNumber);
  const wanted = listed.files.filter(
    (f) =>
      f.status !== "removed" &&
      config.include.some((g) => matchGlob(g, f.path)) &&
      !config.exclude.some((g) => matchGlob(g, f.path)),
  );
  const skipped: string[] = [];
  if (listed.truncated) skipped.push("GitHub listed only the first 3,000 changed files");
  const texts: TextFile[] = [];
  for (const f of wanted) {
    if (texts.length >= MAX_CHECKED_FILES) {
      skipped.push(`${wanted.length - MAX_CHECKED_FILES} more files (limit ${MAX_CHECKED_FILES} per run)`);
      break;
    }
    const text = await files.readFile(input.headSha, f.path);
    if (text === null) skipped.push(`${f.path}: not readable (too large or not a file)`);
    else texts.push({ file: f.path, text });
  }
  const manifests = loadManifests(texts);

  // 5. Evaluate.
  const evaluations = compilePolicies(selected.policies).evaluate(manifests.resources);

  // 6. Report (the record carries the counts and the first findings; the annotations carry them all).
  facts = {
    policies: selected.policies.length,
    filesChecked: texts.length,
    filesSkipped: skipped,
    yamlErrors: manifests.errors.length,
    results: countResults(evaluations),
    findings: evaluations
      .filter((e) => e.result === "fail" || e.result === "warn" || e.result === "error")
      .slice(0, MAX_AUDITED_FINDINGS)
      .map((e) => ({
        policy: e.policy,
        rule: e.rule,
        result: e.result,
        action: e.action,
        file: e.file,
        line: e.line,
      })),
  };
  const out = buildPolicyCheck({
    evaluations,
    yamlErrors: manifests.errors,
    notes: selected.notes,
    filesChecked: texts.length,
    filesSkipped: skipped,
    policyCount: selected.policies.length,
  });
  logger.info(
    {
      pull: input.pullNumber,
      conclusion: out.conclusion,
      files: texts.length,
      evaluations: evaluations.length,
    },
    "policy check done",
  );
  return publish(out);
}

function countResults(evaluations: readonly Evaluation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of evaluations) counts[e.result] = (counts[e.result] ?? 0) + 1;
  return counts;
}

/** The revisions that are commit SHAs (a base given as a branch name stays in `inputs.baseRef` only). */
function commitShas(revs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(revs).filter(([, v]) => /^[0-9a-f]{7,64}$/.test(v)));
}
