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
