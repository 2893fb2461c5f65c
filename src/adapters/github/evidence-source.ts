import { defaultMedicConfig, loadMedicConfig } from "../../core/config/medic-config.js";
import type {
  ExportAnnotation,
  ExportCheckRun,
  ExportComment,
  ExportCommit,
  ExportDeployment,
  ExportIssue,
  ExportIssueEvent,
  ExportPullRequest,
  RecordedExport,
} from "../../core/evidence/recorded-export.js";
import { RecordedExport as RecordedExportSchema } from "../../core/evidence/recorded-export.js";
import { parseYaml } from "../../core/yaml/parse-yaml.js";
import { type Clock, systemClock } from "../../workflows/ports/clock.js";
import type { EvidenceSource, ExportProgress } from "../../workflows/ports/evidence-source.js";
import { createGitHubAuditLedger } from "./audit-ledger.js";
import type { GitHubOctokit, GitHubRepoRef } from "./git-data.js";
import { statusOf } from "./git-data.js";

// Loose shapes of the REST answers: only the fields the export keeps.
type User = { login: string; type?: string } | null;
type Json = Record<string, unknown>;

const NEXT = /<([^>]+)>;\s*rel="next"/;
const PER_PAGE = 100;

/** Why an export could not be taken (bad repository content, not a bug): the CLI prints it. */
export class EvidenceSourceError extends Error {
  override name = "EvidenceSourceError";
}

/**
 * The GitHub evidence source: reads a repository's history through the REST API, paginating with the
 * `link` header (100 per page), and produces exactly the recorded-export format (`medic evidence --from`
 * reads the same). Requests, in order:
 *  - `GET /repos/{o}/{r}` (default branch), `GET …/contents/.github/medic.yml?ref=<default>`;
 *  - issues labelled `incident` updated since `since` (`GET …/issues?labels=…&state=all&since=…`), and the
 *    timeline of each (`GET …/issues/{n}/timeline`: comments and state events);
 *  - closed PRs into the default branch, newest update first, until one was updated before `since`; for each
 *    PR merged in the range: its commits, reviews and conversation comments;
 *  - default-branch commits in the range (`GET …/commits?sha=&since=&until=`);
 *  - check runs of every commit of those PRs and of every default-branch commit, and the annotations of
 *    failing `medic/policy` and scanner runs;
 *  - deployments created in the range (newest first, stopping before `since`) and their statuses;
 *  - the audit ledger (`evidence.ledgerBranch`), when it exists.
 */
