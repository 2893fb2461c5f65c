import type { ProbotOctokit } from "probot";
import { parseIncidentState } from "../../core/incident/incident-state.js";
import { parseMarker } from "../../core/markdown/parse-marker.js";
import type { IncidentTracker, IssueDraft, TrackedIssue } from "../../workflows/ports/incident-tracker.js";
import type { Logger } from "../../workflows/ports/logger.js";
import type { WriteQueue } from "./write-queue.js";

type Octokit = InstanceType<typeof ProbotOctokit>;

/** Incident issues live under this label; listings filter on it (never the search API, which lags). */
export const INCIDENT_LABEL = "incident";
/** A create or comment is tried at most this often; between tries the marker is looked up again. */
const MAX_CREATE_ATTEMPTS = 3;
/** Listings stop after this many pages of 100 (bounded work on a repo with a huge backlog). */
const MAX_PAGES = 10;

interface IssueLike {
  number: number;
  html_url: string;
  state: string;
  closed_at?: string | null;
  body?: string | null;
  labels: (string | { name?: string })[];
  user: { login: string; type: string } | null;
  pull_request?: unknown;
}

export interface GitHubIncidentTrackerOptions {
  octokit: Octokit;
  owner: string;
  repo: string;
  queue: WriteQueue;
  logger: Logger;
  /** The app's bot login (`my-app[bot]`); only its issues are trusted. Any bot when unknown. */
  botLogin?: string;
}

/**
 * The incident tracker over GitHub issues. Every write goes through the installation's write queue.
 * Creates and comments are sent without octokit's retry (plugin-retry re-POSTs after a 5xx, which
 * duplicates a write that did succeed); instead the hidden marker is looked up by listing, then the
 * write is tried again only if it is really missing.
 */
export function createGitHubIncidentTracker(opts: GitHubIncidentTrackerOptions): IncidentTracker {
  const { octokit, owner, repo, queue, logger } = opts;
  const fullName = `${owner}/${repo}`;
  const trusted = (i: IssueLike) =>
    !i.pull_request &&
    i.user !== null &&
    (opts.botLogin ? i.user.login === opts.botLogin : i.user.type === "Bot");
  const toTracked = (i: IssueLike): TrackedIssue | null => {
    const key = parseMarker(i.body, "incident");
    if (!key || !trusted(i)) return null;
    const closedAt = i.closed_at ? Date.parse(i.closed_at) : undefined;
    return {
      number: i.number,
      url: i.html_url,
      state: i.state === "closed" ? "closed" : "open",
      ...(closedAt !== undefined && !Number.isNaN(closedAt) ? { closedAt } : {}),
      key,
      incident: parseIncidentState(i.body),
      labels: i.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean),
      body: i.body ?? "",
    };
  };
  const list = async (params: {
    state: "open" | "closed" | "all";
    since?: string;
  }): Promise<TrackedIssue[]> => {
    const out: TrackedIssue[] = [];
    let pages = 0;
    for await (const page of octokit.paginate.iterator("GET /repos/{owner}/{repo}/issues", {
      owner,
      repo,
      labels: INCIDENT_LABEL,
      state: params.state,
      sort: "created",
      direction: "desc",
      per_page: 100,
      ...(params.since ? { since: params.since } : {}),
    })) {
      for (const i of page.data as IssueLike[]) {
        const t = toTracked(i);
        if (t) out.push(t);
      }
      if (++pages >= MAX_PAGES) {
        logger.warn({ repo: fullName, pages }, "incident listing truncated");
        break;
      }
    }
    return out;
  };
  const findByKey = async (key: string): Promise<TrackedIssue | undefined> =>
    (await list({ state: "open" })).find((t) => t.key === key);

  return {
    repo: fullName,
    listOpen: () => list({ state: "open" }),
    async listClosedSince(sinceMs) {
      // `since` filters on updated_at, which is ≥ closed_at: a superset, narrowed below.
      const closed = await list({ state: "closed", since: new Date(sinceMs).toISOString() });
      return closed.filter((t) => (t.closedAt ?? 0) >= sinceMs);
    },
    async create(draft: IssueDraft) {
      for (let attempt = 1; ; attempt++) {
        // The marker first: another replica, or a create that answered 5xx after succeeding, made it.
        const found = await findByKey(draft.key);
        if (found) {
          if (attempt > 1)
            logger.warn({ repo: fullName, key: draft.key, issue: found.number }, "create had succeeded");
          return { ...found, existed: true };
        }
        try {
          const res = await queue.run("create issue", () =>
            octokit.request("POST /repos/{owner}/{repo}/issues", {
              owner,
              repo,
              title: draft.title,
              body: draft.body,
              labels: draft.labels,
              request: { retries: 0 },
            }),
          );
          const t = toTracked(res.data as IssueLike);
          return (
            t ?? {
              number: res.data.number,
              url: res.data.html_url,
              state: "open",
              key: draft.key,
              incident: parseIncidentState(draft.body),
              labels: draft.labels,
              body: draft.body,
            }
          );
        } catch (err) {
          if (!isRetryableWriteError(err) || attempt >= MAX_CREATE_ATTEMPTS) throw err;
          logger.warn(
            { repo: fullName, key: draft.key, status: (err as { status?: number }).status },
            "create failed; checking marker",
          );
        }
      }
    },
    async get(number) {
      try {
        const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}", {
          owner,
          repo,
          issue_number: number,
        });
        return toTracked(data as IssueLike);
      } catch (err) {
        if ((err as { status?: number }).status === 404 || (err as { status?: number }).status === 410)
          return null;
        throw err;
      }
    },
    async update(number, patch) {
      await queue.run("update issue", () =>
        octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
          owner,
          repo,
          issue_number: number,
          ...patch,
          ...(patch.state === "closed" ? { state_reason: "completed" as const } : {}),
        }),
      );
    },
    async addLabels(number, labels) {
      await queue.run("add labels", () =>
        octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
          owner,
          repo,
          issue_number: number,
          labels,
        }),
      );
    },
    async comment(number, body, markerId, commentOpts) {
      // A retry only needs to look at comments made since this call began (a minute of clock slack).
      const startedAt = new Date(Date.now() - 60_000).toISOString();
      for (let attempt = 1; ; attempt++) {
        if (attempt > 1 || commentOpts?.checkFirst) {
          const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
            owner,
            repo,
            issue_number: number,
            per_page: 100,
            ...(attempt > 1 ? { since: startedAt } : {}),
          });
          if (data.some((c) => parseMarker(c.body, "incident-comment") === markerId)) return;
        }
        try {
          await queue.run("comment", () =>
            octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
              owner,
              repo,
              issue_number: number,
              body,
              request: { retries: 0 },
            }),
          );
          return;
        } catch (err) {
          if (!isRetryableWriteError(err) || attempt >= MAX_CREATE_ATTEMPTS) throw err;
          logger.warn(
            { repo: fullName, issue: number, status: (err as { status?: number }).status },
            "comment failed; checking marker",
          );
        }
      }
    },
  };
}

/** 5xx and network errors (no status): the write may or may not have happened. */
function isRetryableWriteError(err: unknown): boolean {
  const status = (err as { status?: number }).status;
  return status === undefined || status >= 500;
}
