import type { Incident } from "../../core/incident/incident.js";

/** An incident issue as the tracker sees it. */
export interface TrackedIssue {
  number: number;
  /** Browser URL of the issue. */
  url: string;
  state: "open" | "closed";
  /** Epoch ms the issue was closed, when closed. */
  closedAt?: number;
  /** Incident key from the issue's hidden marker. */
  key: string;
  /** The state the bot keeps in the body; null when missing or unreadable (a person edited it). */
  incident: Incident | null;
  labels: string[];
  /** The body as GitHub has it (to tell whether another replica wrote since). */
  body: string;
  /** Set by `create` when the issue already existed (found by its marker) instead of being created. */
  existed?: boolean;
}

/** What a new incident issue looks like. */
export interface IssueDraft {
  key: string;
  title: string;
  body: string;
  labels: string[];
}

/**
 * Where incident issues live (a GitHub repository; an in-memory store in tests and the simulator).
 * Listing is by label — consistent — never by search, which lags behind writes.
 */
export interface IncidentTracker {
  /** `owner/name`, for logs and lock keys. */
  readonly repo: string;
  /** Open incident issues written by the bot. */
  listOpen(): Promise<TrackedIssue[]>;
  /** Incident issues written by the bot and closed since `sinceMs` (for reopening). */
  listClosedSince(sinceMs: number): Promise<TrackedIssue[]>;
  /**
   * Creates the issue unless one with the draft's marker already exists (open or closed recently): a
   * create that succeeded but answered 5xx is found here, not duplicated.
   */
  create(draft: IssueDraft): Promise<TrackedIssue>;
  /** One incident issue by number, fresh from GitHub (null when gone or not the bot's). */
  get(number: number): Promise<TrackedIssue | null>;
  /** Changes title, body, labels (replaced) or state. */
  update(
    number: number,
    patch: { title?: string; body?: string; labels?: string[]; state?: "open" | "closed" },
  ): Promise<void>;
  /** Adds labels, keeping those already there (issues filed by people). */
  addLabels(number: number, labels: string[]): Promise<void>;
  /**
   * Posts a comment carrying the `incident-comment` marker `markerId`. A failed post (5xx) is retried only
   * after the marker was looked for; with `checkFirst` the marker is looked for before the first post too
   * (acknowledgements that redeliveries must not repeat).
   */
  comment(number: number, body: string, markerId: string, opts?: { checkFirst?: boolean }): Promise<void>;
}
