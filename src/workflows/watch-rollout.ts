import { z } from "zod";
import { appendAuditBlock } from "../core/audit/append-audit-block.js";
import type { RolloutConfig } from "../core/config/sections/rollout.js";
import { measureIncident } from "../core/incident/measure-incident.js";
import { escapeMarkdown } from "../core/markdown/escape-markdown.js";
import { renderMarker } from "../core/markdown/render-marker.js";
import type { ArgoApplication } from "../core/rollout/argo-schemas.js";
import { toArgoHealth } from "../core/rollout/argo-schemas.js";
import { decideAutoRevert } from "../core/rollout/decide-auto-revert.js";
import {
  type AppObservation,
  evaluateRolloutWatch,
  type RolloutStep,
  type RolloutWatchState,
} from "../core/rollout/evaluate-rollout-watch.js";
import { evaluateTerraformApply, isTerraformPath } from "../core/rollout/evaluate-terraform-apply.js";
import { type AppRef, appId, findApplicationsForPaths } from "../core/rollout/find-applications-for-paths.js";
import { formatDuration, parseDuration } from "../core/util/duration.js";
import type { TimelineNote } from "./append-incident-timeline.js";
import type { AuditEntry, AuditSink } from "./ports/audit-sink.js";
import type { ChangeRequests } from "./ports/change-requests.js";
import type { Clock } from "./ports/clock.js";
import type {
  CommitChecks,
  DeploymentRecord,
  DeploymentStatusState,
  Deployments,
} from "./ports/deployments.js";
import type { IncidentTracker } from "./ports/incident-tracker.js";
import type { Logger } from "./ports/logger.js";
import { type ArgoReader, ClusterFault, type RevertHistory, type Scheduler } from "./ports/rollout-watch.js";
import type { RevertChangeInput, RevertChangeResult } from "./revert-change.js";

/** The GitHub deployment task that marks a rollout watch (listing by it finds unfinished watches). */
export const WATCH_TASK = "medic:watch-rollout";
/** Label put on the incident (or the PR) when a person must decide. */
export const ESCALATED_LABEL = "medic:escalated";

/** What a watch writes into its deployment's payload: enough to resume it after a restart. */
export const WatchPayload = z.strictObject({
  /** `argo`: follow Argo CD / Argo Rollouts; `terraform`: follow the apply check on the merge commit. */
  kind: z.enum(["argo", "terraform"]),
  /** The merged PR. */
  pr: z.number().int().positive(),
  /** Its title (for the revert's title). */
  prTitle: z.string().max(300),
  /** Incident key from the PR's marker ("" when none). */
  incidentKey: z.string().max(200),
  /** `namespace/name` of the watched Applications. */
  applications: z.array(z.string()).max(50),
  /** Images the Applications ran before the merge. */
  imagesBefore: z.array(z.string()).max(200),
  /** Epoch ms the watch started. */
  startedAt: z.number().int().nonnegative(),
  /** The merged PR was a revert (never reverted in turn). */
  isRevert: z.boolean(),
});
export type WatchPayload = z.infer<typeof WatchPayload>;

export interface RolloutWatchDeps {
  /** `owner/name` of the GitOps repository. */
  repo: string;
  /** Its clone URL form Argo CD Applications use, e.g. `https://github.com/o/r`. */
  repoUrl: string;
  /** Argo CD and Rollouts; null when no cluster is configured (Argo watches are then disabled). */
  argo: ArgoReader | null;
  deployments: Deployments;
  checks: CommitChecks;
  changeRequests: ChangeRequests;
  /** Incident issues of the repository (timeline entries, closing); null to skip. */
  incidents: IncidentTracker | null;
  revertHistory: RevertHistory;
  /** The revert-change workflow, bound to its ports. */
  revert(input: RevertChangeInput): Promise<RevertChangeResult>;
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
  config: RolloutConfig;
  /** Time between polls (Argo CD reconciles every 3 min by default; its watch events poke earlier). */
  pollIntervalMs: number;
  /** Evidence records of each verdict (`rollout.healthy`, `rollout.degraded`, `rollout.reverted`). */
  audit?: AuditSink;
  /** The bot's login, the actor of those records. */
  botLogin?: string;
  /**
   * Adds a line to the incident issue's own timeline (the incident runtime's `appendTimeline`). With it,
   * progress lines (Progressing, Healthy…) go there instead of one comment each; Degraded, failures,
   * reverts and escalations stay comments, since those deserve a notification.
   */
  appendTimeline?(key: string, note: TimelineNote): Promise<unknown>;
}

