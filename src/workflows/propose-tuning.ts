import type { MedicConfig } from "../core/config/medic-config.js";
import { addInhibitRule } from "../core/manifest/add-inhibit-rule.js";
import { setPrometheusRuleFor } from "../core/manifest/set-prometheus-rule-for.js";
import { setPrometheusRuleSeverity } from "../core/manifest/set-prometheus-rule-severity.js";
import type { PatchResult } from "../core/manifest/types.js";
import { escapeMarkdown } from "../core/markdown/escape-markdown.js";
import { renderMarker } from "../core/markdown/render-marker.js";
import { renderTemplate } from "../core/markdown/render-template.js";
import { analyzeNoise, type TuningProposal } from "../core/noise/analyze-noise.js";
import { describeProposal, describeStats } from "../core/noise/describe-proposal.js";
import { matchGlob } from "../core/policy/match-glob.js";
import { isBotCommit } from "../core/remediation/decide-remediation-action.js";
import { parseDuration } from "../core/util/duration.js";
import type { AutomationSwitch } from "./ports/automation-switch.js";
import { describePause } from "./ports/automation-switch.js";
import type { BaseSnapshot, ChangeRequests } from "./ports/change-requests.js";
import type { Clock } from "./ports/clock.js";
import type { ActionResult } from "./ports/commands.js";
import type { DashboardSource } from "./ports/dashboard.js";
import type { FileWrite } from "./ports/git-data.js";
import type { Logger } from "./ports/logger.js";

/** Labels of every tuning PR. */
export const TUNING_LABELS = ["medic", "medic:tuning"] as const;
/** YAML files read when looking for a rule without `noise.ruleFiles` (bounded work on a big repository). */
const MAX_SCAN = 400;

export interface ProposeTuningDeps {
  changeRequests: ChangeRequests;
  openSnapshot(): BaseSnapshot;
  source: Pick<DashboardSource, "incidentHistory">;
  automation: AutomationSwitch;
  config: MedicConfig;
  clock: Clock;
  logger: Logger;
  bot: { login: string; userId?: number };
  /** `templates/tuning-pr.md`. */
  template: string;
}

/**
 * A person ticked a tuning proposal. Steps:
 * 1. the kill switch; then the analysis again (the proposal must still stand — the box may be old);
 * 2. find the rule files (`noise.ruleFiles` or every YAML file) and patch them: raise `for:`, lower the
 *    severity, or add the inhibit rule to `noise.alertmanagerConfig` / an Alertmanager file;
 * 3. one commit on `medic/tuning/<proposal>`, one PR with the statistics, labelled `medic`, `medic:tuning`.
 * An open PR for the proposal is reported, not duplicated.
 */
