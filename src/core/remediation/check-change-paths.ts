/**
 * Paths a remediation commit may never write, whatever a runbook computed: the guardrails themselves
 * (`.github/`: medic config, repository runbooks, CODEOWNERS, workflows) and git's own metadata.
 */
const PROTECTED = [/^\.github(\/|$)/, /(^|\/)\.git(\/|$)/, /(^|\/)\.gitmodules$/];

export type ChangePathCheck = { ok: true } | { ok: false; path: string; reason: string };

/**
 * Defence in depth under the runbook engine's own checks: every path must be a plain relative POSIX path
 * inside the repository (no `..`, no absolute path, no empty or `.` segment, no NUL or control
 * characters, no backslash) and outside the protected paths.
 */
export function checkChangePaths(paths: readonly string[]): ChangePathCheck {
  const seen = new Set<string>();
  for (const path of paths) {
    const bad = (reason: string): ChangePathCheck => ({ ok: false, path, reason });
    if (path.length === 0 || path.length > 1024) return bad("empty or longer than 1,024 characters");
    if (/[\u0000-\u001f\u007f\\]/.test(path)) return bad("control character or backslash");
    if (path.startsWith("/")) return bad("absolute path");
    if (path.split("/").some((s) => s === "" || s === "." || s === ".."))
      return bad("empty, `.` or `..` segment");
    if (PROTECTED.some((re) => re.test(path))) return bad("protected path (guardrails and git metadata)");
    if (seen.has(path)) return bad("changed twice in one plan");
    seen.add(path);
  }
  return { ok: true };
}