export function createGitHubEvidenceSource(
  octokit: GitHubOctokit,
  repo: GitHubRepoRef,
  clock: Clock = systemClock,
): EvidenceSource {
  const { owner, repo: name } = repo;
  const get = async (route: string, params: Json = {}) =>
    octokit.request(route, { owner, repo: name, ...params });

  /** Every page of a list; `stop` ends early (lists sorted newest first); `key` unwraps `{total_count, items}` answers. */
  async function paginate<T>(
    route: string,
    params: Json,
    opts: { key?: string; stop?: (item: T) => boolean } = {},
  ): Promise<T[]> {
    const out: T[] = [];
    let res = await get(route, { ...params, per_page: PER_PAGE });
    for (;;) {
      const data = res.data as unknown;
      const items = (opts.key ? (data as Json)[opts.key] : data) as T[];
      for (const item of items) {
        if (opts.stop?.(item)) return out;
        out.push(item);
      }
      const link = (res.headers as Record<string, string | undefined>)["link"];
      const next = link ? NEXT.exec(link)?.[1] : undefined;
      if (!next) return out;
      res = await octokit.request({ method: "GET", url: next });
    }
  }

  return {
    kind: "github",
    name: `${owner}/${name}`,
    async fetchExport(range, onProgress) {
      const progress = (phase: string, done: number, total: number | null) =>
        onProgress?.({ phase, done, total } satisfies ExportProgress);
      const since = Date.parse(range.since);
      const until = Date.parse(range.until);
      const inRange = (iso: string | null | undefined) =>
        !!iso && Date.parse(iso) >= since && Date.parse(iso) < until;

      progress("repository", 0, 1);
      const { data: repoData } = await get("GET /repos/{owner}/{repo}");
      const defaultBranch = (repoData as { default_branch: string }).default_branch;
      const medicConfig = await readConfig(defaultBranch);
      const cfg = loadMedicConfig(medicConfig);
      // A broken config is reported by the evidence workflow (naming the field); the export uses defaults.
      const ev = cfg.ok ? cfg.config.evidence : defaultMedicConfig().evidence;
      progress("repository", 1, 1);

      // Incidents.
      const rawIssues = await paginate<Json>("GET /repos/{owner}/{repo}/issues", {
        labels: ev.incidentLabel,
        state: "all",
        since: range.since,
        sort: "created",
        direction: "asc",
      });
      const incidentIssues = rawIssues.filter(
        (i) =>
          !i["pull_request"] &&
          Date.parse(String(i["created_at"])) < until &&
          (i["closed_at"] === null || Date.parse(String(i["closed_at"])) >= since),
      );
      const issues: ExportIssue[] = [];
      for (const [k, i] of incidentIssues.entries()) {
        progress("incident timelines", k, incidentIssues.length);
        const timeline = await paginate<Json>("GET /repos/{owner}/{repo}/issues/{issue_number}/timeline", {
          issue_number: i["number"],
        });
        issues.push(toIssue(i, timeline));
      }
      progress("incident timelines", incidentIssues.length, incidentIssues.length);

      // Merged PRs.
      const closed = await paginate<Json>(
        "GET /repos/{owner}/{repo}/pulls",
        { state: "closed", base: defaultBranch, sort: "updated", direction: "desc" },
        { stop: (p) => Date.parse(String(p["updated_at"])) < since },
      );
      const merged = closed
        .filter((p) => inRange(p["merged_at"] as string | null))
        .sort((a, b) => Date.parse(String(a["merged_at"])) - Date.parse(String(b["merged_at"])));
      const pullRequests: ExportPullRequest[] = [];
      for (const [k, p] of merged.entries()) {
        progress("pull requests", k, merged.length);
        const n = p["number"];
        const commits = await paginate<Json>("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", {
          pull_number: n,
        });
        const reviews = await paginate<Json>("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
          pull_number: n,
        });
        const comments = await paginate<Json>("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
          issue_number: n,
        });
        pullRequests.push(toPullRequest(p, commits, reviews, comments));
      }
      progress("pull requests", merged.length, merged.length);

      // Default-branch commits.
      progress("commits", 0, null);
      const rawCommits = await paginate<Json>("GET /repos/{owner}/{repo}/commits", {
        sha: defaultBranch,
        since: range.since,
        until: range.until,
      });
      const commits = rawCommits.map(toCommit);
      progress("commits", commits.length, commits.length);

      // Check runs.
      const shas = [
        ...new Set([
          ...pullRequests.flatMap((p) => [...p.commits.map((c) => c.sha), p.headSha, p.mergeCommitSha]),
          ...commits.map((c) => c.sha),
        ]),
      ];
      const scanners = ev.scanners.map((s) => s.toLowerCase());
      const checkRuns: ExportCheckRun[] = [];
      for (const [k, sha] of shas.entries()) {
        progress("check runs", k, shas.length);
        const runs = await paginate<Json>(
          "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
          { ref: sha },
          { key: "check_runs" },
        );
        for (const r of runs) {
          const output = (r["output"] ?? {}) as Json;
          const wantsAnnotations =
            Number(output["annotations_count"] ?? 0) > 0 &&
            ((r["name"] === "medic/policy" && r["conclusion"] !== "success") ||
              scanners.some((s) => String(r["name"]).toLowerCase().startsWith(s)));
          const annotations = wantsAnnotations
            ? await paginate<Json>("GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations", {
                check_run_id: r["id"],
              })
            : [];
          checkRuns.push(toCheckRun(r, annotations));
        }
      }
      progress("check runs", shas.length, shas.length);

      // Deployments.
      const rawDeployments = await paginate<Json>(
        "GET /repos/{owner}/{repo}/deployments",
        {},
        { stop: (d) => Date.parse(String(d["created_at"])) < since },
      );
      const deployments: ExportDeployment[] = [];
      const wanted = rawDeployments.filter((d) => Date.parse(String(d["created_at"])) < until);
      for (const [k, d] of wanted.entries()) {
        progress("deployments", k, wanted.length);
        const statuses = await paginate<Json>(
          "GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
          { deployment_id: d["id"] },
        );
        deployments.push(toDeployment(d, statuses));
      }
      progress("deployments", wanted.length, wanted.length);

      // The audit ledger.
      progress("audit ledger", 0, 1);
      const ledger = createGitHubAuditLedger(octokit, repo, { branch: ev.ledgerBranch, path: ev.ledgerPath });
      const { text, version } = await ledger.read();
      progress("audit ledger", 1, 1);

      const exp: RecordedExport = RecordedExportSchema.parse({
        kind: "gitops-medic/export",
        version: 1,
        repository: `${owner}/${name}`,
        defaultBranch,
        exportedAt: new Date(clock.now()).toISOString(),
        since: new Date(since).toISOString(),
        until: new Date(until).toISOString(),
        medicConfig,
        issues,
        pullRequests,
        commits,
        checkRuns: checkRuns.sort((a, b) => a.id - b.id),
        deployments: deployments.sort((a, b) => a.id - b.id),
        auditLedger: version === null ? null : text,
      });
      return exp;
    },
  };

  async function readConfig(ref: string): Promise<unknown> {
    let content: string;
    try {
      const { data } = await get("GET /repos/{owner}/{repo}/contents/{path}", {
        path: ".github/medic.yml",
        ref,
      });
      const file = data as { content?: string; encoding?: string };
      content =
        file.encoding === "base64"
          ? Buffer.from(file.content ?? "", "base64").toString("utf8")
          : (file.content ?? "");
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
    const parsed = parseYaml(content, ".github/medic.yml");
    if (!parsed.ok)
      throw new EvidenceSourceError(`Invalid configuration in .github/medic.yml: ${parsed.error.message}`);
    return parsed.documents[0]?.value ?? null;
  }
}

