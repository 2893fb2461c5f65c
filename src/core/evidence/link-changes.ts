import { CommandRecord } from "../commands/command-record.js";
import type { EvidenceConfig } from "../config/sections/evidence.js";
import { parseRevertMarker } from "../rollout/revert-marker.js";
import type { IncidentFacts } from "./analyze-incident.js";
import type { DeploymentSample } from "./compute-dora.js";
import type { EvidenceChange } from "./evidence-pack.js";
import type { ExportCommit, ExportDeployment, ExportPullRequest, RecordedExport } from "./recorded-export.js";

/** A production deployment with what it shipped. */
export interface LinkedDeployment extends DeploymentSample {
  id: string;
  sha: string;
  environment: string;
  state: string;
  changes: string[];
  failureReasons: string[];
}

export interface LinkedChanges {
  deploymentsFrom: "deployments" | "merges";
  deployments: LinkedDeployment[];
  changes: EvidenceChange[];
  /** Full SHA → deployment time of the first deployment that shipped it. */
  deployedAt: Map<string, number>;
  /** Full SHA of a reverted change → the default-branch commits that revert it. */
  revertedBy: Map<string, string[]>;
  notes: string[];
}

const REVERTS = /This reverts commit ([0-9a-f]{7,40})/gi;
const REVERTS_PR = /\bReverts\s+[\w.-]+\/[\w.-]+#(\d+)/gi;

function terminalState(d: ExportDeployment): {
  state: string;
  successAt: number | null;
  failedAfter: boolean;
} {
  let successAt: number | null = null;
  let failedAfter = false;
  let state = "pending";
  for (const s of d.statuses) {
    state = s.state;
    if (s.state === "success" && successAt === null) successAt = Date.parse(s.createdAt);
    if ((s.state === "failure" || s.state === "error") && successAt !== null) failedAfter = true;
  }
  return { state, successAt, failedAfter };
}

/**
 * Links default-branch commits to the PRs that produced them, to the production deployments that shipped them
 * (walking parents back to the previous deployment) and to failures: a change failed when an incident names it
 * as `root cause: <sha>`, when a later commit or PR reverts it, or when its deployment went to `failure` after
 * reaching production (the rollout watcher reports a Degraded rollout that way).
 */
