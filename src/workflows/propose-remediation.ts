import type { MedicConfig } from "../core/config/medic-config.js";
import type { Incident } from "../core/incident/incident.js";
import { parseQuarantine, QUARANTINE_PATH, quarantinedImages } from "../core/rollout/quarantine.js";
import type { RunbookSource } from "../core/runbook/build-runbook-registry.js";
import { loadCachedRunbookRegistry, type RegistryCache } from "./load-cached-runbook-registry.js";
import {
  type IncidentRef,
  type OpenRemediationPrDeps,
  type OpenRemediationPrResult,
  openRemediationPr,
  type PlanOutcome,
} from "./open-remediation-pr.js";
import { planRemediation } from "./plan-remediation.js";
import type { BaseSnapshot } from "./ports/change-requests.js";
import type { Clock } from "./ports/clock.js";
import type { Cluster } from "./ports/cluster.js";
import type { GitOpsHistory } from "./ports/gitops-history.js";

export interface ProposeRemediationDeps
  extends Omit<OpenRemediationPrDeps, "plan" | "openSnapshot" | "config"> {
  config: MedicConfig;
  /** The base branch (`remediation.baseBranch`, else the default branch), read afresh on every call. */
  openSnapshot(): BaseSnapshot;
  /**
   * The default branch, when the base branch is another one: runbooks come from the default branch only,
   * a runbook on any other branch does not exist. Null when base and default are the same branch.
   */
  openDefaultSnapshot: (() => BaseSnapshot) | null;
  bundledRunbooks: readonly RunbookSource[];
  /**
   * Parsed runbooks by default-branch revision: runbooks are read from one commit, so the parse of that
   * commit's runbooks can be reused until the branch moves (optional; the handler keeps a small one).
   */
  registryCache?: RegistryCache;
  cluster: Cluster | null;
  /**
   * The repository's history from a commit (the base snapshot's, so history and files are one
   * revision): where `crashloop-rollback` finds the last good image when Argo CD's history and the
   * ReplicaSets do not tell. Absent ⇒ plans are made without history, and the evidence says so.
   */
  openHistory?: ((revision: string) => GitOpsHistory) | null;
  clock: Clock;
}

export interface ProposeRemediationInput {
  incident: Incident;
  issue: Omit<IncidentRef, "key">;
  requester: string | null;
  /** A runbook asked for by name (`/remediate NAME`); it must still match the incident. */
  runbook?: string;
  mode?: "create-or-update" | "update-only";
}

/**
 * Incident ⇒ plan ⇒ remediation PR. Steps:
 * 1. load the runbooks (bundled + the repository's own from its default branch);
 * 2. plan against the base branch's files with the runbook engine (`planRemediation`);
 * 3. open or update the PR (`openRemediationPr`), which calls 1–2 again once after a conflict.
 */
export async function proposeRemediation(
  deps: ProposeRemediationDeps,
  input: ProposeRemediationInput,
): Promise<OpenRemediationPrResult> {
  const plan = async (repo: BaseSnapshot): Promise<PlanOutcome> => {
    // 1.
    const runbookRepo = deps.openDefaultSnapshot ? deps.openDefaultSnapshot() : repo;
    const registry = await loadCachedRunbookRegistry(deps.bundledRunbooks, runbookRepo, deps.registryCache);
    // Images a reverted rollout quarantined, from the default branch like runbooks: never rolled forward to.
    const quarantine = parseQuarantine(await runbookRepo.readFile(QUARANTINE_PATH));
    if (!quarantine.ok) {
      return { ok: false, reason: `${quarantine.file}: field ${quarantine.field}: ${quarantine.message}` };
    }
    // 2.
    const outcome = await planRemediation(
      {
        incident: input.incident,
        registry,
        config: deps.config,
        ...(input.runbook ? { runbook: input.runbook } : {}),
        quarantinedImages: quarantinedImages(quarantine.quarantine),
      },
      {
        repo,
        history: deps.openHistory ? deps.openHistory(await repo.revision()) : null,
        historyNote: "no history reader for this repository",
        cluster: deps.cluster,
        clock: deps.clock,
        logger: deps.logger,
      },
    );
    if (outcome.status === "planned") return { ok: true, plan: outcome.plan };
    if (outcome.status === "no-runbook") return { ok: false, reason: outcome.reason };
    return {
      ok: false,
      reason: `${outcome.field ? `${outcome.field}: ` : ""}${outcome.reason}`,
      notify: { runbook: outcome.runbook.id },
    };
  };
  // 3.
  return openRemediationPr(
    { ...deps, config: deps.config.remediation, plan },
    {
      incident: { ...input.issue, key: input.incident.key },
      requester: input.requester,
      ...(input.mode ? { mode: input.mode } : {}),
    },
  );
}
