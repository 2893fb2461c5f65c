import type { Checks } from "./checks.js";

/** The global kill switch ("pause all automation" on the dashboard), read cheaply by every workflow. */
export interface AutomationSwitch {
  /** Whether automation is paused in this repository; `by` names who paused it when known. */
  paused(): Promise<{ paused: false } | { paused: true; by?: string; at?: string }>;
}

/** A switch that is never on (no dashboard, tests, the local simulator). */
export const NEVER_PAUSED: AutomationSwitch = {
  async paused() {
    return { paused: false };
  },
};

/** The message workflows and checks show while the switch is on. */
export function describePause(p: { by?: string; at?: string }): string {
  return `automation paused${p.by ? ` by @${p.by}` : ""} on the dashboard issue; untick "Pause all automation" to resume`;
}

/**
 * Checks that say so while automation is paused: the title gets an "automation paused" prefix and the
 * summary a first line naming who paused it. Conclusions are left as they are (a policy result is still
 * true while paused); an unreadable switch leaves the run untouched.
 */
export function withPauseNotice(checks: Checks, automation: AutomationSwitch): Checks {
  return {
    ...checks,
    async createOrUpdate(run) {
      const pause = await automation.paused().catch(() => ({ paused: false as const }));
      if (!pause.paused) return checks.createOrUpdate(run);
      return checks.createOrUpdate({
        ...run,
        title: `Automation paused — ${run.title}`.slice(0, 1000),
        summary: `> **Automation paused**: ${describePause(pause)}.\n\n${run.summary}`,
      });
    },
  };
}
