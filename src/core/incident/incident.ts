/**
 * The incident model shared by the runbook engine, the incident tracker and the evidence export.
 * There is one Signal type and one Incident type in the code base: extend these, do not fork them.
 */

export type Severity = "critical" | "warning" | "info";
export const SEVERITIES = ["critical", "warning", "info"] as const satisfies readonly Severity[];

/** Where a signal came from. */
export type SignalSource = "alertmanager" | "kubernetes" | "issue";

/** One observation of something wrong: an alert, a Kubernetes state, or an issue filed by a person. */
export interface Signal {
  source: SignalSource;
  /** Alert name, or a synthetic name for Kubernetes/issue signals (e.g. `ManualIncident`). */
  name: string;
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** RFC 3339. */
  startsAt: string;
  /** RFC 3339, or undefined while firing. */
  endsAt?: string;
  /** Alertmanager fingerprint or another stable id of the label set. */
  fingerprint: string;
  generatorURL?: string;
  /** Severity this signal maps to (from its severity label and the configured map). */
  severity?: Severity;
  /** Alertmanager `groupKey` of the notification that carried it (to infer resolution of missing members). */
  groupKey?: string;
  /** `root` for the incident's own signals, `child` for signals attached by a correlation rule. */
  role?: "root" | "child";
  /** Id of the correlation rule that attached a child signal. */
  correlation?: string;
  /** Incident key the signal would have had on its own (children keep it for the record). */
  ownKey?: string;
  /** RFC 3339: the last notification that carried this signal. */
  lastSeenAt?: string;
  /** How many distinct firings (new `startsAt`) were seen for this signal. */
  firings?: number;
}

/** What happened to an incident, in order; rendered as the timeline table. */
export type TimelineEvent =
  | "firing"
  | "opened"
  | "signal-added"
  | "child-attached"
  | "signal-refired"
  | "signal-resolved"
  | "severity-raised"
  | "resolved"
  | "reopened"
  | "recurred"
  /** A remediation PR was opened, updated or merged (written by the remediation flow). */
  | "remediation"
  /** A rollout changed state: Progressing, Degraded, Healthy, reverted (written by the rollout watch). */
  | "rollout";

export interface TimelineEntry {
  /** RFC 3339. */
  at: string;
  event: TimelineEvent;
  /** Plain text (escaped when rendered). */
  detail: string;
  /** A link for the entry (a PR, a deployment); only plain http(s) URLs are rendered. */
  url?: string;
}

/** An incident: signals grouped under one incident key. */
export interface Incident {
  /** Stable key, e.g. `KubePodCrashLooping/shop/checkout`. */
  key: string;
  title: string;
  severity: Severity;
  status: "firing" | "resolved";
  /** The signals that make up the incident, the root signal first. */
  signals: Signal[];
  /** Labels that identify the target (alertname, namespace, and workload/node/pvc/ingress). */
  labels: Record<string, string>;
  /** Earliest `startsAt` among its signals (RFC 3339). */
  startsAt: string;
  /** When every signal resolved (RFC 3339). */
  resolvedAt?: string;
  /** GitHub login of the person who asked (manual incidents, `/remediate`). */
  requester?: string;
  /** RFC 3339: when the incident issue was opened (or reopened) — the end of MTTD. */
  openedAt?: string;
  /** RFC 3339: the last notification that carried any of its signals. */
  lastSeenAt?: string;
  /** Notifications received for this incident (HA copies and repeats included). */
  notifications?: number;
  /** What happened, oldest first (bounded: older entries are counted in `timelineDropped`). */
  timeline?: TimelineEntry[];
  /** Timeline entries dropped to keep the issue body under GitHub's size limit. */
  timelineDropped?: number;
  /** Signals not kept individually (group members over the cap); counted, and shown as a number. */
  signalOverflow?: number;
  /** Id of the runbook that matched (adds the `runbook:<id>` label), set by the runbook matcher hook. */
  runbookId?: string;
  /** Why no runbook matched (or the matcher could not tell), shown in the body instead of a label. */
  runbookNote?: string;
  /** Issue number of the earlier incident this one recurs (opened after the reopen window). */
  previousIssue?: number;
  /** Incident issue number once one exists. */
  issueNumber?: number;
}
