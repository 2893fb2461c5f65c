import type { EvidenceViolation } from "./evidence-pack.js";
import type { ExportCheckRun, RecordedExport } from "./recorded-export.js";

/** The policy check run's name (issue: policy checks). */
export const POLICY_CHECK = "medic/policy";

/**
 * Policy violations per merged PR, with remediation proof. A violation is a `failure` or `warning`
 * annotation of a `medic/policy` run on one of the PR's commits, identified by file and rule (title); it is
 * fixed by the first later completed run (on a later commit of the PR) that no longer reports it and did not
 * fail. A violation still present in the PR's last run is not fixed, whatever happened to the PR.
 */
export function findViolations(exp: RecordedExport): EvidenceViolation[] {
  const out: EvidenceViolation[] = [];
  for (const pr of exp.pullRequests) {
    const shas = new Set([...pr.commits.map((c) => c.sha), pr.headSha]);
    const runs = exp.checkRuns
      .filter(
        (r) => r.name === POLICY_CHECK && r.status === "completed" && shas.has(r.headSha) && r.completedAt,
      )
      .sort((a, b) => Date.parse(a.completedAt!) - Date.parse(b.completedAt!));
    const open = new Map<string, EvidenceViolation>();
    for (const run of runs) {
      const present = new Set<string>();
      for (const a of run.annotations) {
        if (a.level === "notice") continue;
        const id = `${a.path}\u0000${a.title || a.message}`;
        present.add(id);
        if (!open.has(id)) {
          const v: EvidenceViolation = {
            pullRequest: pr.number,
            path: a.path,
            line: a.startLine,
            rule: a.title,
            message: a.message,
            level: a.level,
            found: { at: run.completedAt!, sha: run.headSha, checkRunId: run.id, url: run.url },
            fixed: null,
          };
          open.set(id, v);
          out.push(v);
        }
      }
      if (!passed(run)) continue;
      for (const [id, v] of open) {
        if (!present.has(id) && v.found.sha !== run.headSha) {
          v.fixed = {
            at: run.completedAt!,
            sha: run.headSha,
            checkRunId: run.id,
            url: run.url,
            conclusion: run.conclusion ?? "",
          };
          open.delete(id);
        }
      }
    }
  }
  return out;
}

function passed(run: ExportCheckRun): boolean {
  return run.conclusion === "success" || run.conclusion === "neutral";
}
