import { formatDuration } from "../util/duration.js";

/** At most one automatic revert per Application in this window (then a person decides). */
export const AUTO_REVERT_WINDOW_MS = 3_600_000;

export interface AutoRevertInput {
  /** `rollout.autoRevert`. */
  enabled: boolean;
  /** The watched change is itself a revert (its PR carries the `medic:revert` marker). */
  isRevert: boolean;
  /** `namespace/name` of the Degraded Applications. */
  applications: readonly string[];
  /** Automatic reverts already opened, by Application, with their time (epoch ms). */
  recentReverts: readonly { application: string; at: number; pr?: number }[];
  now: number;
}

export type AutoRevertDecision =
  | { ok: true }
  | { ok: false; reason: "disabled" | "revert-of-revert" | "rate-limited"; message: string };

/**
 * Whether a Degraded rollout may be reverted automatically. Never a revert of a revert (two bad versions
 * in a row need a person, and a loop of reverts must be impossible); at most one automatic revert per
 * Application per hour, counting every Application the change touched. Refusals escalate.
 */
export function decideAutoRevert(input: AutoRevertInput): AutoRevertDecision {
  if (input.isRevert) {
    return {
      ok: false,
      reason: "revert-of-revert",
      message: "the degraded change is itself a revert: medic never reverts a revert",
    };
  }
  if (!input.enabled) {
    return {
      ok: false,
      reason: "disabled",
      message: "automatic revert is off (`rollout.autoRevert: false`)",
    };
  }
  for (const app of input.applications) {
    const last = input.recentReverts
      .filter((r) => r.application === app && input.now - r.at < AUTO_REVERT_WINDOW_MS && r.at <= input.now)
      .sort((a, b) => b.at - a.at)[0];
    if (last) {
      return {
        ok: false,
        reason: "rate-limited",
        message: `${app} was already reverted automatically ${formatDuration(input.now - last.at)} ago${last.pr ? ` (#${last.pr})` : ""}: at most one automatic revert per application per hour`,
      };
    }
  }
  return { ok: true };
}
