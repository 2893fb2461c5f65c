import { lstat, readdir, readFile, realpath } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { checkRepoPath } from "../../core/runbook/validate-parameter.js";
import type { FileRevision, GitOpsHistory } from "../../workflows/ports/gitops-history.js";
import type { GitOpsRepo } from "../../workflows/ports/gitops-repo.js";
import { runGit } from "./run-git.js";

/** Directories never listed: VCS internals and dependency trees are not part of a GitOps repository. */
const SKIP_DIRS = new Set([".git", "node_modules", ".terraform", ".medic-out"]);
/** Files larger than this are refused when read (the YAML parser refuses over 5 MB anyway). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** A repository with more files than this is refused rather than read into memory. */
const MAX_FILES = 50_000;

/** A local directory or git checkout opened as a GitOps repository. */
export interface LocalRepo {
  /** The working tree as it is on disk (uncommitted edits included). */
  worktree: GitOpsRepo;
  /** History through git; `null` when the directory is not inside a git work tree. */
  history: GitOpsHistory | null;
  /** Absolute path of the directory. */
  root: string;
  /** When in git: the top of the work tree and the directory's path inside it (`""` at the top). */
  git: { top: string; prefix: string } | null;
  /**
   * The repository at its default branch (`origin/HEAD`, else `main`, `master`, else `HEAD`), for what must
   * come only from the default branch (repository runbooks). A plain directory has no branches: its files
   * are what there is, and `describe` says so.
   */
  defaultBranch(): Promise<{ repo: GitOpsRepo; describe: string }>;
}

export class LocalRepoError extends Error {
  override name = "LocalRepoError";
}

/**
 * Opens DIR; throws `LocalRepoError` when it is not a readable directory. With `git: false` the directory
 * is used as plain files even inside a git work tree — for fixtures such as `examples/gitops`, whose
 * enclosing repository's history is not theirs.
 */
export async function openLocalRepo(dir: string, opts: { git?: boolean } = {}): Promise<LocalRepo> {
  const root = resolve(dir);
  let rootReal: string;
  try {
    rootReal = await realpath(root);
    if (!(await lstat(rootReal)).isDirectory()) throw new Error("not a directory");
  } catch {
    throw new LocalRepoError(`--repo ${dir}: not a readable directory`);
  }
  const git = opts.git === false ? null : await findGit(rootReal);
  const worktree = directoryRepo(rootReal, root);
  const history = git ? gitHistory(git.top, git.prefix) : null;
  return {
    worktree,
    history,
    root: rootReal,
    git,
    async defaultBranch() {
      if (!git)
        return {
          repo: worktree,
          describe: `${root} (a directory, not a git checkout: its files as they are)`,
        };
      const ref = await findDefaultRef(git.top);
      return { repo: gitTreeRepo(git.top, git.prefix, ref, root), describe: `${root} at ${ref}` };
    },
  };
}

async function findGit(dir: string): Promise<{ top: string; prefix: string } | null> {
  const res = await runGit(dir, ["rev-parse", "--show-toplevel", "--show-prefix"]);
  if (res.code !== 0) return null;
  const [top = "", prefix = ""] = res.stdout.split("\n");
  if (!top) return null;
  // An empty repository (no commit yet) has no history to read.
  const head = await runGit(dir, ["rev-parse", "--verify", "-q", "HEAD"]);
  if (head.code !== 0) return null;
  return { top, prefix: prefix.replace(/\/$/, "") };
}

async function findDefaultRef(top: string): Promise<string> {
  const origin = await runGit(top, ["symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD"]);
  if (origin.code === 0 && origin.stdout.trim()) return origin.stdout.trim();
  for (const name of ["main", "master"]) {
    const r = await runGit(top, ["rev-parse", "--verify", "-q", `refs/heads/${name}`]);
    if (r.code === 0) return name;
  }
  return "HEAD";
}

