import type { PlannedImperativeStep } from "../core/plan/remediation-plan.js";
import { STEP_RISK } from "../core/runbook/runbook.js";
import type { ActionResult } from "./ports/commands.js";
import { type RunImperativeStepDeps, runImperativeStep } from "./run-imperative-step.js";

export type RolloutCommand = "abort" | "retry" | "promote";

export interface RunRolloutCommandDeps extends Omit<RunImperativeStepDeps, "actor"> {
  /** The incident the conversation belongs to (the issue itself, or the PR's remediation marker), or null. */
  findIncident(): Promise<{ key: string; labels: Record<string, string> } | null>;
  /** `org/team` security teams (`approval.securityTeams`) and a membership check. */
  securityTeams: readonly string[];
  isActiveMember(org: string, team: string, login: string): Promise<boolean>;
}

export interface RunRolloutCommandInput {
  command: RolloutCommand;
  /** `/promote full`. */
  full?: boolean;
  actor: string;
  repo: string;
  number: number;
}

/**
 * `/abort`, `/retry`, `/promote [full]` on an incident or its remediation PR: the Argo Rollout named by the
 * incident's `rollout` and `namespace` labels gets the imperative step, through the same runner as runbook
 * steps. The command layer already checked the person's role; that is the gate. Abort and promote are
 * destructive: the person must also be an active member of a security team.
 */
export async function runRolloutCommand(
  deps: RunRolloutCommandDeps,
  input: RunRolloutCommandInput,
): Promise<ActionResult> {
  const incident = await deps.findIncident();
  if (!incident)
    return { ok: false, message: "no incident belongs to this conversation: no Rollout to act on" };
  const name = incident.labels["rollout"];
  const namespace = incident.labels["namespace"];
  if (!name || !namespace) {
    return {
      ok: false,
      message: `incident ${incident.key} names no Argo Rollout (labels \`rollout\` and \`namespace\`)`,
    };
  }
  const action = `rollout-${input.command}` as const;
  const risk = STEP_RISK[action];
  let securityApproved = false;
  if (risk === "destructive") {
    for (const t of deps.securityTeams) {
      const [org, team] = t.replace(/^@/, "").split("/") as [string, string];
      if (await deps.isActiveMember(org, team, input.actor)) {
        securityApproved = true;
        break;
      }
    }
  }
  const step: PlannedImperativeStep = {
    id: `command-${input.command}`,
    action,
    target: { namespace, name, ...(input.full ? { full: "true" } : {}) },
    risk,
    description: `kubectl argo rollouts ${input.command}${input.full ? " --full" : ""} ${name} -n ${namespace}`,
  };
  const res = await runImperativeStep(
    { ...deps, actor: { kind: "user", login: input.actor } },
    {
      step,
      gate: {
        satisfied: true,
        securityApproved,
        summary: `/${input.command} by @${input.actor}${securityApproved ? " (security team)" : ""}`,
      },
      incidentKey: incident.key,
      subject: { repo: input.repo, number: input.number },
    },
  );
  if (res.status === "refused" || res.status === "failed") return { ok: false, message: res.reason };
  return { ok: true, message: res.lines.join("; ") };
}
