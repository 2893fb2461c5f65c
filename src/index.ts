import type { ApplicationFunction } from "probot";
import { openKubernetes } from "./adapters/kubernetes/open-kubernetes.js";
import type { AppDeps } from "./app-deps.js";
import { registerApproval } from "./handlers/approval.js";
import { registerCommands } from "./handlers/commands.js";
import { registerConfigCheck } from "./handlers/config-check.js";
import { registerDashboard } from "./handlers/dashboard.js";
import { registerIncidents } from "./handlers/incidents.js";
import { registerPolicy } from "./handlers/policy.js";
import { registerRemediation } from "./handlers/remediation.js";
import { registerRollout } from "./handlers/rollout.js";
import type { IncidentHooks } from "./workflows/incident-hooks.js";

/**
 * The Probot application: wiring only. Each area registers its handlers; the logic lives in workflows.
 */
export function medicApp(deps: AppDeps): ApplicationFunction {
  return (app) => {
    registerConfigCheck(app, deps);
    registerPolicy(app, deps);
    // Remediation plugs into the incident flow: the runbook matcher labels new issues `runbook:<id>`, and
    // PRs write their line into the incident's timeline. The PR itself is opened from the `issues` webhook
    // GitHub delivers for the bot's own issue (docs/remediation.md), not from an `onOpened` hook.
    const kubernetes = openKubernetes(deps.env, deps.logger);
    const hooks: IncidentHooks = {};
    const incidents = registerIncidents(app, deps, hooks);
    const { remediate, rollback, matchRunbook } = registerRemediation(app, deps, {
      cluster: kubernetes.cluster,
      appendTimeline: (key, note, repo) => incidents.appendTimeline(key, note, repo),
    });
    hooks.matchRunbook = matchRunbook;
    const rollout = registerRollout(app, deps, {
      ...kubernetes,
      appendTimeline: (key, note, repo) => incidents.appendTimeline(key, note, repo),
    });
    registerCommands(app, deps, { remediate, rollback, ...rollout }, registerApproval(app, deps));
    registerDashboard(app, deps, { actions: { remediate, rollback, ...rollout } });
  };
}
