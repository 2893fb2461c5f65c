import type { BaseRevision, BaseSnapshot } from "../../workflows/ports/change-requests.js";
import type { GitData, GitTree, GitTreeEntry } from "../../workflows/ports/git-data.js";

/** A `GitOpsRepo` that also tells the writer which commit and tree it read. */
export interface RepoSnapshot extends BaseSnapshot {
  /** Requests made so far, for the read budget and the bench. */
  readonly reads: () => number;
}

/**
 * Blob text by SHA, shared by every snapshot of the process. Blobs are content-addressed, so an entry can
 * never go stale, and the same runbook or manifest read by the next delivery costs no request. Bounded by
 * total characters so a repository of large files cannot grow it without limit.
 */
export class BlobCache {
  private readonly map = new Map<string, string>();
  private size = 0;
  constructor(private readonly maxChars = 32 * 1024 * 1024) {}
  get(sha: string): string | undefined {
    const v = this.map.get(sha);
    if (v !== undefined) {
      this.map.delete(sha);
      this.map.set(sha, v);
    }
    return v;
  }
  set(sha: string, text: string): void {
    if (text.length > this.maxChars / 4 || this.map.has(sha)) return;
    this.map.set(sha, text);
    this.size += text.length;
    for (const [k, v] of this.map) {
      if (this.size <= this.maxChars) break;
      this.map.delete(k);
      this.size -= v.length;
    }
  }
}

/** Files over this size are not read (manifests are small; a huge file is not something a runbook edits). */
export const MAX_FILE_BYTES = 1024 * 1024;

/**
 * The default branch of a GitHub repository as a `GitOpsRepo`: ONE ref read, ONE recursive tree listing,
 * then blobs read on demand and cached by SHA. Every read sees the same commit, so a plan never mixes two
 * revisions. Symlinks and submodules read as absent: a runbook must never follow a link out of the tree.
 */
export function createGitHubRepoSnapshot(
  git: GitData,
  branch: string,
  cache: BlobCache = new BlobCache(),
): RepoSnapshot {
  let reads = 0;
  let loaded: Promise<{ base: BaseRevision; tree: GitTree; byPath: Map<string, GitTreeEntry> }> | undefined;
  const load = () => {
    loaded ??= (async () => {
      reads++;
      const commitSha = await git.getBranchSha(branch);
      if (commitSha === null) throw new Error(`${git.name}: branch "${branch}" does not exist`);
      reads++;
      const tree = await git.getTree(commitSha);
      if (tree.truncated) {
        // Over 100,000 entries GitHub truncates the listing; reading it as complete could make a present
        // file look absent and a runbook create a duplicate. Refuse instead.
        throw new Error(`${git.name}: the tree of ${commitSha} is too large for one listing (truncated)`);
      }
      const byPath = new Map(tree.entries.map((e) => [e.path, e]));
      return { base: { branch, commitSha, treeSha: tree.sha }, tree, byPath };
    })();
    return loaded;
  };
  const regular = (e: GitTreeEntry | undefined) =>
    e !== undefined && e.type === "blob" && (e.mode === "100644" || e.mode === "100755");
  return {
    name: `${git.name}@${branch}`,
    reads: () => reads,
    async base() {
      return (await load()).base;
    },
    async revision() {
      return (await load()).base.commitSha;
    },
    async listFiles(prefix) {
      const { tree } = await load();
      const p = prefix ? prefix.replace(/\/+$/, "") : "";
      return tree.entries
        .filter((e) => regular(e) && (p === "" || e.path === p || e.path.startsWith(`${p}/`)))
        .map((e) => e.path)
        .sort();
    },
    async readFile(path) {
      const { byPath } = await load();
      const entry = byPath.get(path.replace(/^\/+/, ""));
      if (!entry || !regular(entry)) return null;
      if (entry.size !== undefined && entry.size > MAX_FILE_BYTES) {
        throw new Error(`${git.name}: ${path} is ${entry.size} bytes, over the ${MAX_FILE_BYTES}-byte limit`);
      }
      const hit = cache.get(entry.sha);
      if (hit !== undefined) return hit;
      reads++;
      const text = await git.getBlobText(entry.sha);
      cache.set(entry.sha, text);
      return text;
    },
    async blobSha(path) {
      const { byPath } = await load();
      const entry = byPath.get(path.replace(/^\/+/, ""));
      return entry && regular(entry) ? entry.sha : null;
    },
  };
}
