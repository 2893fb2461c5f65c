import { readCommandState } from "../../core/commands/command-record.js";
import type { DashboardPullRequest } from "../../core/dashboard/dashboard-model.js";
import type { Severity } from "../../core/incident/incident.js";
import { parseIncidentState } from "../../core/incident/incident-state.js";
import { parseMarker } from "../../core/markdown/parse-marker.js";
import type { Episode, IncidentHistory } from "../../core/noise/noise-history.js";
import { parseQuarantine, QUARANTINE_PATH } from "../../core/rollout/quarantine.js";
import type { DashboardSource } from "../../workflows/ports/dashboard.js";
import type { GitHubOctokit, GitHubRepoRef } from "./git-data.js";

/** Bot PRs read in detail (their comments hold `/approve` and `/hold` records). */
const MAX_PRS = 20;

interface IssueLike {
  number: number;
  title: string;
  html_url: string;
  state: string;
  created_at: string;
  closed_at?: string | null;
  body?: string | null;
  labels: (string | { name?: string })[];
  user: { login: string; type: string } | null;
  pull_request?: unknown;
}

const names = (i: { labels: (string | { name?: string })[] }) =>
  i.labels.map((l) => (typeof l === "string" ? l : (l.name ?? "")));

/** What the dashboard shows, read with listings (issues by label, open PRs) and one comment listing per bot PR. */
export function createGitHubDashboardSource(opts: {
  octokit: GitHubOctokit;
  repo: GitHubRepoRef;
  botLogin: string;
  defaultBranch: string;
}): DashboardSource {
  const { octokit, repo, botLogin } = opts;
  const issues = async (params: { labels: string; state: "open" | "all"; since?: string }) => {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/issues", {
      ...repo,
      ...params,
      per_page: 100,
    });
    return data as IssueLike[];
  };
  let openPrs: Promise<IssueLike[]> | undefined;
  const botPrs = () =>
    (openPrs ??= octokit
      .request("GET /repos/{owner}/{repo}/pulls", { ...repo, state: "open", per_page: 100 })
      .then(({ data }) =>
        (data as unknown as IssueLike[]).filter(
          (p) => p.user?.login === botLogin && names(p).includes("medic"),
        ),
      ));
  return {
    async openIncidents() {
      return (await issues({ labels: "incident", state: "open" }))
        .filter((i) => !i.pull_request)
        .map((i) => {
          const state = i.user?.login === botLogin ? parseIncidentState(i.body) : null;
          const sev = names(i)
            .map((l) => /^severity:(critical|warning|info)$/.exec(l)?.[1])
            .find(Boolean) as Severity | undefined;
          const started = Date.parse(state?.startsAt ?? i.created_at);
          return {
            number: i.number,
            url: i.html_url,
            title: i.title,
            severity: sev ?? state?.severity ?? null,
            startedAt: Number.isNaN(started) ? Date.parse(i.created_at) : started,
          };
        });
    },
    async pullRequests() {
      const out: DashboardPullRequest[] = [];
      for (const p of (await botPrs()).slice(0, MAX_PRS)) {
        const labels = names(p);
        const comments = await octokit.paginate(octokit.rest.issues.listComments, {
          ...repo,
          issue_number: p.number,
          per_page: 100,
        });
        const state = readCommandState(
          comments.map((c) => ({
            id: c.id,
            author: c.user ? { login: c.user.login, type: c.user.type } : null,
            body: c.body ?? "",
            createdAt: c.created_at,
          })),
          botLogin,
        );
        const head = (p as unknown as { head?: { sha?: string } }).head?.sha;
        out.push({
          number: p.number,
          url: p.html_url,
          title: p.title,
          kind: labels.includes("medic:tuning")
            ? "tuning"
            : labels.includes("revert")
              ? "revert"
              : "remediation",
          waitingFor: labels.includes("risk:destructive")
            ? "approval by a security code owner and checks"
            : "review and checks",
          held: state.hold !== null,
          approvedBy: [...state.approvals.values()]
            .filter((a) => !head || a.sha === head)
            .map((a) => a.actor),
        });
      }
      return out;
    },
    async reverts(sinceMs) {
      return (await issues({ labels: "revert", state: "all", since: new Date(sinceMs).toISOString() }))
        .filter((i) => i.pull_request && i.user?.login === botLogin && Date.parse(i.created_at) >= sinceMs)
        .map((i) => ({
          number: i.number,
          url: i.html_url,
          title: i.title,
          at: Date.parse(i.created_at),
          state: i.state,
        }));
    },
    async quarantined() {
      let text: string | null = null;
      try {
        const { data } = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
          ...repo,
          path: QUARANTINE_PATH,
          ref: opts.defaultBranch,
        });
        const file = data as { content?: string; encoding?: string };
        if (file.content) text = Buffer.from(file.content, "base64").toString("utf8");
      } catch (err) {
        if ((err as { status?: number }).status !== 404) throw err;
      }
      const q = parseQuarantine(text);
      if (!q.ok) return [];
      return q.quarantine.entries.map((e) => ({
        image: e.image ?? e.revision,
        reason: e.reason,
        since: e.at,
      }));
    },
    async incidentHistory(sinceMs) {
      const out: IncidentHistory[] = [];
      for (const i of await issues({
        labels: "incident",
        state: "all",
        since: new Date(sinceMs).toISOString(),
      })) {
        if (i.pull_request || i.user?.login !== botLogin) continue;
        const inc = parseIncidentState(i.body);
        const key = parseMarker(i.body, "incident");
        if (!inc || !key) continue;
        out.push({
          number: i.number,
          key,
          alertname: inc.labels["alertname"] ?? inc.signals[0]?.name ?? key.split("/")[0] ?? key,
          severity: inc.severity,
          episodes: episodesOf(inc, i),
          // Without reading every comment the live analysis counts a matched runbook as action; the
          // offline `medic noise` reads comments and PRs from the export.
          actions: [],
          remediated: names(i).some((l) => l.startsWith("runbook:")),
        });
      }
      return out;
    },
    async tuningPrs() {
      const out: Record<string, { number: number; url: string }> = {};
      for (const p of await botPrs()) {
        const id = parseMarker(p.body, "tuning");
        if (id && names(p).includes("medic:tuning")) out[id] = { number: p.number, url: p.html_url };
      }
      return out;
    },
  };
}

function episodesOf(inc: NonNullable<ReturnType<typeof parseIncidentState>>, i: IssueLike): Episode[] {
  const episodes: Episode[] = [{ start: Date.parse(inc.startsAt), end: null }];
  for (const t of inc.timeline ?? []) {
    const at = Date.parse(t.at);
    const cur = episodes[episodes.length - 1]!;
    if (t.event === "resolved" && cur.end === null && at >= cur.start) cur.end = at;
    else if (t.event === "reopened" && cur.end !== null) episodes.push({ start: at, end: null });
  }
  const last = episodes[episodes.length - 1]!;
  if (last.end === null && inc.status === "resolved" && inc.resolvedAt) last.end = Date.parse(inc.resolvedAt);
  if (last.end === null && i.state === "closed" && i.closed_at) last.end = Date.parse(i.closed_at);
  return episodes.filter((e) => !Number.isNaN(e.start));
}
