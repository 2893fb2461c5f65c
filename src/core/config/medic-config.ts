import { z } from "zod";
import { ApprovalConfig } from "./sections/approval.js";
import { CommandsConfig } from "./sections/commands.js";
import { EvidenceConfig } from "./sections/evidence.js";
import { IncidentsConfig } from "./sections/incidents.js";
import { DashboardConfig, NoiseConfig } from "./sections/noise.js";
import { PolicyConfig } from "./sections/policy.js";
import { RemediationConfig } from "./sections/remediation.js";
import { RolloutConfig } from "./sections/rollout.js";
import { RunbooksConfig } from "./sections/runbooks.js";
import { WorkloadsConfig } from "./sections/workloads.js";

/** The file name, in the GitOps repository's `.github/` folder. */
export const MEDIC_CONFIG_PATH = ".github/medic.yml";

/**
 * Per-repository configuration, `.github/medic.yml`, read from the default branch.
 * Every section is optional; unknown keys are errors (a typo must not silently turn a guardrail off).
 */
export const MedicConfig = z.strictObject({
  /** How alerts become incident issues. */
  incidents: IncidentsConfig.prefault({}),
  /** How remediation pull requests are opened. */
  remediation: RemediationConfig.prefault({}),
  /** Runbook parameter values for alerts that lack them. */
  runbooks: RunbooksConfig.prefault({}),
  /** Where workloads are declared in this repository. */
  workloads: WorkloadsConfig.prefault({}),
  /** Policy checks on pull requests. */
  policy: PolicyConfig.prefault({}),
  /** The approval gate for destructive changes. */
  approval: ApprovalConfig.prefault({}),
  /** Slash commands in issue and pull request comments. */
  commands: CommandsConfig.prefault({}),
  /** Watching rollouts after merge and reverting. */
  rollout: RolloutConfig.prefault({}),
  /** Compliance evidence export. */
  evidence: EvidenceConfig.prefault({}),
  /** Alert-noise analysis. */
  noise: NoiseConfig.prefault({}),
  /** The operations dashboard issue. */
  dashboard: DashboardConfig.prefault({}),
});
export type MedicConfig = z.infer<typeof MedicConfig>;

export type LoadConfigResult =
  | { ok: true; config: MedicConfig }
  | { ok: false; file: string; field: string; message: string };

/** The configuration used when a repository has no `.github/medic.yml`. */
export function defaultMedicConfig(): MedicConfig {
  return MedicConfig.parse({});
}

/**
 * Validates an already-parsed `.github/medic.yml` (Probot's `context.config` parses the YAML and follows
 * `_extends`). A broken file becomes a value naming the file and the field, never a silent default.
 */
export function loadMedicConfig(input: unknown, file: string = MEDIC_CONFIG_PATH): LoadConfigResult {
  if (input === null || input === undefined) return { ok: true, config: defaultMedicConfig() };
  if (typeof input !== "object" || Array.isArray(input)) {
    return { ok: false, file, field: "(root)", message: "expected a mapping at the top level" };
  }
  const { _extends: _ignored, ...rest } = input as Record<string, unknown>;
  const res = MedicConfig.safeParse(rest);
  if (res.success) return { ok: true, config: res.data };
  const issue = res.error.issues[0];
  const path = issue?.path.map(String) ?? [];
  let field = path.join(".") || "(root)";
  let message = issue?.message ?? "invalid configuration";
  if (issue?.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    field = [...path, key].join(".");
    message = `unknown field "${key}"`;
  }
  return { ok: false, file, field, message };
}

/** One line for logs, comments and check summaries. */
export function describeConfigError(err: { file: string; field: string; message: string }): string {
  return `Invalid configuration in ${err.file}: field \`${err.field}\`: ${err.message}`;
}
