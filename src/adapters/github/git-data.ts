import type { Context } from "probot";
import type {
  FileWrite,
  GitCommit,
  GitData,
  GitTree,
  RefWriteResult,
} from "../../workflows/ports/git-data.js";

export type GitHubOctokit = Context["octokit"];

export interface GitHubRepoRef {
  owner: string;
  repo: string;
}

/** Called before every content-creating request (the installation's write budget). */
export type BeforeWrite = () => Promise<void>;

/**
 * Runs one content-creating request inside the installation's write budget (`WriteQueue.run`: waits
 * for the budget, pauses and retries on a rate limit). The default runs it at once.
 */
export type WriteRunner = <T>(what: string, fn: () => Promise<T>) => Promise<T>;
export const runWriteNow: WriteRunner = (_what, fn) => fn();

/**
 * `GitData` over GitHub's Git Data API. Branch paths are encoded segment by segment so a branch with
 * slashes (`medic/x/y`) is addressed as `refs/heads/medic/x/y`, which GitHub expects.
 */
export function createGitHubGitData(
  octokit: GitHubOctokit,
  repo: GitHubRepoRef,
  write: WriteRunner = runWriteNow,
): GitData {
  const { owner, repo: name } = repo;
  const refPath = (branch: string) => `heads/${branch.split("/").map(encodeURIComponent).join("/")}`;
  return {
    name: `${owner}/${name}`,
    async getBranchSha(branch) {
      try {
        const res = await octokit.request(`GET /repos/{owner}/{repo}/git/ref/${refPath(branch)}`, {
          owner,
          repo: name,
        });
        const data = res.data as { object: { sha: string; type: string } };
        return data.object.sha;
      } catch (err) {
        if (statusOf(err) === 404) return null;
        throw err;
      }
    },
    async getCommit(sha) {
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", {
        owner,
        repo: name,
        commit_sha: sha,
      });
      return {
        sha: data.sha,
        treeSha: data.tree.sha,
        parents: data.parents.map((p) => p.sha),
        author: { name: data.author.name, email: data.author.email },
        committer: { name: data.committer.name, email: data.committer.email },
        message: data.message,
      } satisfies GitCommit;
    },
    async getTree(sha) {
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
        owner,
        repo: name,
        tree_sha: sha,
        recursive: "1",
      });
      return {
        sha: data.sha,
        truncated: data.truncated,
        entries: data.tree.flatMap((e) =>
          e.path && e.sha && e.type && e.mode
            ? [
                {
                  path: e.path,
                  mode: e.mode,
                  type: e.type as "blob" | "tree" | "commit",
                  sha: e.sha,
                  ...(e.size !== undefined ? { size: e.size } : {}),
                },
              ]
            : [],
        ),
      } satisfies GitTree;
    },
    async getBlobText(sha) {
      const { data } = await octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
        owner,
        repo: name,
        file_sha: sha,
      });
      if (data.encoding === "base64") return Buffer.from(data.content, "base64").toString("utf8");
      return data.content;
    },
    async createTree(baseTreeSha, files: readonly FileWrite[]) {
      const { data } = await write("create tree", () =>
        octokit.request("POST /repos/{owner}/{repo}/git/trees", {
          owner,
          repo: name,
          base_tree: baseTreeSha,
          // Content inline: GitHub stores the blobs itself, so N files cost one request, not N + 1.
          // `sha: null` deletes a path.
          tree: files.map((f) =>
            f.content === null
              ? { path: f.path, mode: "100644" as const, type: "blob" as const, sha: null }
              : { path: f.path, mode: "100644" as const, type: "blob" as const, content: f.content },
          ),
        }),
      );
      return data.sha;
    },
    async createCommit(input) {
      // No author or committer: GitHub then records the app's bot account and signs the commit,
      // which is how a later run recognises its own commits.
      const { data } = await write("create commit", () =>
        octokit.request("POST /repos/{owner}/{repo}/git/commits", {
          owner,
          repo: name,
          message: input.message,
          tree: input.treeSha,
          parents: input.parents,
        }),
      );
      return data.sha;
    },
    async createBranch(branch, sha) {
      try {
        await write("create branch", () =>
          octokit.request("POST /repos/{owner}/{repo}/git/refs", {
            owner,
            repo: name,
            ref: `refs/heads/${branch}`,
            sha,
          }),
        );
        return { ok: true };
      } catch (err) {
        return refFailure(err, "exists");
      }
    },
    async updateBranch(branch, sha, force) {
      try {
        await write("update branch", () =>
          octokit.request(`PATCH /repos/{owner}/{repo}/git/refs/${refPath(branch)}`, {
            owner,
            repo: name,
            sha,
            force,
          }),
        );
        return { ok: true };
      } catch (err) {
        return refFailure(err, "conflict");
      }
    },
  };
}

/** 409 and 422 are expected answers on refs (exists, not a fast-forward, protected); anything else throws. */
function refFailure(err: unknown, reason: "exists" | "conflict"): RefWriteResult {
  const status = statusOf(err);
  if (status !== 409 && status !== 422) throw err;
  const message = err instanceof Error ? err.message.split("\n")[0]! : String(err);
  const exists = reason === "exists" && /already exists/i.test(message);
  return { ok: false, reason: exists ? "exists" : "conflict", status, message };
}

export function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown } | null)?.status;
  return typeof s === "number" ? s : undefined;
}
