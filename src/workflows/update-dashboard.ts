import type { MedicConfig } from "../core/config/medic-config.js";
import { readDashboardState } from "../core/dashboard/dashboard-boxes.js";
import type { DashboardModel } from "../core/dashboard/dashboard-model.js";
import { renderDashboard } from "../core/dashboard/render-dashboard.js";
import { analyzeNoise } from "../core/noise/analyze-noise.js";
import { parseDuration } from "../core/util/duration.js";
import type { Clock } from "./ports/clock.js";
import type { DashboardIssue, DashboardSource, DashboardStore } from "./ports/dashboard.js";
import type { Logger } from "./ports/logger.js";

export interface UpdateDashboardDeps {
  store: DashboardStore;
  source: DashboardSource;
  clock: Clock;
  logger: Logger;
  /** `templates/dashboard.md`. */
  template: string;
}

export type UpdateDashboardResult =
  | { kind: "created" | "updated" | "unchanged"; number: number }
  | { kind: "disabled" };

/**
 * Brings the dashboard issue up to date in place. Steps:
 * 1. find the issue by its marker (a label listing) — its state block (the kill switch) is kept as it is;
 * 2. read incidents, waiting PRs, reverts, quarantine and the incident history, and analyse the noise;
 * 3. render; create the issue once, else edit it only when the body changed (a closed one is reopened).
 * `state` overrides the stored state (the edit handler passes the state it just decided).
 */
export async function updateDashboard(
  deps: UpdateDashboardDeps,
  input: {
    repo: string;
    config: Pick<MedicConfig, "dashboard" | "noise">;
    state?: DashboardModel["state"];
    current?: DashboardIssue | null;
  },
): Promise<UpdateDashboardResult> {
  const { config } = input;
  if (!config.dashboard.enabled) return { kind: "disabled" };
  // 1.
  const issue = input.current !== undefined ? input.current : await deps.store.find();
  const state = input.state ?? readDashboardState(issue?.body);
  // 2.
  const now = deps.clock.now();
  const period = parseDuration(config.noise.period)!;
  const [incidents, pullRequests, reverts, quarantined, history, tuningPrs] = await Promise.all([
    deps.source.openIncidents(),
    deps.source.pullRequests(),
    deps.source.reverts(now - parseDuration(config.dashboard.revertsFor)!),
    deps.source.quarantined(),
    deps.source.incidentHistory(now - period),
    deps.source.tuningPrs(),
  ]);
  const noise = analyzeNoise({ incidents: history, config: config.noise, now });
  const model: DashboardModel = {
    repo: input.repo,
    generatedAt: now,
    state,
    incidents: incidents.sort((a, b) => a.startedAt - b.startedAt),
    pullRequests,
    reverts,
    quarantined,
    noise,
    tuningPrs,
  };
  // 3.
  const body = renderDashboard(model, deps.template);
  if (!issue) {
    const created = await deps.store.create(config.dashboard.title, body);
    deps.logger.info({ repo: input.repo, issue: created.number }, "dashboard created");
    return { kind: "created", number: created.number };
  }
  // The "Updated …" line changes on every render: compare without it so a no-op does not cost a write.
  if (stripVolatile(issue.body) === stripVolatile(body) && !issue.closed)
    return { kind: "unchanged", number: issue.number };
  await deps.store.update(issue.number, body, issue.closed === true);
  return { kind: "updated", number: issue.number };
}

function stripVolatile(body: string): string {
  return body
    .replace(/^<sub>Updated .*$/m, "")
    .replace(/\((?:open|closed|merged), [^)]* ago\)|\| [^|]* \|$/gm, "");
}
