import { formatDuration } from "../util/duration.js";
import type { ArgoHealth } from "./argo-schemas.js";

/** Why the cluster could not be read: each of these means health `Unknown`, never a revert. */
export type ClusterFaultKind = "unreachable" | "forbidden" | "throttled" | "crd-absent" | "not-found";

/** What one poll saw of one Argo CD Application (and the Rollouts it manages). */
export type AppObservation =
  | {
      /** `namespace/name` of the Application. */
      app: string;
      ok: true;
      /** `status.sync.status` as Argo wrote it (`Synced`, `OutOfSync`, `Unknown`). */
      syncStatus: string;
      /** The revision the live state was synced to (`status.sync.revision`), or null. */
      revision: string | null;
      /** `status.health.status`. */
      health: ArgoHealth;
      healthMessage?: string;
      /** `status.operationState.phase` (`Running`, `Succeeded`, `Failed`, `Error`). */
      operationPhase?: string;
      operationMessage?: string;
      /** Rollouts the Application manages, with `status.phase` and `status.message` verbatim. */
      rollouts: { name: string; phase: string; message?: string }[];
      /** `status.summary.images`. */
      images: string[];
    }
  | { app: string; ok: false; fault: ClusterFaultKind; message: string };

/** The watch of one merge, as plain data (kept in memory and rebuilt from GitHub after a restart). */
export interface RolloutWatchState {
  /** The merge commit every Application must reach. */
  mergeSha: string;
  /** Epoch ms the watch started (the merge). */
  startedAt: number;
  /** Epoch ms of the first Degraded observation at the merged SHA in the current run of them, or null. */
  degradedSince: number | null;
  /** The description last reported (a new GitHub status and timeline entry only when it changes). */
  lastReport: string | null;
  /** Images the Applications ran before the merge (so the bad ones can be told apart). */
  imagesBefore: string[];
}

export interface RolloutWatchOptions {
  gracePeriodMs: number;
  timeoutMs: number;
}

export type RolloutVerdict =
  /** Still syncing or progressing: poll again. */
  | "pending"
  /** Degraded at the merged SHA, inside the grace period: poll again. */
  | "degraded-grace"
  /** Every Application synced to the merged SHA and Healthy. */
  | "healthy"
  /** Degraded at the merged SHA for longer than the grace period. */
  | "degraded"
  /** The cluster could not be read: poll again, never revert on this. */
  | "unknown"
  /** Argo CD's CRDs are not installed: nothing to watch. */
  | "disabled"
  /** `rollout.timeout` passed without a verdict. */
  | "timed-out";

/** GitHub deployment status states the watch uses. */
export type DeploymentState = "in_progress" | "success" | "failure" | "error";

export interface RolloutStep {
  state: RolloutWatchState;
  verdict: RolloutVerdict;
  /** Set when the report changed since the last poll: a new deployment status and timeline entry. */
  report?: { state: DeploymentState; description: string };
  /** Images running now that did not run before the merge (the bad ones when degraded). */
  newImages: string[];
}

const SHORT = 7;
const RANK: Record<ArgoHealth, number> = {
  Healthy: 0,
  Suspended: 1,
  Progressing: 2,
  Unknown: 3,
  Missing: 4,
  Degraded: 5,
};

/** A Rollout phase in Argo CD's health words (a `Paused` canary waits for `/promote`: Suspended). */
function rolloutHealth(phase: string): ArgoHealth {
  if (phase === "Healthy" || phase === "Progressing" || phase === "Degraded") return phase;
  if (phase === "Paused") return "Suspended";
  return "Unknown";
}

/** Whether the Application's live state is the merged commit (never revert for an older revision). */
export function isAtRevision(o: Extract<AppObservation, { ok: true }>, sha: string): boolean {
  return o.syncStatus === "Synced" && o.revision !== null && o.revision.toLowerCase() === sha.toLowerCase();
}

/** The worst of the Application's health and its Rollouts' phases. */
function appHealth(o: Extract<AppObservation, { ok: true }>): ArgoHealth {
  let worst: ArgoHealth = o.health;
  for (const r of o.rollouts) {
    const h = rolloutHealth(r.phase);
    if (RANK[h] > RANK[worst]) worst = h;
  }
  return worst;
}

