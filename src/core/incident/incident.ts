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
}