export interface StartWatchInput {
  pr: number;
  prTitle: string;
  mergeSha: string;
  incidentKey: string;
  isRevert: boolean;
  changedPaths: string[];
}

export type StartWatchResult =
  | { kind: "started" | "resumed"; deploymentId: number; applications: string[]; watch: "argo" | "terraform" }
  | { kind: "already-watching"; deploymentId: number }
  | { kind: "disabled" | "no-application" | "finished"; message: string };

interface ActiveWatch {
  sha: string;
  deploymentId: number;
  payload: WatchPayload;
  state: RolloutWatchState;
  reports: number;
  incidentNumber?: number | null;
  ticking: boolean;
  done: boolean;
}

/**
 * Follows a merged remediation until a verdict, one watch per merge SHA:
 * 1. start: find the Argo CD Applications that deploy the changed paths (or the Terraform apply check),
 *    create the GitHub Deployment (its payload is the resumable state), report `in_progress`;
 * 2. poll (and on pokes from watch events / check webhooks): observe, evaluate in the core, report changes
 *    as a deployment status and an incident timeline entry, in Argo's words;
 * 3. verdict: Healthy ⇒ success, and the incident closes with its MTTR when its alert has resolved;
 *    Degraded past the grace period at the merged SHA ⇒ revert PR (unless refused) or escalation;
 *    Terraform apply failed ⇒ revert PR and escalation; timeout or CRDs absent ⇒ `error`, no revert.
 */
