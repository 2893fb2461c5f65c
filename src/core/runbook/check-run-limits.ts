import { formatDuration, parseDuration } from "../util/duration.js";
import type { PreviousRun } from "./plan-facts.js";
import type { RunbookLimits } from "./runbook.js";

const DAY_MS = 86_400_000;

export type RunLimitResult =
  | { ok: true }
  | { ok: false; limit: "cooldown" | "maxRunsPerTargetPerDay"; message: string };

/** Cooldown and runs-per-day for one runbook on one target, from the record of previous runs. */
export function checkRunLimits(input: {
  runbookId: string;
  target: string;
  limits: RunbookLimits;
  previousRuns: readonly PreviousRun[];
  now: number;
}): RunLimitResult {
  const mine = input.previousRuns.filter((r) => r.runbookId === input.runbookId && r.target === input.target);
  const cooldown = parseDuration(input.limits.cooldown) ?? 0;
  const last = Math.max(-Infinity, ...mine.map((r) => r.at));
  if (Number.isFinite(last) && input.now - last < cooldown) {
    return {
      ok: false,
      limit: "cooldown",
      message: `limits.cooldown: ${input.runbookId} ran on ${input.target} ${formatDuration(input.now - last)} ago; cooldown is ${input.limits.cooldown}`,
    };
  }
  const today = mine.filter((r) => input.now - r.at < DAY_MS).length;
  if (today >= input.limits.maxRunsPerTargetPerDay) {
    return {
      ok: false,
      limit: "maxRunsPerTargetPerDay",
      message: `limits.maxRunsPerTargetPerDay: ${input.runbookId} already ran ${today} time(s) on ${input.target} in the last 24h (limit ${input.limits.maxRunsPerTargetPerDay})`,
    };
  }
  return { ok: true };
}