export async function proposeTuning(
  deps: ProposeTuningDeps,
  input: { proposalId: string; requester: string },
): Promise<ActionResult> {
  const cr = deps.changeRequests;
  // 1.
  const pause = await deps.automation.paused();
  if (pause.paused) return { ok: false, message: describePause(pause) };
  const noise = deps.config.noise;
  const now = deps.clock.now();
  const history = await deps.source.incidentHistory(now - parseDuration(noise.period)!);
  const report = analyzeNoise({ incidents: history, config: noise, now });
  const proposal = report.proposals.find((p) => p.id === input.proposalId);
  if (!proposal)
    return { ok: false, message: `proposal ${input.proposalId} no longer stands in the current analysis` };
  const branch = `medic/tuning/${proposal.id.replace(/[^A-Za-z0-9_.-]+/g, "-").toLowerCase()}`.slice(0, 200);
  const open = await cr.findOpenPullRequest(branch);
  if (open) return { ok: true, message: `tuning pull request #${open.number} is already open: ${open.url}` };

  // 2.
  const snapshot = deps.openSnapshot();
  const files = await candidateFiles(snapshot, proposal, deps.config);
  const writes: FileWrite[] = [];
  const reasons: string[] = [];
  for (const path of files) {
    const text = await snapshot.readFile(path);
    if (text === null) continue;
    if (proposal.kind !== "inhibit" && !text.includes(proposal.alertname)) continue;
    const res = patch(text, proposal, path);
    if (res.ok && res.changed) writes.push({ path, content: res.text });
    else if (!res.ok && !/no alerting rule named|no Alertmanager configuration/.test(res.reason))
      reasons.push(res.reason);
  }
  if (writes.length === 0) {
    const why =
      reasons[0] ??
      (proposal.kind === "inhibit"
        ? "no Alertmanager configuration found (set noise.alertmanagerConfig)"
        : `no rule file defines ${proposal.alertname} (set noise.ruleFiles)`);
    return { ok: false, message: `nothing to change: ${why}` };
  }

  // 3.
  const base = await snapshot.base();
  const summary = describeProposal(proposal);
  const message = `chore(alerts): ${summary}\n\nTuning proposal ${proposal.id} from the gitops-medic dashboard, asked for by @${input.requester}.`;
  let commit = await cr.commitChanges({
    branch,
    base,
    files: writes,
    message,
    branchState: { kind: "absent" },
  });
  if (!commit.ok && commit.reason === "branch-exists") {
    // A branch left by an earlier run: moved only when its head is the bot's own commit.
    const head = await cr.getBranchSha(branch);
    if (!head || !isBotCommit(await cr.getCommit(head), deps.bot))
      return {
        ok: false,
        message: `branch ${branch} exists with commits that are not the bot's; not touching it`,
      };
    commit = await cr.commitChanges({
      branch,
      base,
      files: writes,
      message,
      branchState: { kind: "bot-owned", headSha: head },
    });
  }
  if (!commit.ok) return { ok: false, message: `could not write branch ${branch}: ${commit.message}` };
  const body = renderTemplate(
    deps.template,
    {
      marker: renderMarker("tuning", proposal.id),
      summary: escapeMarkdown(summary, 300),
      requester: escapeMarkdown(input.requester, 100),
      stats: escapeMarkdown(describeStats(proposal), 1000),
      period: `${new Date(report.from).toISOString().slice(0, 10)} – ${new Date(report.to).toISOString().slice(0, 10)}`,
      flapWindow: noise.flapWindow,
      selfResolveWithin: noise.selfResolveWithin,
      files: writes.map((w) => `- \`${w.path.replace(/`/g, "")}\``).join("\n"),
    },
    "tuning-pr.md",
  );
  const pr = await cr.openOrUpdatePullRequest({
    existing: null,
    branch,
    base: base.branch,
    title: `Alert tuning: ${summary}`.slice(0, 256),
    body,
    draft: false,
  });
  if (!pr.ok) return { ok: false, message: `could not open the pull request: ${pr.message}` };
  await cr.addLabels(pr.number, [...TUNING_LABELS]);
  deps.logger.info(
    { pr: pr.number, proposal: proposal.id, requester: input.requester },
    "tuning pull request opened",
  );
  return { ok: true, message: `opened tuning pull request #${pr.number}: ${pr.url}` };
}

function patch(text: string, p: TuningProposal, path: string): PatchResult {
  switch (p.kind) {
    case "raise-for":
      return setPrometheusRuleFor(text, p.alertname, p.for, path);
    case "lower-severity":
      return setPrometheusRuleSeverity(text, p.alertname, { from: p.from, to: p.to }, path);
    case "inhibit":
      return addInhibitRule(text, { source: p.source, target: p.target, equal: p.equal }, path);
  }
}

async function candidateFiles(repo: BaseSnapshot, p: TuningProposal, config: MedicConfig): Promise<string[]> {
  const all = (await repo.listFiles()).filter((f) => /\.ya?ml$/i.test(f));
  if (p.kind === "inhibit") {
    if (config.noise.alertmanagerConfig) return [config.noise.alertmanagerConfig];
    return all.filter((f) => /alertmanager/i.test(f)).slice(0, MAX_SCAN);
  }
  if (config.noise.ruleFiles.length > 0)
    return all.filter((f) => config.noise.ruleFiles.some((g) => matchGlob(g, f)));
  // Likely names first, so the bound rarely cuts a rule file.
  const likely = (f: string) => /rule|alert|prometheus|monitor/i.test(f);
  return [...all.filter(likely), ...all.filter((f) => !likely(f))].slice(0, MAX_SCAN);
}