/** The directory on disk; every path is checked and resolved so nothing outside the root is read. */
function directoryRepo(rootReal: string, shownAs: string): GitOpsRepo {
  return {
    name: shownAs,
    async revision() {
      return "WORKTREE";
    },
    async listFiles(prefix?: string) {
      const out: string[] = [];
      let start = rootReal;
      if (prefix !== undefined && prefix !== "") {
        const p = checkRepoPath(prefix);
        if (!p.ok) throw new LocalRepoError(`path "${prefix}": ${p.reason}`);
        start = join(rootReal, p.value);
      }
      await walk(rootReal, start, out);
      return out.sort();
    },
    async readFile(path: string) {
      const p = checkRepoPath(path);
      if (!p.ok) throw new LocalRepoError(`path "${path}": ${p.reason}`);
      const abs = join(rootReal, p.value);
      let real: string;
      try {
        real = await realpath(abs);
      } catch {
        return null;
      }
      // A symlink may point anywhere; only files that really live under the root are read.
      if (real !== rootReal && !real.startsWith(rootReal + sep)) {
        throw new LocalRepoError(`path "${path}" resolves outside the repository root`);
      }
      const st = await lstat(real);
      if (!st.isFile()) return null;
      if (st.size > MAX_FILE_BYTES) {
        throw new LocalRepoError(`${path}: ${st.size} bytes, over the ${MAX_FILE_BYTES}-byte limit`);
      }
      return readFile(real, "utf8");
    },
  };
}

async function walk(root: string, dir: string, out: string[]): Promise<void> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    // Symlinks are not followed: a link to `/etc` must not make the repository bigger than it is.
    if (e.isSymbolicLink()) continue;
    const abs = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) await walk(root, abs, out);
    } else if (e.isFile()) {
      out.push(relative(root, abs).split(sep).join("/"));
      if (out.length > MAX_FILES) throw new LocalRepoError(`more than ${MAX_FILES} files under ${root}`);
    }
  }
}

/** The repository as committed at `ref` (read with `git ls-tree` / `git show`, never the work tree). */
function gitTreeRepo(top: string, prefix: string, ref: string, shownAs: string): GitOpsRepo {
  const full = (p: string) => (prefix ? `${prefix}/${p}` : p);
  let sha: string | undefined;
  return {
    name: `${shownAs}@${ref}`,
    async revision() {
      if (sha === undefined) {
        const r = await runGit(top, ["rev-parse", "--verify", `${ref}^{commit}`]);
        sha = r.code === 0 ? r.stdout.trim() : ref;
      }
      return sha;
    },
    async listFiles(under?: string) {
      let path = prefix;
      if (under !== undefined && under !== "") {
        const p = checkRepoPath(under);
        if (!p.ok) throw new LocalRepoError(`path "${under}": ${p.reason}`);
        path = full(p.value);
      }
      const r = await runGit(top, ["ls-tree", "-r", "-z", "--name-only", ref, "--", path || "."]);
      if (r.code !== 0) return [];
      const cut = prefix ? prefix.length + 1 : 0;
      return r.stdout
        .split("\0")
        .filter(Boolean)
        .map((f) => f.slice(cut))
        .sort();
    },
    async readFile(path: string) {
      const p = checkRepoPath(path);
      if (!p.ok) throw new LocalRepoError(`path "${path}": ${p.reason}`);
      return showFile(top, ref, full(p.value));
    },
  };
}

async function showFile(top: string, rev: string, path: string): Promise<string | null> {
  const r = await runGit(top, ["show", `${rev}:${path}`]);
  return r.code === 0 ? r.stdout : null;
}

function gitHistory(top: string, prefix: string): GitOpsHistory {
  const full = (p: string) => (prefix ? `${prefix}/${p}` : p);
  return {
    async fileHistory(path, limit) {
      const p = checkRepoPath(path);
      if (!p.ok) throw new LocalRepoError(`path "${path}": ${p.reason}`);
      const r = await runGit(top, [
        "log",
        `--max-count=${Math.max(1, Math.min(limit, 200))}`,
        "--format=%H%x1f%cI%x1f%s",
        "HEAD",
        "--",
        full(p.value),
      ]);
      if (r.code !== 0) return [];
      const out: FileRevision[] = [];
      for (const line of r.stdout.split("\n").filter(Boolean)) {
        const [revision = "", date = "", subject = ""] = line.split("\x1f");
        out.push({ revision, date, subject, text: await showFile(top, revision, full(p.value)) });
      }
      return out;
    },
    async readFileAt(revision, path) {
      const p = checkRepoPath(path);
      if (!p.ok) throw new LocalRepoError(`path "${path}": ${p.reason}`);
      if (!/^[\w./-]{1,200}$/.test(revision) || revision.startsWith("-")) return null;
      return showFile(top, revision, full(p.value));
    },
  };
}