export function linkChanges(
  exp: RecordedExport,
  config: EvidenceConfig,
  incidents: readonly IncidentFacts[],
  range: { since: number; until: number } = { since: Date.parse(exp.since), until: Date.parse(exp.until) },
): LinkedChanges {
  const notes: string[] = [];
  const commits = new Map(exp.commits.map((c) => [c.sha, c]));
  const prByMerge = new Map(exp.pullRequests.map((p) => [p.mergeCommitSha, p]));
  const prByNumber = new Map(exp.pullRequests.map((p) => [p.number, p]));
  const fullSha = (prefix: string): string | null => {
    const p = prefix.toLowerCase();
    for (const sha of [...commits.keys(), ...prByMerge.keys(), ...exp.deployments.map((d) => d.sha)]) {
      if (sha.startsWith(p)) return sha;
    }
    return null;
  };

  // Failure reasons per full SHA.
  const failures = new Map<string, string[]>();
  const addFailure = (sha: string | null, why: string) => {
    if (!sha) return;
    failures.set(sha, [...(failures.get(sha) ?? []), why]);
  };
  for (const i of incidents) {
    for (const rc of i.rootCauses) addFailure(fullSha(rc), `root cause of incident #${i.number}`);
  }
  const revertedBy = new Map<string, string[]>();
  const addRevert = (target: string | null, by: string, why: string) => {
    if (!target || target === by) return;
    if (!(failures.get(target) ?? []).includes(why)) addFailure(target, why);
    const list = revertedBy.get(target) ?? [];
    if (!list.includes(by)) revertedBy.set(target, [...list, by]);
  };
  for (const c of exp.commits) {
    for (const m of c.message.matchAll(REVERTS))
      addRevert(fullSha(m[1]!), c.sha, `reverted by ${c.sha.slice(0, 7)}`);
  }
  for (const p of exp.pullRequests) {
    for (const m of p.body.matchAll(REVERTS_PR)) {
      const target = prByNumber.get(Number(m[1]));
      if (target && target.number !== p.number)
        addRevert(target.mergeCommitSha, p.mergeCommitSha, `reverted by PR #${p.number}`);
    }
    // The rollout watcher's revert PRs carry a `medic:revert` marker (trusted only in the bot's own PRs).
    const marker = isBotLogin(p.user, p.userIsBot) ? parseRevertMarker(p.body) : null;
    if (marker) {
      const target = prByNumber.get(marker.originalPr)?.mergeCommitSha ?? fullSha(marker.mergeSha);
      addRevert(target, p.mergeCommitSha, `reverted by PR #${p.number} (${marker.reason})`);
    }
    if (!/^Revert\b/.test(p.title)) continue;
    for (const m of p.body.matchAll(REVERTS))
      addRevert(fullSha(m[1]!), p.mergeCommitSha, `reverted by PR #${p.number}`);
  }

  const { since, until } = range;
  const prod = exp.deployments.filter((d) => config.productionEnvironments.includes(d.environment));
  let from: "deployments" | "merges" = config.deploymentSource === "merges" ? "merges" : "deployments";
  if (config.deploymentSource === "auto" && prod.length === 0) {
    from = "merges";
    notes.push(
      `no GitHub deployments to ${config.productionEnvironments.join(", ")} in the range: each merge into ${exp.defaultBranch} counts as a deployment (GitOps: Argo CD applies what is merged)`,
    );
  }

  type Raw = {
    id: string;
    sha: string;
    at: number;
    environment: string;
    state: string;
    failedStatus: boolean;
  };
  const raws: Raw[] = [];
  if (from === "deployments") {
    for (const d of prod) {
      const t = terminalState(d);
      if (t.successAt !== null) {
        raws.push({
          id: String(d.id),
          sha: d.sha,
          at: t.successAt,
          environment: d.environment,
          state: t.state,
          failedStatus: t.failedAfter,
        });
      } else if (t.state === "failure") {
        // Reached the cluster and failed there (e.g. Degraded before ever Healthy): a failed deployment.
        const at = Date.parse(d.statuses[d.statuses.length - 1]?.createdAt ?? d.createdAt);
        raws.push({
          id: String(d.id),
          sha: d.sha,
          at,
          environment: d.environment,
          state: t.state,
          failedStatus: true,
        });
      }
    }
  } else {
    for (const p of exp.pullRequests) {
      raws.push({
        id: `merge-${p.number}`,
        sha: p.mergeCommitSha,
        at: Date.parse(p.mergedAt),
        environment: exp.defaultBranch,
        state: "merged",
        failedStatus: false,
      });
    }
  }
  raws.sort((a, b) => a.at - b.at);

  // Walk parents from each deployment back to commits an earlier deployment already shipped.
  const shipped = new Map<string, LinkedDeployment>();
  const deployedAt = new Map<string, number>();
  const deployments: LinkedDeployment[] = [];
  for (const r of raws) {
    const changes: string[] = [];
    const stack = [r.sha];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const sha = stack.pop()!;
      if (seen.has(sha) || shipped.has(sha)) continue;
      seen.add(sha);
      const c = commits.get(sha);
      if (!c && sha !== r.sha) continue;
      changes.push(sha);
      for (const parent of c?.parents ?? []) stack.push(parent);
    }
    const reasons = changes.flatMap((sha) => failures.get(sha) ?? []);
    if (r.failedStatus) reasons.push(`deployment ${r.id} ended in ${r.state}`);
    const leadTimesMs: number[] = [];
    for (const sha of changes) {
      const start = changeStart(commits.get(sha), prByMerge.get(sha));
      if (start !== null && r.at - start >= 0) leadTimesMs.push(r.at - start);
    }
    const dep: LinkedDeployment = {
      id: r.id,
      sha: r.sha,
      at: r.at,
      environment: r.environment,
      state: r.state,
      changes,
      failed: reasons.length > 0,
      failureReasons: reasons,
      leadTimesMs,
    };
    deployments.push(dep);
    for (const sha of changes) {
      shipped.set(sha, dep);
      if (!deployedAt.has(sha)) deployedAt.set(sha, r.at);
    }
  }

  const checksBySha = new Map<string, RecordedExport["checkRuns"]>();
  for (const run of exp.checkRuns)
    checksBySha.set(run.headSha, [...(checksBySha.get(run.headSha) ?? []), run]);

  const changes: EvidenceChange[] = [];
  const inRange = exp.commits
    .filter((c) => Date.parse(c.committedAt) >= since && Date.parse(c.committedAt) < until)
    .sort((a, b) => Date.parse(a.committedAt) - Date.parse(b.committedAt));
  for (const c of inRange) {
    const pr = prByMerge.get(c.sha) ?? null;
    const deps = deployments.filter((d) => d.changes.includes(c.sha));
    const start = changeStart(c, pr ?? undefined);
    const firstDeploy = deployedAt.get(c.sha);
    const changeNotes: string[] = [];
    let leadTimeMs: number | null = null;
    if (!pr) changeNotes.push(`pushed to ${exp.defaultBranch} without a pull request`);
    if (firstDeploy === undefined) changeNotes.push("not deployed to production in the range");
    else if (start !== null) {
      leadTimeMs = firstDeploy - start;
      if (leadTimeMs < 0) {
        changeNotes.push("deployed before its first commit time (clock skew?): lead time excluded");
        leadTimeMs = null;
      }
    }
    const reasons = [
      ...(failures.get(c.sha) ?? []),
      ...deps
        .filter((d) => d.state === "failure" || d.state === "error")
        .map((d) => `deployment ${d.id} ended in ${d.state}`),
    ];
    const checkShas = pr ? [pr.headSha, c.sha] : [c.sha];
    changes.push({
      sha: c.sha,
      message: c.message.split("\n")[0] ?? "",
      author: c.author,
      committedAt: c.committedAt,
      pullRequest: pr && {
        number: pr.number,
        title: pr.title,
        url: pr.url,
        author: pr.user,
        mergedAt: pr.mergedAt,
        mergedBy: pr.mergedBy,
        labels: pr.labels,
      },
      approvals: pr
        ? approvalsOf(pr).map(({ login, at, via, atHead, bot }) => ({ login, at, via, atHead, bot }))
        : [],
      checks: checkShas.flatMap((sha) =>
        (checksBySha.get(sha) ?? []).map((r) => ({
          name: r.name,
          sha,
          conclusion: r.conclusion,
          url: r.url,
        })),
      ),
      deployments: deps.map((d) => ({
        id: d.id,
        environment: d.environment,
        state: d.state,
        at: new Date(d.at).toISOString(),
      })),
      leadTimeMs,
      failed: reasons.length > 0,
      failureReasons: [...new Set(reasons)],
      notes: changeNotes,
    });
  }
  return { deploymentsFrom: from, deployments, changes, deployedAt, revertedBy, notes };
}