/** One line per Application in Argo's words, e.g. `argocd/checkout: Synced abc1234, Degraded; Rollout checkout Degraded: …`. */
export function describeObservation(o: AppObservation): string {
  if (!o.ok) return `${o.app}: Unknown (${o.message})`;
  const parts = [
    `${o.app}: ${o.syncStatus}${o.revision ? ` ${o.revision.slice(0, SHORT)}` : ""}, ${o.health}`,
  ];
  if (o.healthMessage) parts[0] += ` (${o.healthMessage})`;
  if (o.operationPhase && o.operationPhase !== "Succeeded") {
    parts.push(`sync operation ${o.operationPhase}${o.operationMessage ? `: ${o.operationMessage}` : ""}`);
  }
  for (const r of o.rollouts) parts.push(`Rollout ${r.name} ${r.phase}${r.message ? `: ${r.message}` : ""}`);
  return parts.join("; ");
}

/**
 * One poll of a rollout watch: from the previous state and what Argo CD and Argo Rollouts report now, the
 * next state, the verdict and (when it changed) what to report. Rules:
 * - a fault (API down, 403, 429) is health `Unknown`: report it, keep the Degraded clock, never revert;
 * - Degraded counts only while the live revision is the merged SHA (an older revision is not ours);
 * - Degraded for at least the grace period ⇒ `degraded`; Healthy again inside it ⇒ the clock resets;
 * - every Application Synced to the merged SHA and Healthy (Rollouts included) ⇒ `healthy`;
 * - past `timeoutMs` without a verdict ⇒ `timed-out`.
 */
export function evaluateRolloutWatch(
  prev: RolloutWatchState,
  observations: readonly AppObservation[],
  now: number,
  opts: RolloutWatchOptions,
): RolloutStep {
  const state: RolloutWatchState = { ...prev };
  const sha = prev.mergeSha.slice(0, SHORT);
  const summary = observations.map(describeObservation).join(" · ") || "no Argo CD Application found";
  const images = [...new Set(observations.flatMap((o) => (o.ok ? o.images : [])))].sort();
  const newImages = images.filter((i) => !prev.imagesBefore.includes(i));
  const finish = (verdict: RolloutVerdict, report: { state: DeploymentState; description: string }) => {
    const changed = report.description !== prev.lastReport;
    state.lastReport = report.description;
    return { state, verdict, newImages, ...(changed ? { report } : {}) } satisfies RolloutStep;
  };

  if (observations.some((o) => !o.ok && o.fault === "crd-absent")) {
    return finish("disabled", {
      state: "error",
      description: `Argo CD CRDs absent: watching disabled (${summary})`,
    });
  }
  const faults = observations.filter((o) => !o.ok);
  if (faults.length > 0) {
    return finish("unknown", { state: "in_progress", description: `Unknown: ${summary}` });
  }
  const ok = observations.filter((o): o is Extract<AppObservation, { ok: true }> => o.ok);
  const degraded = ok.filter((o) => isAtRevision(o, prev.mergeSha) && appHealth(o) === "Degraded");
  if (degraded.length > 0) {
    state.degradedSince ??= now;
    const since = now - state.degradedSince;
    if (since >= opts.gracePeriodMs) {
      return finish("degraded", {
        state: "failure",
        description: `Degraded for ${formatDuration(since)} at ${sha}: ${summary}`,
      });
    }
  } else {
    state.degradedSince = null;
  }
  if (now - prev.startedAt >= opts.timeoutMs) {
    return finish("timed-out", {
      state: "error",
      description: `No verdict after ${formatDuration(opts.timeoutMs)}: ${summary}`,
    });
  }
  if (degraded.length > 0) {
    return finish("degraded-grace", { state: "in_progress", description: `Degraded at ${sha}: ${summary}` });
  }
  if (ok.length > 0 && ok.every((o) => isAtRevision(o, prev.mergeSha) && appHealth(o) === "Healthy")) {
    return finish("healthy", { state: "success", description: `Healthy at ${sha}: ${summary}` });
  }
  const synced = ok.every((o) => isAtRevision(o, prev.mergeSha));
  return finish("pending", {
    state: "in_progress",
    description: `${synced ? "Progressing" : `Waiting for sync to ${sha}`}: ${summary}`,
  });
}
