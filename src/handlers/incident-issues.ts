import type { Probot } from "probot";
import type { IncidentRuntime } from "../adapters/github/create-incident-runtime.js";
import { createGitHubIncidentTracker, INCIDENT_LABEL } from "../adapters/github/incident-tracker.js";
import { createWriteQueue } from "../adapters/github/write-queue.js";
import type { AppDeps } from "../app-deps.js";
import type { IncidentHooks } from "../workflows/incident-hooks.js";
import { openManualIncident } from "../workflows/open-manual-incident.js";

/**
 * Issues people file as incidents (opened with, or later given, the `incident` label) join the incident
 * flow; closing or reopening a bot incident issue by hand is followed by the index.
 */
export function registerIncidentIssues(
  app: Probot,
  deps: AppDeps,
  runtime: IncidentRuntime,
  hooks: IncidentHooks = {},
): void {
  app.on(["issues.opened", "issues.labeled"], async (context) => {
    const { issue, sender } = context.payload;
    const labelled =
      context.payload.action === "labeled"
        ? context.payload.label?.name === INCIDENT_LABEL
        : issue.labels?.some((l) => l.name === INCIDENT_LABEL);
    // Bots' issues (ours above all) are not manual incidents.
    if (!labelled || issue.user?.type === "Bot" || sender.type === "Bot") return;
    const { owner, repo } = context.repo();
    const installation = context.payload.installation?.id ?? 0;
    const tracker = createGitHubIncidentTracker({
      octokit: context.octokit,
      owner,
      repo,
      logger: deps.logger,
      queue: createWriteQueue({
        budget: deps.writeBudget,
        scope: `installation:${installation}`,
        clock: deps.clock,
        logger: deps.logger,
      }),
    });
    await deps.lock.withLock(`incident:${owner}/${repo}#manual/issue-${issue.number}`, () =>
      openManualIncident(
        { tracker, templates: runtime.templates, logger: deps.logger, hooks },
        {
          number: issue.number,
          title: issue.title,
          body: issue.body ?? null,
          createdAt: issue.created_at,
          author: issue.user?.login ?? "unknown",
          url: issue.html_url,
        },
      ),
    );
  });

  app.on(["issues.closed", "issues.reopened"], async (context) => {
    const { issue } = context.payload;
    if (!issue.labels?.some((l) => l?.name === INCIDENT_LABEL)) return;
    const state = context.payload.action === "closed" ? "closed" : "open";
    const at = Date.parse(issue.closed_at ?? "") || deps.clock.now();
    await runtime.markIssueState(`${context.repo().owner}/${context.repo().repo}`, issue.number, state, at);
  });
}