/** When a change started: the first commit of its PR, else the commit's author time. */
function changeStart(c: ExportCommit | undefined, pr: ExportPullRequest | undefined): number | null {
  const times = (pr?.commits ?? []).map((x) => Date.parse(x.authoredAt));
  if (times.length > 0) return Math.min(...times);
  return c ? Date.parse(c.authoredAt) : null;
}

export interface Approval {
  login: string;
  at: string;
  via: "review" | "command";
  atHead: boolean | null;
  bot: boolean;
}

const isBotLogin = (login: string, flag: boolean) => flag || login.endsWith("[bot]");

const COMMAND_RECORD = /<!-- medic:command (\{[^\n]*?\}) -->/g;

/**
 * The command records (`<!-- medic:command {...} -->`) the bot wrote in its own comments on a PR, with the
 * comment's time: what the slash-command handler actually accepted (`/approve` at a SHA, `/override` with
 * its reason). Records in anyone else's comments are ignored.
 */
export function commandRecordsOf(
  pr: ExportPullRequest,
): { record: CommandRecord; at: string; url: string }[] {
  const out: { record: CommandRecord; at: string; url: string }[] = [];
  for (const c of pr.comments) {
    if (!isBotLogin(c.user, c.userIsBot)) continue;
    for (const m of c.body.matchAll(COMMAND_RECORD)) {
      let raw: unknown;
      try {
        raw = JSON.parse(m[1]!);
      } catch {
        continue;
      }
      const parsed = CommandRecord.safeParse(raw);
      if (parsed.success) out.push({ record: parsed.data, at: c.createdAt, url: c.url });
    }
  }
  return out;
}

/**
 * Approving reviews and `/approve` commands of a PR, oldest first. Commands come from the bot's command
 * records when it wrote any (they carry the head SHA the approval was given at); otherwise from `/approve`
 * lines in comments (line start, outside code and quotes), whose SHA is unknown.
 */
export function approvalsOf(pr: ExportPullRequest): Approval[] {
  const out: Approval[] = [];
  for (const r of pr.reviews) {
    if (r.state !== "APPROVED" || !r.submittedAt) continue;
    out.push({
      login: r.user,
      at: r.submittedAt,
      via: "review",
      atHead: r.commitId === null ? null : r.commitId === pr.headSha,
      bot: isBotLogin(r.user, r.userIsBot),
    });
  }
  const records = commandRecordsOf(pr);
  if (records.length > 0) {
    for (const { record: r, at } of records) {
      if (r.kind === "approve")
        out.push({
          login: r.actor,
          at,
          via: "command",
          atHead: r.sha === pr.headSha,
          bot: r.actor.endsWith("[bot]"),
        });
    }
  } else {
    for (const c of pr.comments) {
      if (commandLines(c.body).some((l) => /^\/approve\s*$/.test(l))) {
        out.push({
          login: c.user,
          at: c.createdAt,
          via: "command",
          atHead: null,
          bot: isBotLogin(c.user, c.userIsBot),
        });
      }
    }
  }
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Lines of a comment that can be commands: not in code fences, quotes or HTML comments. */
export function commandLines(body: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const raw of body.replace(/<!--[\s\S]*?-->/g, "").split("\n")) {
    const line = raw.trimEnd();
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced || /^\s*>/.test(line)) continue;
    if (line.startsWith("/")) out.push(line);
  }
  return out;
}
