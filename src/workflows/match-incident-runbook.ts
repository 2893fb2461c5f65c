import type { MedicConfig } from "../core/config/medic-config.js";
import type { Incident } from "../core/incident/incident.js";
import type { RunbookSource } from "../core/runbook/build-runbook-registry.js";
import { matchRunbook } from "../core/runbook/match-runbook.js";
import { reasonsFromFacts } from "../core/runbook/plan-facts.js";
import type { RunbookAnswer } from "./incident-hooks.js";
import { loadCachedRunbookRegistry, type RegistryCache } from "./load-cached-runbook-registry.js";
import { gatherFacts } from "./plan-remediation.js";
import type { BaseSnapshot } from "./ports/change-requests.js";
import type { Clock } from "./ports/clock.js";
import type { Cluster } from "./ports/cluster.js";
import type { Logger } from "./ports/logger.js";

export interface MatchIncidentRunbookDeps {
  /** The GitOps repository's default branch: runbooks exist only there. */
  defaultBranch: BaseSnapshot;
  bundledRunbooks: readonly RunbookSource[];
  registryCache?: RegistryCache;
  /** The config that governs remediation for the GitOps repository (enabled/disabled runbooks). */
  config: MedicConfig;
  cluster: Cluster | null;
  clock: Clock;
  logger: Logger;
}

/**
 * The runbook for an incident as the remediation planner will choose it, asked before the incident issue
 * is opened so the issue carries `runbook:<id>`. Steps:
 * 1. load the runbooks (bundled + the GitOps repository's default branch, cached by its revision);
 * 2. gather the read-only cluster facts the runbooks' `reasons` conditions need (none without a cluster);
 * 3. match in the core; a miss answers why, for the issue body.
 */
export async function matchIncidentRunbook(
  deps: MatchIncidentRunbookDeps,
  incident: Incident,
): Promise<RunbookAnswer> {
  // 1.
  const registry = await loadCachedRunbookRegistry(
    deps.bundledRunbooks,
    deps.defaultBranch,
    deps.registryCache,
  );
  // 2.
  const facts = await gatherFacts(incident, deps.config, deps, deps.clock.now());
  // 3.
  const match = matchRunbook(registry.runbooks, incident, {
    reasons: reasonsFromFacts(facts),
    clusterKnown: facts.clusterKnown,
    enabled: deps.config.remediation.enabledRunbooks,
    disabled: deps.config.remediation.disabledRunbooks,
  });
  return match.ok ? { id: match.entry.runbook.id } : { id: null, reason: match.message };
}
