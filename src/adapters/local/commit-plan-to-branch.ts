import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Change } from "../../core/plan/remediation-plan.js";
import type { LocalRepo } from "./open-local-repo.js";
import { runGit } from "./run-git.js";

export type CommitResult = { ok: true; branch: string; commit: string } | { ok: false; reason: string };

const ZERO_SHA = "0000000000000000000000000000000000000000";

/**
 * Commits a plan's changes onto a new branch with git plumbing — a temporary index, `hash-object`,
 * `write-tree`, `commit-tree`, `update-ref` — so the current branch, the index and the work tree are never
 * touched. The branch is created only if it does not exist (`update-ref` with the zero SHA), and only
 * after everything else succeeded: on any failure nothing is left but unreferenced objects git collects.
 * Each change's `before` must equal the file at HEAD, so an uncommitted edit is never silently committed
 * or overwritten.
 */
export async function commitPlanToBranch(
  repo: LocalRepo,
  changes: readonly Change[],
  branch: string,
  message: string,
): Promise<CommitResult> {
  if (!repo.git) return { ok: false, reason: `${repo.root} is not a git checkout; --apply needs one` };
  if (changes.length === 0) return { ok: false, reason: "the plan changes no file; nothing to commit" };
  const { top, prefix } = repo.git;
  const check = await runGit(top, ["check-ref-format", `refs/heads/${branch}`]);
  if (check.code !== 0) return { ok: false, reason: `"${branch}" is not a valid branch name` };
  const exists = await runGit(top, ["rev-parse", "--verify", "-q", `refs/heads/${branch}`]);
  if (exists.code === 0)
    return { ok: false, reason: `branch ${branch} already exists; delete it or plan again later` };
  const head = await runGit(top, ["rev-parse", "--verify", "HEAD^{commit}"]);
  if (head.code !== 0) return { ok: false, reason: "the repository has no commit at HEAD" };
  const headSha = head.stdout.trim();

  const tmp = await mkdtemp(join(tmpdir(), "medic-index-"));
  const env = { GIT_INDEX_FILE: join(tmp, "index") };
  try {
    const read = await runGit(top, ["read-tree", headSha], { env });
    if (read.code !== 0) return { ok: false, reason: `git read-tree failed: ${read.stderr.trim()}` };
    for (const c of changes) {
      const full = prefix ? `${prefix}/${c.path}` : c.path;
      const atHead = await runGit(top, ["cat-file", "-p", `${headSha}:${full}`]);
      const headText = atHead.code === 0 ? atHead.stdout : null;
      if (headText !== c.before) {
        return {
          ok: false,
          reason: `${c.path} differs from HEAD (uncommitted or unpushed edits); commit them first so the plan is computed from what will be committed`,
        };
      }
      const mode = await fileMode(top, headSha, full);
      const blob = await runGit(top, ["hash-object", "-w", "--stdin"], { input: c.after });
      if (blob.code !== 0) return { ok: false, reason: `git hash-object failed for ${c.path}` };
      const upd = await runGit(
        top,
        ["update-index", "--add", "--cacheinfo", `${mode},${blob.stdout.trim()},${full}`],
        { env },
      );
      if (upd.code !== 0)
        return { ok: false, reason: `git update-index failed for ${c.path}: ${upd.stderr.trim()}` };
    }
    const tree = await runGit(top, ["write-tree"], { env });
    if (tree.code !== 0) return { ok: false, reason: `git write-tree failed: ${tree.stderr.trim()}` };
    const commit = await runGit(top, ["commit-tree", tree.stdout.trim(), "-p", headSha, "-F", "-"], {
      input: message,
      env: {
        GIT_AUTHOR_NAME: process.env["GIT_AUTHOR_NAME"] ?? "gitops-medic",
        GIT_AUTHOR_EMAIL: process.env["GIT_AUTHOR_EMAIL"] ?? "gitops-medic@users.noreply.github.com",
        GIT_COMMITTER_NAME: process.env["GIT_COMMITTER_NAME"] ?? "gitops-medic",
        GIT_COMMITTER_EMAIL: process.env["GIT_COMMITTER_EMAIL"] ?? "gitops-medic@users.noreply.github.com",
      },
    });
    if (commit.code !== 0) return { ok: false, reason: `git commit-tree failed: ${commit.stderr.trim()}` };
    const sha = commit.stdout.trim();
    const ref = await runGit(top, ["update-ref", `refs/heads/${branch}`, sha, ZERO_SHA]);
    if (ref.code !== 0) return { ok: false, reason: `git update-ref failed: ${ref.stderr.trim()}` };
    return { ok: true, branch, commit: sha };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function fileMode(top: string, rev: string, path: string): Promise<string> {
  const r = await runGit(top, ["ls-tree", rev, "--", path]);
  const mode = r.stdout.split(" ")[0];
  return mode && /^100(644|755)$/.test(mode) ? mode : "100644";
}
