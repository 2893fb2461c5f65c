import { readDashboardState } from "../../core/dashboard/dashboard-boxes.js";
import { DASHBOARD_MARKER_KIND } from "../../core/dashboard/render-dashboard.js";
import { parseMarker } from "../../core/markdown/parse-marker.js";
import type { AutomationSwitch } from "../../workflows/ports/automation-switch.js";
import type { DashboardIssue, DashboardStore } from "../../workflows/ports/dashboard.js";
import type { GitHubOctokit, GitHubRepoRef } from "./git-data.js";
import type { WriteQueue } from "./write-queue.js";

/** GitHub rejects issue bodies over 65,536 characters. */
const MAX_BODY = 65_000;

interface IssueLike {
  number: number;
  html_url: string;
  state: string;
  body?: string | null;
  user: { login: string; type: string } | null;
  pull_request?: unknown;
}

export interface GitHubDashboardOptions {
  octokit: GitHubOctokit;
  repo: GitHubRepoRef;
  queue: WriteQueue;
  /** The app's bot login: only its issue is the dashboard (anyone can type a marker into their own issue). */
  botLogin: string;
  label: string;
}

/**
 * The dashboard issue over GitHub issues: found by its `<!-- medic:dashboard owner/name -->` marker in the
 * listing of its label (never search, which lags), written through the installation's write queue.
 * Creates go out without octokit's retry (a retried POST duplicates an issue that was created); after a
 * failure the listing is read again before trying once more.
 */
export function createGitHubDashboardStore(opts: GitHubDashboardOptions): DashboardStore {
  const { octokit, repo, queue } = opts;
  const key = `${repo.owner}/${repo.repo}`;
  const find = async (): Promise<DashboardIssue | null> => {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
      ...repo,
      labels: opts.label,
      state: "all",
      per_page: 100,
    });
    for (const i of data as IssueLike[]) {
      if (i.pull_request || i.user?.login !== opts.botLogin) continue;
      if (parseMarker(i.body, DASHBOARD_MARKER_KIND) !== key) continue;
      return { number: i.number, url: i.html_url, body: i.body ?? "", closed: i.state === "closed" };
    }
    return null;
  };
  return {
    find,
    async create(title, body) {
      for (let attempt = 1; ; attempt++) {
        const found = await find();
        if (found) return found;
        try {
          const { data } = await queue.run("create dashboard", () =>
            octokit.request("POST /repos/{owner}/{repo}/issues", {
              ...repo,
              title,
              body: body.slice(0, MAX_BODY),
              labels: [opts.label],
              request: { retries: 0 },
            }),
          );
          return { number: data.number, url: data.html_url, body: data.body ?? body, closed: false };
        } catch (err) {
          const status = (err as { status?: number }).status ?? 0;
          if (attempt >= 2 || status < 500) throw err;
        }
      }
    },
    async update(number, body, reopen) {
      await queue.run("edit dashboard", () =>
        octokit.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
          ...repo,
          issue_number: number,
          body: body.slice(0, MAX_BODY),
          ...(reopen ? { state: "open" as const } : {}),
        }),
      );
    },
    async reply(number, body) {
      await queue.run("dashboard reply", () =>
        octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
          ...repo,
          issue_number: number,
          body: body.slice(0, MAX_BODY),
          request: { retries: 0 },
        }),
      );
    },
  };
}

/** Pause states by repository, read at most once per `ttlMs` (one issues listing). */
export interface PauseCache {
  get(repo: string, now: number): { paused: boolean; by?: string; at?: string } | undefined;
  set(repo: string, now: number, value: { paused: boolean; by?: string; at?: string }): void;
}

const shared = new WeakMap<object, PauseCache>();

/**
 * The pause cache of one app instance (`owner` is the Probot app): the dashboard handler writes into it when
 * a person ticks the box, so this process's workflows see the change at once, not after the TTL.
 */
export function pauseCacheFor(owner: object): PauseCache {
  let c = shared.get(owner);
  if (!c) {
    c = createPauseCache();
    shared.set(owner, c);
  }
  return c;
}

export function createPauseCache(ttlMs = 15_000): PauseCache {
  const entries = new Map<string, { at: number; value: { paused: boolean; by?: string; at?: string } }>();
  return {
    get(repo, now) {
      const e = entries.get(repo);
      return e && now - e.at < ttlMs ? e.value : undefined;
    },
    set(repo, now, value) {
      entries.set(repo, { at: now, value });
      if (entries.size > 5_000) entries.delete(entries.keys().next().value!);
    },
  };
}

/**
 * The kill switch backed by the dashboard issue: the bot's state block in its body, cached briefly.
 * The handler writes the block only after checking who ticked the box. When the listing fails the
 * switch reports "not paused" only if no earlier answer is cached: the last known state wins.
 */
export function createGitHubAutomationSwitch(
  store: Pick<DashboardStore, "find">,
  repo: string,
  cache: PauseCache,
  now: () => number,
  onError?: (err: unknown) => void,
): AutomationSwitch {
  return {
    async paused() {
      const cached = cache.get(repo, now());
      const value =
        cached ??
        (await (async () => {
          let issue: DashboardIssue | null;
          try {
            issue = await store.find();
          } catch (err) {
            // An unreadable switch must not stop every workflow: the last known state, else "not paused"
            // (the PR still needs its policy checks and approvals).
            onError?.(err);
            return cache.get(repo, Number.NEGATIVE_INFINITY) ?? { paused: false };
          }
          const s = readDashboardState(issue?.body);
          const v = {
            paused: s.paused,
            ...(s.pausedBy ? { by: s.pausedBy } : {}),
            ...(s.pausedAt ? { at: s.pausedAt } : {}),
          };
          cache.set(repo, now(), v);
          return v;
        })());
      if (!value.paused) return { paused: false };
      return { paused: true, ...(value.by ? { by: value.by } : {}), ...(value.at ? { at: value.at } : {}) };
    },
  };
}

/**
 * The kill switch of one repository for handlers that only read it (checks, rollouts): the dashboard
 * found through a label listing, never written from here.
 */
export function createDashboardAutomationSwitch(opts: {
  octokit: GitHubOctokit;
  repo: GitHubRepoRef;
  botLogin: string;
  cache: PauseCache;
  now: () => number;
  label?: string;
}): AutomationSwitch {
  const readOnly: WriteQueue = {
    run: async () => {
      throw new Error("the automation switch never writes");
    },
  };
  const store = createGitHubDashboardStore({
    octokit: opts.octokit,
    repo: opts.repo,
    queue: readOnly,
    botLogin: opts.botLogin,
    label: opts.label ?? "medic:dashboard",
  });
  return createGitHubAutomationSwitch(store, `${opts.repo.owner}/${opts.repo.repo}`, opts.cache, opts.now);
}
