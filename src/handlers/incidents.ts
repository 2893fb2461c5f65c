import type { Probot } from "probot";
import {
  createIncidentRuntime,
  type IncidentRuntimeOptions,
} from "../adapters/github/create-incident-runtime.js";
import type { AppDeps } from "../app-deps.js";
import type { IncidentHooks } from "../workflows/incident-hooks.js";
import { alertmanagerRoute } from "./alertmanager.js";
import { registerIncidentIssues } from "./incident-issues.js";

/**
 * The incidents area: `POST /alertmanager` into incident issues in `INCIDENT_REPO`, manual incidents
 * filed as issues, and the queue drained on shutdown. `hooks` is where the runbook matcher and the
 * remediation flow plug in.
 */
export function registerIncidents(
  app: Probot,
  deps: AppDeps,
  hooks: IncidentHooks = {},
  runtimeOpts: Pick<IncidentRuntimeOptions, "later" | "templates"> = {},
) {
  const runtime = createIncidentRuntime({ app, deps, hooks, ...runtimeOpts });
  if (!deps.env.ALERTMANAGER_TOKEN)
    deps.logger.warn({}, "ALERTMANAGER_TOKEN is not set: POST /alertmanager refuses every request");
  if (!deps.env.INCIDENT_REPO) deps.logger.warn({}, "INCIDENT_REPO is not set: alerts are refused");
  deps.addRoute(
    alertmanagerRoute({
      token: deps.env.INCIDENT_REPO ? deps.env.ALERTMANAGER_TOKEN : undefined,
      logger: deps.logger,
      dedupe: deps.dedupe,
      metrics: deps.metrics,
      accept: (payload) => runtime.enqueue(payload),
    }),
  );
  registerIncidentIssues(app, deps, runtime, hooks);
  deps.onShutdown(() => runtime.drain());
  return runtime;
}