const login = (u: unknown) => (u as User)?.login ?? "ghost";
const isBot = (u: unknown) => (u as User)?.type === "Bot";

function toComment(c: Json): ExportComment {
  return {
    id: Number(c["id"]),
    user: login(c["user"] ?? c["actor"]),
    userIsBot: isBot(c["user"] ?? c["actor"]),
    createdAt: String(c["created_at"]),
    body: String(c["body"] ?? ""),
    url: String(c["html_url"] ?? ""),
  };
}

const EVENTS = new Set([
  "closed",
  "reopened",
  "labeled",
  "unlabeled",
  "referenced",
  "cross-referenced",
  "assigned",
]);

function toIssue(i: Json, timeline: Json[]): ExportIssue {
  const comments = timeline.filter((e) => e["event"] === "commented").map(toComment);
  const events: ExportIssueEvent[] = timeline
    .filter((e) => EVENTS.has(String(e["event"])) && e["created_at"])
    .map((e) => ({
      event: e["event"] as ExportIssueEvent["event"],
      actor: login(e["actor"]),
      createdAt: String(e["created_at"]),
      ...(e["label"] ? { label: String((e["label"] as Json)["name"]) } : {}),
      ...(typeof e["commit_id"] === "string" ? { commitId: e["commit_id"] } : {}),
    }));
  return {
    number: Number(i["number"]),
    title: String(i["title"]),
    state: i["state"] === "closed" ? "closed" : "open",
    labels: ((i["labels"] ?? []) as (Json | string)[]).map((l) =>
      typeof l === "string" ? l : String(l["name"]),
    ),
    user: login(i["user"]),
    createdAt: String(i["created_at"]),
    closedAt: (i["closed_at"] as string | null) ?? null,
    body: String(i["body"] ?? ""),
    url: String(i["html_url"] ?? ""),
    comments,
    events,
  };
}

