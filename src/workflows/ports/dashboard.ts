import type { DashboardModel } from "../../core/dashboard/dashboard-model.js";
import type { IncidentHistory } from "../../core/noise/noise-history.js";

/** The dashboard issue as found. */
export interface DashboardIssue {
  number: number;
  url: string;
  body: string;
  /** A person closed it: the next update reopens it. */
  closed?: boolean;
}

/** Where the dashboard issue lives: found by its hidden marker in a label listing (never search). */
export interface DashboardStore {
  /** The bot's dashboard issue (open or closed), or null. */
  find(): Promise<DashboardIssue | null>;
  /** Creates it; an issue that appeared meanwhile (another replica, a 5xx that did succeed) is returned instead. */
  create(title: string, body: string): Promise<DashboardIssue>;
  /** Rewrites the body (and reopens a closed dashboard). */
  update(number: number, body: string, reopen: boolean): Promise<void>;
  /** One comment on the dashboard issue. */
  reply(number: number, body: string): Promise<void>;
}

/** What the dashboard shows, read from GitHub (or fakes in tests). */
export interface DashboardSource {
  openIncidents(): Promise<DashboardModel["incidents"]>;
  pullRequests(): Promise<DashboardModel["pullRequests"]>;
  /** Revert PRs opened since `sinceMs`. */
  reverts(sinceMs: number): Promise<DashboardModel["reverts"]>;
  quarantined(): Promise<DashboardModel["quarantined"]>;
  /** Incident histories for the noise analysis since `sinceMs`. */
  incidentHistory(sinceMs: number): Promise<IncidentHistory[]>;
  /** Open tuning PRs by proposal id. */
  tuningPrs(): Promise<DashboardModel["tuningPrs"]>;
}
