import { appendAuditBlock } from "../core/audit/append-audit-block.js";
import { escapeMarkdown } from "../core/markdown/escape-markdown.js";
import { renderTemplate } from "../core/markdown/render-template.js";
import { sanitizeTitle } from "../core/markdown/sanitize-title.js";
import { isBotCommit } from "../core/remediation/decide-remediation-action.js";
import { type MergedFile, planRevertFiles } from "../core/rollout/plan-revert-files.js";
import { addQuarantineEntries, QUARANTINE_PATH, type QuarantineEntry } from "../core/rollout/quarantine.js";
import {
  buildRevertBranch,
  formatRevertMarker,
  isRevertMessage,
  type RevertMarker,
} from "../core/rollout/revert-marker.js";
import type { AuditEntry } from "./ports/audit-sink.js";
import { type AutomationSwitch, describePause } from "./ports/automation-switch.js";
import type { ChangeRequests } from "./ports/change-requests.js";
import type { Clock } from "./ports/clock.js";
import type { GitData, GitTreeEntry } from "./ports/git-data.js";
import type { Logger } from "./ports/logger.js";

/** A merge touching more files than this is not reverted automatically (a person looks at it). */
const MAX_REVERT_FILES = 50;
/** Labels every revert PR carries: findable, and visibly the bot's. */
export const REVERT_LABELS = ["medic:revert"] as const;

export interface RevertChangeDeps {
  /** The kill switch ("pause all automation" on the dashboard): while on, no revert PR is opened. */
  automation?: AutomationSwitch;
  changeRequests: ChangeRequests;
  git: GitData;
  /** The branch the remediation merged into. */
  baseBranch: string;
  /** The app's bot account (a leftover revert branch is reused only when the bot wrote its head). */
  bot: { login: string; userId?: number };
  /** `templates/revert-pr.md`. */
  template: string;
  clock: Clock;
  logger: Logger;
  /** `owner/name` of the repository; with it the body ends with the `rollout.reverted` audit block. */
  repo?: string;
}

export interface RevertChangeInput {
  originalPr: number;
  originalTitle: string;
  mergeSha: string;
  /** The watched PR carries a `medic:revert` marker. */
  isRevert: boolean;
  incident: { key: string; number: number | null };
  applications: string[];
  reason: RevertMarker["reason"];
  /** Argo's words (or the apply check's) at the time of the decision. */
  argoWords: string;
  /** Images to quarantine (those that ran only since the merge). */
  badImages: string[];
  /** Sentence on the escalation, for the body. */
  escalation: string;
}

export type RevertChangeResult =
  | {
      kind: "opened" | "exists";
      number: number;
      url: string;
      branch: string;
      /** The `rollout.reverted` record whose block ends the new PR's body (`opened` with `deps.repo`). */
      record?: AuditEntry;
    }
  | {
      kind: "refused";
      reason:
        | "revert-of-revert"
        | "changed-since"
        | "nothing-to-revert"
        | "too-large"
        | "quarantine"
        | "conflict"
        | "paused";
      message: string;
    };

/**
 * A revert PR for a merge, through the generic Git Data writer. Steps:
 * 1. refuse a revert of a revert (the PR's marker, or a `Revert "…"` merge message);
 * 2. an open PR on the deterministic branch `medic/revert/<sha>` is the answer (idempotent);
 * 3. diff the merge against its first parent, read those files on the base branch now, and refuse when
 *    one changed again since (restoring it would undo someone else's work);
 * 4. write ONE commit: the files as before the merge, plus the quarantine entries;
 * 5. open the PR (marker, links to the incident and the original PR) and label it.
 */
