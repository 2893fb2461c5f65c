import type { YamlError } from "../yaml/parse-yaml.js";
import type { Evaluation } from "./evaluate-policies.js";
import { describePolicyError } from "./load-policies.js";
import type { PolicyError } from "./parse-policies.js";
import { isBlocking, summarizeEvaluations } from "./summarize-evaluations.js";

/** GitHub rejects check output over 65,535 characters. */
export const CHECK_TEXT_LIMIT = 65_535;
/** Annotations beyond this are summarised (each batch of 50 is one more write against the rate limits). */
export const MAX_ANNOTATIONS = 500;

/** A check-run annotation (the shape of GitHub's, in camelCase). */
export interface PolicyAnnotation {
  path: string;
  startLine: number;
  endLine: number;
  startColumn?: number;
  endColumn?: number;
  level: "notice" | "warning" | "failure";
  title: string;
  message: string;
}

export interface PolicyCheckOutput {
  conclusion: "success" | "neutral" | "failure";
  title: string;
  summary: string;
  annotations: PolicyAnnotation[];
}

export interface PolicyCheckInput {
  evaluations: Evaluation[];
  /** Manifests in the PR that are not valid YAML. */
  yamlErrors: YamlError[];
  /** Notes on the policy set (turned off, replaced). */
  notes: string[];
  /** Number of changed YAML files evaluated. */
  filesChecked: number;
  /** Changed files not evaluated, with why (limit reached, unreadable). */
  filesSkipped: string[];
  policyCount: number;
}

/**
 * The `medic/policy` check: failure for Enforce findings, errors or unparsable manifests; neutral when only
 * Audit findings (or warnings) remain; success otherwise. One annotation per finding at its file:line.
 */
export function buildPolicyCheck(input: PolicyCheckInput): PolicyCheckOutput {
  const { evaluations, yamlErrors } = input;
  const s = summarizeEvaluations(evaluations);
  const findings = evaluations.filter(
    (e) => e.result === "fail" || e.result === "warn" || e.result === "error",
  );
  const blocking = findings.filter(isBlocking);
  const unsupported = evaluations.filter((e) => e.unsupported);
  const conclusion =
    blocking.length > 0 || yamlErrors.length > 0 ? "failure" : findings.length > 0 ? "neutral" : "success";

  const parts: string[] = [];
  if (blocking.length > 0) parts.push(`${blocking.length} enforced ${plural(blocking.length, "finding")}`);
  if (findings.length - blocking.length > 0) {
    parts.push(
      `${findings.length - blocking.length} audit ${plural(findings.length - blocking.length, "finding")}`,
    );
  }
  if (yamlErrors.length > 0)
    parts.push(`${yamlErrors.length} invalid YAML ${plural(yamlErrors.length, "file")}`);
  const title =
    parts.length > 0
      ? `${parts.join(", ")} in ${input.filesChecked} ${plural(input.filesChecked, "file")}`
      : input.filesChecked === 0
        ? "No Kubernetes YAML changed"
        : `All policies pass (${s.pass} ${plural(s.pass, "evaluation")} in ${input.filesChecked} ${plural(input.filesChecked, "file")})`;

  const annotations: PolicyAnnotation[] = [];
  for (const y of yamlErrors) {
    annotations.push({
      path: y.file,
      startLine: y.line ?? 1,
      endLine: y.line ?? 1,
      level: "failure",
      title: "Invalid YAML",
      message: y.message,
    });
  }
  for (const e of findings) {
    annotations.push({
      path: e.file,
      startLine: e.line,
      endLine: e.line,
      startColumn: e.column,
      endColumn: e.column,
      level: isBlocking(e) ? "failure" : "warning",
      title: `${e.policy}/${e.rule} (${e.result === "fail" ? e.action : e.result})`,
      message: `${resourceName(e)}: ${e.message}`,
    });
  }
  const shown = annotations.slice(0, MAX_ANNOTATIONS);

  const head: string[] = [
    `**${input.policyCount}** ${plural(input.policyCount, "policy", "policies")} on **${input.filesChecked}** changed YAML ${plural(input.filesChecked, "file")}: ` +
      `${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.error} error, ${s.skip} skip.`,
  ];
  if (annotations.length > shown.length) {
    head.push(`Showing the first ${shown.length} of ${annotations.length} annotations.`);
  }
  const tail: string[] = [];
  if (yamlErrors.length > 0) {
    tail.push(
      "",
      "### Invalid YAML",
      "",
      ...yamlErrors.map((y) => `- \`${y.file}\`${y.line ? ` line ${y.line}` : ""}: ${escapeCell(y.message)}`),
    );
  }
  if (unsupported.length > 0) {
    const reasons = [...new Set(unsupported.map((e) => `${e.policy}/${e.rule}: ${e.unsupported}`))];
    tail.push("", "### Not evaluated (unsupported)", "", ...reasons.map((r) => `- ${escapeCell(r)}`));
  }
  if (input.filesSkipped.length > 0) {
    tail.push("", "### Files not evaluated", "", ...input.filesSkipped.map((f) => `- ${escapeCell(f)}`));
  }
  if (input.notes.length > 0)
    tail.push("", "### Policy set", "", ...input.notes.map((n) => `- ${escapeCell(n)}`));

  const rows = findings.map(
    (e) =>
      `| ${e.result === "fail" ? `fail (${e.action})` : e.result} | \`${e.policy}\` / \`${e.rule}\` | ${escapeCell(resourceName(e))} | \`${e.file}:${e.line}\` | ${escapeCell(e.message)} |`,
  );
  const table =
    rows.length > 0
      ? ["", "| result | policy / rule | resource | location | message |", "|---|---|---|---|---|"]
      : [];
  const summary = fitSummary(head, table, rows, tail);
  return { conclusion, title: title.slice(0, 255), summary, annotations: shown };
}

