import type { Severity } from "../incident/incident.js";
import type { NoiseReport } from "../noise/analyze-noise.js";

/** The bot's own state kept in the dashboard body (a hidden block only the bot's handler rewrites). */
export interface DashboardState {
  paused: boolean;
  /** Who switched the pause on or off last, and when (RFC 3339). */
  pausedBy?: string;
  pausedAt?: string;
}

/** A pull request of the bot waiting for people or checks. */
export interface DashboardPullRequest {
  number: number;
  url: string;
  title: string;
  kind: "remediation" | "revert" | "tuning";
  /** What it waits for, plain text (`approval by a security code owner`, `checks`, `merge`). */
  waitingFor: string;
  held: boolean;
  /** People whose `/approve` stands at the head. */
  approvedBy: string[];
}

/** Everything the dashboard shows; built by the update workflow, rendered by `renderDashboard`. */
export interface DashboardModel {
  repo: string;
  /** Epoch ms. */
  generatedAt: number;
  state: DashboardState;
  incidents: { number: number; url: string; title: string; severity: Severity | null; startedAt: number }[];
  pullRequests: DashboardPullRequest[];
  reverts: { number: number; url: string; title: string; at: number; state: string }[];
  quarantined: { image: string; reason: string; since: string }[];
  /** Null when the analysis could not run (the reason says why). */
  noise: NoiseReport | null;
  noiseNote?: string;
  /** Tuning proposals already turned into PRs, by proposal id. */
  tuningPrs: Record<string, { number: number; url: string }>;
}
