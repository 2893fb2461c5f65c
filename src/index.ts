import type { ApplicationFunction } from "probot";
import type { AppDeps } from "./app-deps.js";
import { registerApproval } from "./handlers/approval.js";
import { registerCommands } from "./handlers/commands.js";
import { registerConfigCheck } from "./handlers/config-check.js";
import { registerDashboard } from "./handlers/dashboard.js";
import { registerIncidents } from "./handlers/incidents.js";
import { registerPolicy } from "./handlers/policy.js";
import { registerRemediation } from "./handlers/remediation.js";
import { registerRollout } from "./handlers/rollout.js";

/**
 * The Probot application: wiring only. Each area registers its handlers; the logic lives in workflows.
 */
export function medicApp(deps: AppDeps): ApplicationFunction {
  return (app) => {
    registerConfigCheck(app, deps);
    registerPolicy(app, deps);
    registerIncidents(app, deps);
    const { remediate } = registerRemediation(app, deps);
    const rollout = registerRollout(app, deps);
    registerCommands(app, deps, { remediate, ...rollout }, registerApproval(app, deps));
    registerDashboard(app, deps, { actions: { remediate } });
    void deps;
  };
}