export async function revertChange(
  deps: RevertChangeDeps,
  input: RevertChangeInput,
): Promise<RevertChangeResult> {
  const { git } = deps;
  const cr = deps.changeRequests;
  const refuse = (reason: Extract<RevertChangeResult, { kind: "refused" }>["reason"], message: string) => {
    deps.logger.warn({ pr: input.originalPr, sha: input.mergeSha, reason }, "revert refused");
    return { kind: "refused", reason, message } as const;
  };
  const pause = await deps.automation?.paused();
  if (pause?.paused) return refuse("paused", describePause(pause));
  // 1. Never a revert of a revert.
  const merge = await git.getCommit(input.mergeSha);
  if (input.isRevert || isRevertMessage(merge.message)) {
    return refuse(
      "revert-of-revert",
      `#${input.originalPr} is itself a revert: medic never reverts a revert`,
    );
  }
  // 2. Idempotent.
  const branch = buildRevertBranch(input.mergeSha);
  const open = await cr.findOpenPullRequest(branch);
  if (open) return { kind: "exists", number: open.number, url: open.url, branch };

  // 3. What the merge changed, against what the base branch holds now.
  const parentSha = merge.parents[0];
  if (!parentSha) return refuse("nothing-to-revert", `${input.mergeSha} has no parent`);
  const parent = await git.getCommit(parentSha);
  const baseSha = await git.getBranchSha(deps.baseBranch);
  if (!baseSha) throw new Error(`base branch ${deps.baseBranch} of ${git.name} does not exist`);
  const base = await git.getCommit(baseSha);
  const [beforeTree, mergedTree, currentTree] = await Promise.all([
    git.getTree(parent.treeSha),
    git.getTree(merge.treeSha),
    git.getTree(base.treeSha),
  ]);
  if (beforeTree.truncated || mergedTree.truncated || currentTree.truncated) {
    return refuse("too-large", "the repository tree is too large to list completely: revert by hand");
  }
  const blobs = (t: { entries: GitTreeEntry[] }) =>
    new Map(t.entries.filter((e) => e.type === "blob").map((e) => [e.path, e.sha]));
  const before = blobs(beforeTree);
  const merged = blobs(mergedTree);
  const current = blobs(currentTree);
  const changed = [...new Set([...before.keys(), ...merged.keys()])]
    .filter((p) => before.get(p) !== merged.get(p))
    .sort();
  if (changed.length > MAX_REVERT_FILES) {
    return refuse("too-large", `the merge changed ${changed.length} files (limit ${MAX_REVERT_FILES})`);
  }
  const text = async (sha: string | undefined) => (sha ? git.getBlobText(sha) : null);
  const files: MergedFile[] = [];
  for (const path of changed) {
    const [b, m] = await Promise.all([text(before.get(path)), text(merged.get(path))]);
    // Same blob SHA ⇒ same text: no need to download the current one.
    const c = current.get(path) === merged.get(path) ? m : await text(current.get(path));
    files.push({ path, before: b, merged: m, current: c });
  }
  const planned = planRevertFiles(files);
  if (!planned.ok) return refuse(planned.reason, planned.message);

  // 4. The commit: files as before, plus the quarantine.
  const at = new Date(deps.clock.now()).toISOString();
  const entries: QuarantineEntry[] = [];
  const apps = input.applications.length > 0 ? input.applications : ["terraform"];
  for (const application of apps) {
    const common = {
      revision: input.mergeSha,
      application,
      originalPr: input.originalPr,
      at,
      reason: input.argoWords.slice(0, 1000),
    };
    if (input.badImages.length === 0) entries.push(common);
    for (const image of input.badImages) entries.push({ ...common, image });
  }
  const quarantineText = planned.files.some((f) => f.path === QUARANTINE_PATH)
    ? (planned.files.find((f) => f.path === QUARANTINE_PATH)?.content ?? null)
    : await text(current.get(QUARANTINE_PATH));
  const q = addQuarantineEntries(quarantineText, entries);
  if (!q.ok) return refuse("quarantine", q.message);
  const writes = [
    ...planned.files.filter((f) => f.path !== QUARANTINE_PATH),
    { path: QUARANTINE_PATH, content: q.text },
  ];
  const title = sanitizeTitle(`Revert "${input.originalTitle}"`);
  const message = `${title}\n\nThis reverts commit ${input.mergeSha} (#${input.originalPr}): ${input.reason}.\n`;
  let committed = await cr.commitChanges({
    branch,
    base: { branch: deps.baseBranch, commitSha: baseSha, treeSha: base.treeSha },
    files: writes,
    message,
    branchState: { kind: "absent" },
  });
  if (!committed.ok && committed.reason === "branch-exists") {
    // A crashed run left the branch without a PR: reuse it only if the bot wrote its head.
    const head = await cr.getBranchSha(branch);
    const headCommit = head ? await cr.getCommit(head) : null;
    if (!head || !headCommit || !isBotCommit(headCommit, deps.bot)) {
      return refuse("conflict", `branch ${branch} exists and its head was not written by the bot`);
    }
    committed = await cr.commitChanges({
      branch,
      base: { branch: deps.baseBranch, commitSha: baseSha, treeSha: base.treeSha },
      files: writes,
      message,
      branchState: { kind: "bot-owned", headSha: head },
    });
  }
  if (!committed.ok) return refuse("conflict", committed.message);

  // 5. The PR.
  const marker: RevertMarker = {
    incidentKey: input.incident.key,
    originalPr: input.originalPr,
    mergeSha: input.mergeSha,
    applications: input.applications,
    at: deps.clock.now(),
    reason: input.reason,
  };
  const body = renderTemplate(
    deps.template,
    {
      marker: formatRevertMarker(marker),
      originalPr: String(input.originalPr),
      reason: input.reason === "degraded" ? "rollout Degraded" : "Terraform apply failed",
      headline:
        input.reason === "degraded"
          ? "The rollout of the merge stayed **Degraded** past the grace period while Argo CD ran the merged revision."
          : "The Terraform apply of the merge **failed**.",
      mergeSha: `\`${input.mergeSha}\``,
      incident: input.incident.number
        ? `#${input.incident.number}`
        : escapeMarkdown(input.incident.key || "none"),
      applications:
        input.applications.map((a) => `\`${escapeMarkdown(a, 300)}\``).join(", ") || "(Terraform)",
      argoWords: escapeMarkdown(input.argoWords, 1500),
      quarantined: [
        `revision \`${input.mergeSha.slice(0, 12)}\``,
        ...input.badImages.map((i) => `\`${escapeMarkdown(i, 300)}\``),
      ].join(", "),
      files: planned.files
        .map(
          (f) =>
            `- \`${escapeMarkdown(f.path, 300)}\`${f.content === null ? " (deleted: the merge added it)" : ""}`,
        )
        .join("\n"),
      escalation: escapeMarkdown(input.escalation, 500),
    },
    "revert-pr.md",
  );
  // The decision's Evidence: the same record ends the body and goes to the ledger (the watch records it).
  const record: AuditEntry | undefined = deps.repo
    ? {
        v: 1,
        at: new Date(deps.clock.now()).toISOString(),
        actor: { kind: "bot", login: deps.bot.login },
        action: "rollout.reverted",
        reason:
          `rollout watch of #${input.originalPr} at ${input.mergeSha.slice(0, 7)}: ${input.argoWords}`.slice(
            0,
            4000,
          ),
        ...(input.incident.key ? { incidentKey: input.incident.key } : {}),
        subject: { kind: "pull_request", repo: deps.repo, number: input.originalPr },
        shas: { merge: input.mergeSha, revert: committed.commitSha },
        inputs: {
          reason: input.reason,
          applications: input.applications,
          isRevert: input.isRevert,
          badImages: input.badImages,
          branch,
        },
        outcome: { status: "ok", detail: `revert PR opened on ${branch}` },
      }
    : undefined;
  const pr = await cr.openOrUpdatePullRequest({
    existing: null,
    branch,
    base: deps.baseBranch,
    title,
    body: record ? appendAuditBlock(body, record) : body,
    draft: false,
  });
  if (!pr.ok) return refuse("conflict", pr.message);
  await cr.addLabels(pr.number, [...REVERT_LABELS]);
  deps.logger.info({ pr: pr.number, original: input.originalPr, sha: input.mergeSha }, "revert PR opened");
  return { kind: "opened", number: pr.number, url: pr.url, branch, ...(record ? { record } : {}) };
}