function toPullRequest(p: Json, commits: Json[], reviews: Json[], comments: Json[]): ExportPullRequest {
  return {
    number: Number(p["number"]),
    title: String(p["title"]),
    user: login(p["user"]),
    userIsBot: isBot(p["user"]),
    body: String(p["body"] ?? ""),
    labels: ((p["labels"] ?? []) as Json[]).map((l) => String(l["name"])),
    createdAt: String(p["created_at"]),
    mergedAt: String(p["merged_at"]),
    // The list endpoint does not say who merged; that needs one GET per PR, which the export skips.
    mergedBy: (p["merged_by"] as User)?.login ?? null,
    mergeCommitSha: String(p["merge_commit_sha"]),
    headSha: String((p["head"] as Json)["sha"]),
    baseRef: String((p["base"] as Json)["ref"]),
    url: String(p["html_url"] ?? ""),
    commits: commits.map((c) => ({
      sha: String(c["sha"]),
      authoredAt: String(((c["commit"] as Json)["author"] as Json)["date"]),
    })),
    reviews: reviews.map((r) => ({
      user: login(r["user"]),
      userIsBot: isBot(r["user"]),
      state: r["state"] as ExportPullRequest["reviews"][number]["state"],
      submittedAt: (r["submitted_at"] as string | null) ?? null,
      commitId: (r["commit_id"] as string | null) ?? null,
      body: String(r["body"] ?? ""),
    })),
    comments: comments.map(toComment),
  };
}

function toCommit(c: Json): ExportCommit {
  const commit = c["commit"] as Json;
  const author = commit["author"] as Json;
  return {
    sha: String(c["sha"]),
    message: String(commit["message"]),
    author: (c["author"] as User)?.login ?? String(author["name"]),
    authoredAt: String(author["date"]),
    committedAt: String((commit["committer"] as Json)["date"]),
    parents: ((c["parents"] ?? []) as Json[]).map((p) => String(p["sha"])),
  };
}

function toCheckRun(r: Json, annotations: Json[]): ExportCheckRun {
  const output = (r["output"] ?? {}) as Json;
  return {
    id: Number(r["id"]),
    name: String(r["name"]),
    headSha: String(r["head_sha"]),
    status: r["status"] as ExportCheckRun["status"],
    conclusion: (r["conclusion"] as ExportCheckRun["conclusion"]) ?? null,
    startedAt: (r["started_at"] as string | null) ?? null,
    completedAt: (r["completed_at"] as string | null) ?? null,
    app: String((r["app"] as Json | null)?.["slug"] ?? ""),
    title: (output["title"] as string | null) ?? null,
    summary: (output["summary"] as string | null) ?? null,
    annotations: annotations.map(
      (a): ExportAnnotation => ({
        path: String(a["path"]),
        startLine: Number(a["start_line"]),
        level: a["annotation_level"] as ExportAnnotation["level"],
        title: String(a["title"] ?? ""),
        message: String(a["message"] ?? ""),
      }),
    ),
    url: String(r["html_url"] ?? ""),
  };
}

function toDeployment(d: Json, statuses: Json[]): ExportDeployment {
  return {
    id: Number(d["id"]),
    sha: String(d["sha"]),
    ref: String(d["ref"]),
    environment: String(d["environment"]),
    createdAt: String(d["created_at"]),
    creator: login(d["creator"]),
    description: (d["description"] as string | null) ?? null,
    // GitHub lists statuses newest first; the export keeps them oldest first.
    statuses: [...statuses]
      .sort((a, b) => Date.parse(String(a["created_at"])) - Date.parse(String(b["created_at"])))
      .map((s) => ({
        state: s["state"] as ExportDeployment["statuses"][number]["state"],
        createdAt: String(s["created_at"]),
        description: (s["description"] as string | null) ?? null,
        logUrl: (s["log_url"] as string | null) ?? null,
      })),
  };
}
