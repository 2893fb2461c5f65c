import type { AuditLedger } from "../../workflows/ports/audit-ledger.js";
import type { GitHubOctokit, GitHubRepoRef } from "./git-data.js";
import { statusOf } from "./git-data.js";

export interface GitHubLedgerOptions {
  /** Branch that holds only the ledger (default `medic-audit`). */
  branch?: string;
  /** Path of the JSON Lines file on it (default `audit.jsonl`). */
  path?: string;
  /** Called before every content-creating request (the installation's write budget). */
  beforeWrite?: () => Promise<void>;
}

/**
 * The audit ledger on a dedicated branch, through the Git Data API. A read is 4 requests (ref, commit,
 * tree, blob); a write is one commit: a tree holding only the ledger file (inline content, no base tree:
 * the branch is the ledger's alone, and the write does not depend on what an earlier read cached), a
 * commit whose parent is the commit
 * that was read, and a ref update with `force: false`. GitHub refuses that update (422 "not a fast
 * forward") when the branch moved since the read — that is the compare-and-swap: the caller re-reads and
 * re-chains. The first write creates the branch as an orphan (a commit without parents) and gets 422
 * "Reference already exists" if another writer created it first.
 */
export function createGitHubAuditLedger(
  octokit: GitHubOctokit,
  repo: GitHubRepoRef,
  opts: GitHubLedgerOptions = {},
): AuditLedger {
  const { owner, repo: name } = repo;
  const branch = opts.branch ?? "medic-audit";
  const path = opts.path ?? "audit.jsonl";
  const beforeWrite = opts.beforeWrite ?? (async () => {});
  const refPath = `heads/${branch.split("/").map(encodeURIComponent).join("/")}`;

  return {
    name: `${owner}/${name}@${branch}:${path}`,
    async read() {
      let head: string;
      try {
        const { data } = await octokit.request(`GET /repos/{owner}/{repo}/git/ref/${refPath}`, {
          owner,
          repo: name,
        });
        head = (data as { object: { sha: string } }).object.sha;
      } catch (err) {
        if (statusOf(err) === 404) return { text: "", version: null };
        throw err;
      }
      const { data: commit } = await octokit.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", {
        owner,
        repo: name,
        commit_sha: head,
      });
      const { data: tree } = await octokit.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
        owner,
        repo: name,
        tree_sha: commit.tree.sha,
      });
      const entry = tree.tree.find((e) => e.path === path && e.type === "blob");
      if (!entry?.sha) return { text: "", version: head };
      const { data: blob } = await octokit.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
        owner,
        repo: name,
        file_sha: entry.sha,
      });
      const text =
        blob.encoding === "base64" ? Buffer.from(blob.content, "base64").toString("utf8") : blob.content;
      return { text, version: head };
    },
    async write(text, expected, message) {
      await beforeWrite();
      const { data: tree } = await octokit.request("POST /repos/{owner}/{repo}/git/trees", {
        owner,
        repo: name,
        tree: [{ path, mode: "100644", type: "blob", content: text }],
      });
      await beforeWrite();
      const { data: commit } = await octokit.request("POST /repos/{owner}/{repo}/git/commits", {
        owner,
        repo: name,
        message,
        tree: tree.sha,
        parents: expected === null ? [] : [expected],
      });
      await beforeWrite();
      try {
        if (expected === null) {
          await octokit.request("POST /repos/{owner}/{repo}/git/refs", {
            owner,
            repo: name,
            ref: `refs/heads/${branch}`,
            sha: commit.sha,
          });
        } else {
          // force: false — GitHub moves the branch only if our commit's parent is still its head.
          await octokit.request(`PATCH /repos/{owner}/{repo}/git/refs/${refPath}`, {
            owner,
            repo: name,
            sha: commit.sha,
            force: false,
          });
        }
      } catch (err) {
        const status = statusOf(err);
        if (status === 409 || status === 422) return { ok: false, reason: "conflict" };
        throw err;
      }
      return { ok: true, version: commit.sha };
    },
  };
}
