import type { IncidentTemplates } from "../core/incident/incident-templates.js";
import { type ManualIssue, parseManualIncident } from "../core/incident/parse-manual-incident.js";
import { escapeMarkdown } from "../core/markdown/escape-markdown.js";
import { renderMarker } from "../core/markdown/render-marker.js";
import { renderTemplate } from "../core/markdown/render-template.js";
import type { IncidentHooks } from "./incident-hooks.js";
import type { IncidentTracker } from "./ports/incident-tracker.js";
import type { Logger } from "./ports/logger.js";

export interface ManualIncidentDeps {
  tracker: IncidentTracker;
  templates: Pick<IncidentTemplates, "manual">;
  logger: Logger;
  hooks?: IncidentHooks;
}

/**
 * An issue a person opened or labelled `incident` joins the incident flow. Steps:
 * 1. parse the issue form (namespace, workload, symptom, severity) into an Incident;
 * 2. add `severity:<level>` (and `runbook:<id>` when one matches) — never remove the person's labels;
 * 3. acknowledge once with what was read and what was not (a marker makes redeliveries no-ops);
 * 4. hand the incident to the hooks (diagnosis, remediation).
 * The person's text stays as written: the bot never rewrites a body it did not write.
 */
export async function openManualIncident(
  deps: ManualIncidentDeps,
  issue: ManualIssue & { url: string },
): Promise<{ key: string; problems: string[] }> {
  // 1.
  const { incident, problems } = parseManualIncident(issue);
  // 2.
  let runbookId: string | null = null;
  if (problems.length === 0 && deps.hooks?.matchRunbook) {
    try {
      const answer = await deps.hooks.matchRunbook(incident, { repo: deps.tracker.repo });
      runbookId = typeof answer === "string" ? answer : (answer?.id ?? null);
    } catch (err) {
      deps.logger.error({ key: incident.key, error: (err as Error).message }, "runbook matcher failed");
    }
  }
  if (runbookId) incident.runbookId = runbookId;
  const labels = [
    `severity:${incident.severity}`,
    ...(runbookId ? [`runbook:${runbookId}`.slice(0, 50)] : []),
  ];
  await deps.tracker.addLabels(issue.number, labels);
  // 3.
  // The answers are part of the id: fixing the form and re-adding the label gets a fresh acknowledgement.
  const l = incident.labels;
  const markerId = [
    incident.key,
    "ack",
    l["namespace"],
    l["deployment"],
    l["symptom"],
    incident.severity,
  ].join("/");
  const body = renderTemplate(
    deps.templates.manual,
    {
      marker: renderMarker("incident-comment", markerId),
      key: escapeMarkdown(incident.key),
      namespace: escapeMarkdown(incident.labels["namespace"] ?? "—"),
      workload: escapeMarkdown(incident.labels["deployment"] ?? "—"),
      symptom: escapeMarkdown(`${incident.labels["symptom"] ?? "other"} (${incident.signals[0]?.name})`),
      severity: incident.severity,
      problems:
        problems.length > 0
          ? `Could not read everything — edit the issue form answers and re-add the \`incident\` label:\n\n${problems.map((p) => `- ${escapeMarkdown(p)}`).join("\n")}`
          : runbookId
            ? `Runbook \`${escapeMarkdown(runbookId, 50)}\` matches; a remediation proposal follows.`
            : "No approved runbook matches; a person needs to take it from here.",
    },
    "incident-manual.md",
  );
  await deps.tracker.comment(issue.number, body, markerId, { checkFirst: true });
  // 4.
  if (problems.length === 0) {
    try {
      await deps.hooks?.onOpened?.(incident, {
        repo: deps.tracker.repo,
        number: issue.number,
        url: issue.url,
      });
    } catch (err) {
      deps.logger.error({ key: incident.key, error: (err as Error).message }, "incident hook failed");
    }
  }
  return { key: incident.key, problems };
}