/** Puts as many table rows as fit under GitHub's limit and says how many were left out. */
function fitSummary(head: string[], table: string[], rows: string[], tail: string[]): string {
  const fixed = [...head, ...table].join("\n").length + tail.join("\n").length + 200;
  const kept: string[] = [];
  let used = fixed;
  for (const r of rows) {
    if (used + r.length + 1 > CHECK_TEXT_LIMIT) break;
    kept.push(r);
    used += r.length + 1;
  }
  const more = rows.length - kept.length;
  const note = more > 0 ? [`| … | ${more} more ${plural(more, "finding")} not shown | | | |`] : [];
  const out = [...head, ...table, ...kept, ...note, ...tail].join("\n");
  return out.length > CHECK_TEXT_LIMIT ? `${out.slice(0, CHECK_TEXT_LIMIT - 20)}\n\n…(truncated)` : out;
}

/** Policy errors as a failing check: nothing is evaluated with a broken policy set. */
export function buildPolicyErrorCheck(errors: PolicyError[]): PolicyCheckOutput {
  const lines = errors.map((e) => `- ${escapeCell(describePolicyError(e))}`);
  const summary = [
    "A policy could not be loaded, so no policy was evaluated. Fix it on the base branch.",
    "",
    ...lines,
  ].join("\n");
  const first = errors[0]!;
  return {
    conclusion: "failure",
    title: `Invalid policy in ${first.file}: field ${first.field}`.slice(0, 255),
    summary:
      summary.length > CHECK_TEXT_LIMIT
        ? `${summary.slice(0, CHECK_TEXT_LIMIT - 20)}\n…(truncated)`
        : summary,
    annotations: [],
  };
}

function resourceName(e: Evaluation): string {
  return `${e.resource.kind} ${e.resource.namespace ? `${e.resource.namespace}/` : ""}${e.resource.name}`.trim();
}

/** Keeps table cells on one line and stops HTML or mentions from rendering. */
function escapeCell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/@/g, "@\u200b");
}

function plural(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}
