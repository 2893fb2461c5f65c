import type { Evaluation } from "./evaluate-policies.js";
import { summarizeEvaluations } from "./summarize-evaluations.js";

/**
 * Plain text for a terminal: one line per finding (fail, warn, error, and skips for unsupported features),
 * passes only counted, then the totals.
 */
export function renderPolicyText(evaluations: Evaluation[], opts: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  for (const e of evaluations) {
    if (!opts.verbose && (e.result === "pass" || (e.result === "skip" && !e.unsupported))) continue;
    const label = e.result === "fail" ? `FAIL (${e.action})` : e.result.toUpperCase();
    const res = [e.resource.kind, e.resource.namespace, e.resource.name].filter(Boolean).join("/");
    lines.push(`${e.file}:${e.line}:${e.column}: ${label} ${e.policy}/${e.rule} ${res}: ${e.message}`);
  }
  const s = summarizeEvaluations(evaluations);
  lines.push(`pass: ${s.pass}, fail: ${s.fail}, warn: ${s.warn}, error: ${s.error}, skip: ${s.skip}`);
  return `${lines.join("\n")}\n`;
}
