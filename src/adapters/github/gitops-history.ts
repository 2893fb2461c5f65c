import { checkRepoPath } from "../../core/runbook/validate-parameter.js";
import type { FileRevision, GitOpsHistory } from "../../workflows/ports/gitops-history.js";
import { type GitHubOctokit, type GitHubRepoRef, statusOf } from "./git-data.js";
import { BlobCache } from "./repo-snapshot.js";

/** Commits of one file looked at per `fileHistory` call, whatever the caller asks (pages × per_page). */
export const MAX_HISTORY_COMMITS = 30;
/** Bytes of file text one history object reads from the API (cache hits are free); then it stops. */
export const MAX_HISTORY_BYTES = 4 * 1024 * 1024;
/** A version larger than this is not read: a manifest that big is not something a rollback edits. */
export const MAX_VERSION_BYTES = 1024 * 1024;

/**
 * What GitHub returned for paths at commits, shared by every history object of the process. Keys are
 * `commit SHA:path` and commit-listing keys are `commit SHA + path`: a commit never changes, so no
 * entry goes stale. Bounded by characters (texts) and entries (listings).
 */
export class HistoryCache {
  readonly texts: BlobCache;
  private readonly listings = new Map<string, FileRevisionHead[]>();
  constructor(
    maxChars = 16 * 1024 * 1024,
    private readonly maxListings = 512,
  ) {
    this.texts = new BlobCache(maxChars);
  }
  getListing(key: string): FileRevisionHead[] | undefined {
    return this.listings.get(key);
  }
  setListing(key: string, value: FileRevisionHead[]): void {
    this.listings.set(key, value);
    while (this.listings.size > this.maxListings) this.listings.delete(this.listings.keys().next().value!);
  }
}

/** A commit that changed a file, before its text is read. */
export interface FileRevisionHead {
  revision: string;
  date: string;
  subject: string;
}

export interface GitHubGitOpsHistoryOptions {
  /**
   * Where history starts: the commit SHA the plan reads (`BaseSnapshot.revision()`), so the history and
   * the files planned on are the same commit. A branch name works too, but then listings are not cached.
   */
  ref: string;
  cache?: HistoryCache;
  maxCommits?: number;
  maxBytes?: number;
}

/** Marks a text the cache knows to be absent at that commit (deleted, a folder, a submodule). */
const ABSENT = "\u0000absent";

/**
 * `GitOpsHistory` over GitHub's REST API: `GET /repos/{o}/{r}/commits?path=&sha=&per_page=` (newest first)
 * for the commits that changed a file, and `GET /repos/{o}/{r}/contents/{path}?ref=` for its text at a
 * commit. Bounded: at most `maxCommits` commits per file and `maxBytes` bytes of text per object; a
 * version over 1 MB ends the walk (older versions are not read). Everything read is cached by commit.
 * A file that was absent at a commit reads as `null` (the commit deleted it); an unknown revision too.
 */
export function createGitHubGitOpsHistory(
  octokit: GitHubOctokit,
  repo: GitHubRepoRef,
  opts: GitHubGitOpsHistoryOptions,
): GitOpsHistory & { readonly requests: () => number } {
  const { owner, repo: name } = repo;
  const cache = opts.cache ?? new HistoryCache();
  const maxCommits = Math.max(1, Math.min(opts.maxCommits ?? MAX_HISTORY_COMMITS, 1000));
  let bytesLeft = opts.maxBytes ?? MAX_HISTORY_BYTES;
  let requests = 0;
  const immutableRef = /^[0-9a-f]{40}$/i.test(opts.ref);

  const checkedPath = (path: string): string => {
    const p = checkRepoPath(path);
    if (!p.ok) throw new Error(`${owner}/${name}: path "${path}": ${p.reason}`);
    return p.value;
  };

  /** Text of `path` at `revision`; `null` when absent there; `undefined` when over a bound (not read). */
  const readAt = async (revision: string, path: string): Promise<string | null | undefined> => {
    const key = `${revision}:${path}`;
    const hit = cache.texts.get(key);
    if (hit !== undefined) return hit === ABSENT ? null : hit;
    if (bytesLeft <= 0) return undefined;
    let data: { type?: string; encoding?: string; content?: string; size?: number };
    try {
      requests++;
      // Segments encoded one by one: the documented form keeps the slashes of the path.
      const url = `GET /repos/{owner}/{repo}/contents/${path.split("/").map(encodeURIComponent).join("/")}`;
      const res = await octokit.request(url, { owner, repo: name, ref: revision });
      data = res.data as typeof data;
    } catch (err) {
      // 404: no such file (or ref); 422: GitHub cannot resolve the ref. Both mean "not there".
      const status = statusOf(err);
      if (status === 404 || status === 422) {
        if (/^[0-9a-f]{40}$/i.test(revision)) cache.texts.set(key, ABSENT);
        return null;
      }
      throw err;
    }
    if (Array.isArray(data) || data.type !== "file") {
      cache.texts.set(key, ABSENT);
      return null;
    }
    // Over 1 MB the contents API sends no content (encoding "none"): not read, not guessed.
    if ((data.size ?? 0) > MAX_VERSION_BYTES || data.encoding !== "base64" || data.content === undefined) {
      return undefined;
    }
    const text = Buffer.from(data.content, "base64").toString("utf8");
    bytesLeft -= Buffer.byteLength(text);
    if (/^[0-9a-f]{40}$/i.test(revision)) cache.texts.set(key, text);
    return text;
  };

  const listCommits = async (path: string, limit: number): Promise<FileRevisionHead[]> => {
    const want = Math.max(1, Math.min(limit, maxCommits));
    const key = `${opts.ref}\u0000${path}\u0000${want}`;
    const hit = immutableRef ? cache.getListing(key) : undefined;
    if (hit) return hit;
    const perPage = Math.min(want, 100);
    const out: FileRevisionHead[] = [];
    for (let page = 1; out.length < want; page++) {
      requests++;
      let data: {
        sha: string;
        commit: { message: string; committer?: { date?: string } | null; author?: { date?: string } | null };
      }[];
      try {
        const res = await octokit.request("GET /repos/{owner}/{repo}/commits", {
          owner,
          repo: name,
          path,
          sha: opts.ref,
          per_page: perPage,
          page,
        });
        data = res.data as typeof data;
      } catch (err) {
        // An unknown ref, or an empty repository: no history to read.
        const status = statusOf(err);
        if (status === 404 || status === 409 || status === 422) return [];
        throw err;
      }
      for (const c of data.slice(0, want - out.length)) {
        out.push({
          revision: c.sha,
          date: c.commit.committer?.date ?? c.commit.author?.date ?? "",
          subject: c.commit.message.split("\n", 1)[0] ?? "",
        });
      }
      if (data.length < perPage) break;
    }
    if (immutableRef) cache.setListing(key, out);
    return out;
  };

  return {
    requests: () => requests,
    async fileHistory(path, limit) {
      const p = checkedPath(path);
      const heads = await listCommits(p, limit);
      const out: FileRevision[] = [];
      for (const h of heads) {
        const text = await readAt(h.revision, p);
        // Over a bound: stop, rather than return a version whose text is unknown.
        if (text === undefined) break;
        out.push({ ...h, text });
      }
      return out;
    },
    async readFileAt(revision, path) {
      const p = checkedPath(path);
      if (!/^[\w./-]{1,200}$/.test(revision) || revision.startsWith("-") || revision.includes(".."))
        return null;
      return (await readAt(revision, p)) ?? null;
    },
  };
}