export function watchRollout(deps: RolloutWatchDeps) {
  const active = new Map<string, ActiveWatch>();
  const grace = parseDuration(deps.config.gracePeriod) ?? 120_000;
  const timeout = parseDuration(deps.config.timeout) ?? 1_800_000;

  async function start(input: StartWatchInput): Promise<StartWatchResult> {
    const current = active.get(input.mergeSha);
    if (current && !current.done) return { kind: "already-watching", deploymentId: current.deploymentId };
    const existing = await deps.deployments.find(input.mergeSha, WATCH_TASK);
    if (existing) return resumeDeployment(existing);

    const kind =
      input.changedPaths.length > 0 && input.changedPaths.every(isTerraformPath) ? "terraform" : "argo";
    let apps: AppRef[] = [];
    let imagesBefore: string[] = [];
    if (kind === "argo") {
      if (!deps.argo) {
        deps.logger.info({ pr: input.pr }, "rollout watch skipped: no Kubernetes cluster configured");
        return { kind: "disabled", message: "no Kubernetes cluster configured" };
      }
      let listed: ArgoApplication[] = [];
      try {
        listed = await deps.argo.listApplications();
      } catch (err) {
        if (!(err instanceof ClusterFault)) throw err;
        if (err.kind === "crd-absent") return { kind: "disabled", message: err.message };
        // Unknown cluster state: the configured mapping can still name the Applications.
        deps.logger.warn(
          { pr: input.pr, fault: err.kind },
          "Argo CD Applications not listable; using the mapping",
        );
      }
      apps = findApplicationsForPaths({
        repoUrl: deps.repoUrl,
        changedPaths: input.changedPaths,
        mapping: deps.config.applications,
        applications: listed,
      });
      if (apps.length === 0) {
        deps.logger.info(
          { pr: input.pr, paths: input.changedPaths.length },
          "no Argo CD Application deploys the change",
        );
        return { kind: "no-application", message: "no Argo CD Application deploys the changed paths" };
      }
      const ids = new Set(apps.map(appId));
      imagesBefore = [
        ...new Set(
          listed
            .filter((a) => ids.has(`${a.metadata.namespace ?? "argocd"}/${a.metadata.name}`))
            .flatMap((a) => a.status.summary?.images ?? []),
        ),
      ].sort();
    }
    const now = deps.clock.now();
    const payload: WatchPayload = {
      kind,
      pr: input.pr,
      prTitle: input.prTitle.slice(0, 300),
      incidentKey: input.incidentKey,
      applications: apps.map(appId),
      imagesBefore,
      startedAt: now,
      isRevert: input.isRevert,
    };
    const environment = kind === "terraform" ? "terraform" : environmentName(payload.applications);
    const what =
      kind === "terraform"
        ? `Terraform apply check ${deps.config.terraformApplyCheck}`
        : `Argo CD ${payload.applications.join(", ")}`;
    const deployment = await deps.deployments.create({
      sha: input.mergeSha,
      environment,
      task: WATCH_TASK,
      description: `medic watches #${input.pr}: ${what}`,
      payload,
    });
    const watch: ActiveWatch = {
      sha: input.mergeSha,
      deploymentId: deployment.id,
      payload,
      state: {
        mergeSha: input.mergeSha,
        startedAt: now,
        degradedSince: null,
        lastReport: null,
        imagesBefore,
      },
      reports: 0,
      ticking: false,
      done: false,
    };
    active.set(input.mergeSha, watch);
    await report(watch, "in_progress", `Watching ${what} for ${input.mergeSha.slice(0, 7)}`);
    schedule(watch, 0);
    return { kind: "started", deploymentId: deployment.id, applications: payload.applications, watch: kind };
  }

  /** Rebuilds a watch from its deployment: payload, and the Degraded clock from its statuses. */
  async function resumeDeployment(d: DeploymentRecord): Promise<StartWatchResult> {
    const current = active.get(d.sha);
    if (current && !current.done) return { kind: "already-watching", deploymentId: current.deploymentId };
    const parsed = WatchPayload.safeParse(d.payload);
    if (!parsed.success)
      return { kind: "finished", message: `deployment ${d.id} has no readable watch payload` };
    const statuses = await deps.deployments.listStatuses(d.id);
    const last = statuses[0];
    if (last && !(["queued", "in_progress"] as DeploymentStatusState[]).includes(last.state)) {
      return { kind: "finished", message: `deployment ${d.id} ended with ${last.state}` };
    }
    let degradedSince: number | null = null;
    for (const s of statuses) {
      if (!s.description.startsWith("Degraded")) break;
      degradedSince = s.createdAt;
    }
    const watch: ActiveWatch = {
      sha: d.sha,
      deploymentId: d.id,
      payload: parsed.data,
      state: {
        mergeSha: d.sha,
        startedAt: parsed.data.startedAt,
        degradedSince,
        lastReport: last?.description ?? null,
        imagesBefore: parsed.data.imagesBefore,
      },
      reports: statuses.length,
      ticking: false,
      done: false,
    };
    active.set(d.sha, watch);
    deps.logger.info({ deployment: d.id, sha: d.sha, degradedSince }, "rollout watch resumed");
    schedule(watch, 0);
    return {
      kind: "resumed",
      deploymentId: d.id,
      applications: parsed.data.applications,
      watch: parsed.data.kind,
    };
  }

  /** Resumes every unfinished watch of the repository (after a restart). */
  async function resumeAll(): Promise<StartWatchResult[]> {
    const out: StartWatchResult[] = [];
    for (const d of await deps.deployments.listRecent(WATCH_TASK)) out.push(await resumeDeployment(d));
    return out;
  }

  function schedule(watch: ActiveWatch, ms: number): void {
    deps.scheduler.after(ms, () => tick(watch));
  }

  /** Polls now (a watch event or a check webhook said something changed). */
  async function poke(sha: string): Promise<boolean> {
    const watch = active.get(sha);
    if (!watch || watch.done) return false;
    await tick(watch);
    return true;
  }

  async function tick(watch: ActiveWatch): Promise<void> {
    if (watch.done || watch.ticking) return;
    watch.ticking = true;
    try {
      if (watch.payload.kind === "terraform") await tickTerraform(watch);
      else await tickArgo(watch);
    } catch (err) {
      // GitHub or an unexpected error: log, try again later (the timeout still bounds the watch).
      deps.logger.error({ sha: watch.sha, error: (err as Error).message }, "rollout watch poll failed");
      if (deps.clock.now() - watch.state.startedAt < timeout + grace) schedule(watch, deps.pollIntervalMs);
      else watch.done = true;
    } finally {
      watch.ticking = false;
    }
  }

  async function tickArgo(watch: ActiveWatch): Promise<void> {
    const observations = await observe(watch.payload.applications);
    const step = evaluateRolloutWatch(watch.state, observations, deps.clock.now(), {
      gracePeriodMs: grace,
      timeoutMs: timeout,
    });
    watch.state = step.state;
    if (step.report) await report(watch, step.report.state, step.report.description);
    switch (step.verdict) {
      case "pending":
      case "unknown":
        schedule(watch, deps.pollIntervalMs);
        return;
      case "degraded-grace":
        // Poll again no later than when the grace period ends.
        schedule(
          watch,
          Math.max(0, Math.min(deps.pollIntervalMs, watch.state.degradedSince! + grace - deps.clock.now())),
        );
        return;
      case "healthy":
        watch.done = true;
        record(
          watch,
          "rollout.healthy",
          "ok",
          step.report?.description ?? watch.state.lastReport ?? "Healthy",
        );
        await closeIfResolved(watch);
        return;
      case "degraded":
        watch.done = true;
        await onDegraded(watch, step);
        return;
      case "timed-out":
      case "disabled":
        watch.done = true;
        deps.logger.warn({ sha: watch.sha, verdict: step.verdict }, "rollout watch ended without a verdict");
        return;
    }
  }

  async function tickTerraform(watch: ActiveWatch): Promise<void> {
    const name = deps.config.terraformApplyCheck;
    const [runs, statuses] = await Promise.all([
      deps.checks.listCheckRuns(watch.sha),
      deps.checks.listCommitStatuses(watch.sha),
    ]);
    const res = evaluateTerraformApply(name, runs, statuses);
    const now = deps.clock.now();
    if (res.state === "success") {
      watch.done = true;
      await report(watch, "success", `Terraform apply succeeded: ${res.detail}`);
      record(watch, "rollout.healthy", "ok", `Terraform apply succeeded: ${res.detail}`);
      await closeIfResolved(watch);
      return;
    }
    if (res.state === "failure") {
      watch.done = true;
      await report(watch, "failure", `Terraform apply failed: ${res.detail}`);
      record(watch, "rollout.degraded", "ok", `Terraform apply failed: ${res.detail}`);
      const reverted = await tryRevert(watch, "apply-failed", `Terraform apply failed: ${res.detail}`, []);
      // A failed apply may have left infrastructure half-changed: a person looks at it in every case.
      await escalate(watch, `Terraform apply of #${watch.payload.pr} failed (${res.detail}). ${reverted}`);
      return;
    }
    if (now - watch.state.startedAt >= timeout) {
      watch.done = true;
      await report(
        watch,
        "error",
        res.state === "missing"
          ? `No ${name} check or status on ${watch.sha.slice(0, 7)} after ${formatDuration(timeout)}`
          : `Terraform apply still pending after ${formatDuration(timeout)}: ${res.detail}`,
      );
      return;
    }
    const description =
      res.state === "missing"
        ? `Waiting for ${name} on ${watch.sha.slice(0, 7)}`
        : `Terraform apply pending: ${res.detail}`;
    if (description !== watch.state.lastReport) await report(watch, "in_progress", description);
    schedule(watch, deps.pollIntervalMs);
  }

  async function observe(apps: readonly string[]): Promise<AppObservation[]> {
    const argo = deps.argo;
    if (!argo)
      return apps.map((app) => ({ app, ok: false, fault: "unreachable", message: "no cluster configured" }));
    const out: AppObservation[] = [];
    for (const app of apps) {
      const [namespace, name] = splitApp(app);
      try {
        const a = await argo.getApplication(namespace, name);
        if (!a) {
          out.push({ app, ok: false, fault: "not-found", message: "Application not found" });
          continue;
        }
        const rollouts: { name: string; phase: string; message?: string }[] = [];
        for (const r of a.status.resources ?? []) {
          if (r.kind !== "Rollout" || (r.group ?? "argoproj.io") !== "argoproj.io") continue;
          const ro = await argo.getRollout(r.namespace ?? a.spec.destination?.namespace ?? namespace, r.name);
          if (!ro) continue;
          rollouts.push({
            name: r.name,
            phase: ro.status.phase ?? "Unknown",
            ...(ro.status.message ? { message: ro.status.message } : {}),
          });
        }
        const op = a.status.operationState;
        out.push({
          app,
          ok: true,
          syncStatus: a.status.sync?.status ?? "Unknown",
          revision: a.status.sync?.revision ?? null,
          health: toArgoHealth(a.status.health?.status),
          ...(a.status.health?.message ? { healthMessage: a.status.health.message } : {}),
          ...(op?.phase ? { operationPhase: op.phase } : {}),
          ...(op?.message ? { operationMessage: op.message } : {}),
          rollouts,
          images: a.status.summary?.images ?? [],
        });
      } catch (err) {
        if (!(err instanceof ClusterFault)) throw err;
        out.push({ app, ok: false, fault: err.kind, message: err.message });
      }
    }
    return out;
  }

  async function onDegraded(watch: ActiveWatch, step: RolloutStep): Promise<void> {
    const now = deps.clock.now();
    const history = await deps.revertHistory.listSince(now - 3_600_000);
    const decision = decideAutoRevert({
      enabled: deps.config.autoRevert,
      isRevert: watch.payload.isRevert,
      applications: watch.payload.applications,
      recentReverts: history.map((r) => ({ application: r.application, at: r.at, pr: r.pr })),
      now,
    });
    const words = step.report?.description ?? watch.state.lastReport ?? "Degraded";
    record(watch, "rollout.degraded", "ok", words, {
      autoRevert: decision.ok ? "allowed" : decision.message,
    });
    if (!decision.ok) {
      await escalate(
        watch,
        `Rollout of #${watch.payload.pr} is Degraded and was not reverted: ${decision.message}. ${words}`,
      );
      return;
    }
    const outcome = await tryRevert(watch, "degraded", words, step.newImages);
    if (!outcome.startsWith("Revert PR"))
      await escalate(watch, `Rollout of #${watch.payload.pr} is Degraded. ${outcome}`);
  }

  /** Opens the revert PR; returns a sentence for the timeline and the escalation. */
  async function tryRevert(
    watch: ActiveWatch,
    reason: "degraded" | "apply-failed",
    words: string,
    badImages: string[],
  ): Promise<string> {
    const incidentNumber = await findIncident(watch);
    const res = await deps.revert({
      originalPr: watch.payload.pr,
      originalTitle: watch.payload.prTitle,
      mergeSha: watch.sha,
      isRevert: watch.payload.isRevert,
      incident: { key: watch.payload.incidentKey, number: incidentNumber },
      applications: watch.payload.applications,
      reason,
      argoWords: words,
      badImages,
      escalation:
        reason === "apply-failed"
          ? `The incident is labelled ${ESCALATED_LABEL}: a failed apply needs a person.`
          : "Review and merge this PR to restore the previous version.",
    });
    // An opened revert PR's record ends its body already; the same record goes to the ledger.
    if (res.kind === "opened" && res.record) deps.audit?.record(res.record);
    else
      record(
        watch,
        "rollout.reverted",
        res.kind === "refused" ? "refused" : res.kind === "opened" ? "ok" : "skipped",
        res.kind === "refused" ? `${res.reason}: ${res.message}` : `revert PR #${res.number} (${res.kind})`,
        { reason, badImages, ...(res.kind === "refused" ? {} : { revertPr: res.number }) },
      );
    const sentence =
      res.kind === "refused"
        ? `Automatic revert refused (${res.reason}): ${res.message}`
        : `Revert PR #${res.number} ${res.kind === "opened" ? "opened" : "already open"}: ${res.url}`;
    await timeline(watch, sentence, res.kind === "opened" ? res.record : undefined, true);
    return sentence;
  }

  async function escalate(watch: ActiveWatch, message: string): Promise<void> {
    const incidentNumber = await findIncident(watch);
    const target = incidentNumber ?? watch.payload.pr;
    const marker = renderMarker("rollout-escalation", watch.sha);
    await deps.changeRequests.addLabels(target, [ESCALATED_LABEL]);
    const body = `${marker}\n### ⚠️ Escalated: a person must decide\n\n${escapeMarkdown(message, 3000)}\n\nMerged PR: #${watch.payload.pr}`;
    await deps.changeRequests.comment(target, body);
    deps.logger.warn({ sha: watch.sha, target }, "rollout escalated");
  }

  async function closeIfResolved(watch: ActiveWatch): Promise<void> {
    if (!deps.incidents || !watch.payload.incidentKey) return;
    const issue = (await deps.incidents.listOpen()).find((i) => i.key === watch.payload.incidentKey);
    if (!issue) return;
    const inc = issue.incident;
    if (inc?.status !== "resolved") {
      await timeline(watch, "Healthy; the incident closes when its alert resolves.");
      return;
    }
    const { mttrMs } = measureIncident(inc);
    const body = [
      renderMarker("incident-comment", `${inc.key}/rollout-closed/${watch.sha}`),
      `### ✅ Healthy and resolved: closing`,
      "",
      `The remediation #${watch.payload.pr} rolled out Healthy at \`${watch.sha.slice(0, 7)}\` and every alert of the incident resolved.`,
      "",
      `MTTR: ${mttrMs === null ? "n/a" : formatDuration(mttrMs)} (alert start → resolved)`,
    ].join("\n");
    await deps.incidents.comment(issue.number, body, `${inc.key}/rollout-closed/${watch.sha}`, {
      checkFirst: true,
    });
    await deps.incidents.update(issue.number, { state: "closed" });
    deps.logger.info({ issue: issue.number, mttrMs }, "incident closed after a healthy rollout");
  }

  async function report(
    watch: ActiveWatch,
    state: DeploymentStatusState,
    description: string,
  ): Promise<void> {
    await deps.deployments.addStatus(watch.deploymentId, { state, description });
    watch.reports++;
    const notify = state === "failure" || state === "error" || description.startsWith("Degraded");
    await timeline(watch, description, undefined, notify);
  }

  /** One incident timeline entry (a marked comment, so a retried write is not doubled). */
  async function timeline(
    watch: ActiveWatch,
    text: string,
    evidence?: AuditEntry,
    notify = false,
  ): Promise<void> {
    if (!notify && !evidence && deps.appendTimeline && watch.payload.incidentKey) {
      await deps.appendTimeline(watch.payload.incidentKey, {
        at: deps.clock.now(),
        kind: "rollout",
        text: `#${watch.payload.pr} (${watch.sha.slice(0, 7)}): ${text}`,
      });
      return;
    }
    const number = await findIncident(watch);
    if (number === null || !deps.incidents) return;
    const markerId = `${watch.payload.incidentKey}/rollout/${watch.sha.slice(0, 12)}/${watch.reports}-${hashText(text)}`;
    const body = `${renderMarker("incident-comment", markerId)}\n**Rollout of #${watch.payload.pr}** (\`${watch.sha.slice(0, 7)}\`): ${escapeMarkdown(text, 2000)}`;
    await deps.incidents.comment(number, evidence ? appendAuditBlock(body, evidence) : body, markerId, {
      checkFirst: true,
    });
  }

  /** One Evidence record about the merged PR's rollout, to the repository's ledger. */
  function record(
    watch: ActiveWatch,
    action: "rollout.healthy" | "rollout.degraded" | "rollout.reverted",
    status: "ok" | "refused" | "skipped",
    detail: string,
    inputs: Record<string, unknown> = {},
  ): void {
    if (!deps.audit) return;
    deps.audit.record({
      v: 1,
      at: new Date(deps.clock.now()).toISOString(),
      actor: { kind: "bot", login: deps.botLogin ?? "gitops-medic[bot]" },
      action,
      reason: `rollout watch of #${watch.payload.pr} at ${watch.sha.slice(0, 7)}`,
      ...(watch.payload.incidentKey ? { incidentKey: watch.payload.incidentKey } : {}),
      subject: { kind: "pull_request", repo: deps.repo, number: watch.payload.pr },
      shas: { merge: watch.sha },
      inputs: { applications: watch.payload.applications, isRevert: watch.payload.isRevert, ...inputs },
      outcome: { status, detail: detail.slice(0, 2000) },
    });
  }

  async function findIncident(watch: ActiveWatch): Promise<number | null> {
    if (watch.incidentNumber !== undefined) return watch.incidentNumber;
    if (!deps.incidents || !watch.payload.incidentKey) {
      watch.incidentNumber = null;
      return null;
    }
    const issue = (await deps.incidents.listOpen()).find((i) => i.key === watch.payload.incidentKey);
    watch.incidentNumber = issue?.number ?? null;
    return watch.incidentNumber;
  }

  return {
    start,
    resumeAll,
    poke,
    /** Watches in memory (tests, metrics). */
    active: () => [...active.values()].filter((w) => !w.done).map((w) => ({ sha: w.sha, state: w.state })),
  };
}

export type RolloutWatcher = ReturnType<typeof watchRollout>;

function splitApp(app: string): [string, string] {
  const i = app.indexOf("/");
  return i < 0 ? ["argocd", app] : [app.slice(0, i), app.slice(i + 1)];
}

function environmentName(apps: readonly string[]): string {
  const first = apps[0] ?? "argocd";
  return apps.length > 1 ? `argocd/${first} +${apps.length - 1}` : `argocd/${first}`;
}

/** A short, stable tag of a text (FNV-1a), so two different entries never share a marker. */
function hashText(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
