import { z } from "zod";
import { CorrelationRule, DEFAULT_CORRELATION_RULES } from "../../incident/correlation-rule.js";
import { SEVERITIES } from "../../incident/incident.js";
import { Duration } from "../../util/duration.js";

/**
 * The bundled target labels: the first present identifies what is broken, so the most specific come
 * first. `node` is last: kubelet-sourced alerts (KubePersistentVolumeFillingUp) and many pod alerts also
 * carry the node they ran on, which must not become the incident's identity. `service` is not here: on
 * kube-state-metrics and kubelet alerts it names the scrape target (`kube-prometheus-stack-kubelet`).
 */
export const DEFAULT_TARGET_LABELS = [
  "persistentvolumeclaim",
  "ingress",
  "horizontalpodautoscaler",
  "deployment",
  "rollout",
  "statefulset",
  "daemonset",
  "job_name",
  "cronjob",
  "pod",
  "node",
];

/** How alerts become incident issues. */
export const IncidentsConfig = z.strictObject({
  /**
   * Labels that make up the incident key, after `alertname`. Each entry is a label name, or a list of
   * alternatives of which the first present is used; absent entries are skipped.
   */
  keyLabels: z
    .array(z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]))
    .default(["namespace", DEFAULT_TARGET_LABELS]),
  /** Use the workload name (pod name minus ReplicaSet/StatefulSet suffixes) instead of the pod name in keys. */
  podToWorkload: z.boolean().default(true),
  /** The alert label that carries the severity. */
  severityLabel: z.string().min(1).default("severity"),
  /** Maps severity label values (lower-cased) to a severity; unknown values get `defaultSeverity`. */
  severityMap: z.record(z.string(), z.enum(SEVERITIES)).default({
    critical: "critical",
    page: "critical",
    high: "critical",
    error: "critical",
    p1: "critical",
    warning: "warning",
    warn: "warning",
    medium: "warning",
    p2: "warning",
    info: "info",
    low: "info",
    none: "info",
    p3: "info",
  }),
  /** Severity when the label is missing or unknown. */
  defaultSeverity: z.enum(SEVERITIES).default("warning"),
  /** What to do with the issue when the incident resolves: close it, or keep it open and add a label. */
  onResolve: z.enum(["close", "label"]).default("close"),
  /** Label added on resolve when `onResolve` is `label`. */
  resolvedLabel: z.string().min(1).max(50).default("resolved"),
  /** A recurrence within this window after closing reopens the issue; later ones open a new linked issue. */
  reopenWindow: Duration.default("24h"),
  /** At most one comment per issue within this period (body updates are not limited). */
  commentCooldown: Duration.default("5m"),
  /** Refires that change only counts and "last seen" update the body at most this often. */
  bodyUpdateInterval: Duration.default("1m"),
  /** Allow an alert label `medic_repo: owner/name` to route the incident to another repository. */
  allowRepoLabel: z.boolean().default(false),
  /** Repositories an alert label may route to when `allowRepoLabel` is on. */
  allowedRepos: z.array(z.string().regex(/^[\w.-]+\/[\w.-]+$/)).default([]),
  /** Extra labels put on every incident issue. */
  labels: z.array(z.string().min(1).max(50)).default([]),
  /**
   * At most this many new incident issues per hour; further new incidents are listed in one "alert storm"
   * summary issue instead (GitHub allows 500 content-creating requests per hour, updates included).
   */
  maxNewIssuesPerHour: z.number().int().min(1).max(400).default(100),
  /** Correlation across layers: attach symptoms to the root incident instead of opening more issues. */
  correlation: z
    .strictObject({
      /** Turn correlation on or off. */
      enabled: z.boolean().default(true),
      /** The rules; replaces the bundled set when given. */
      rules: z.array(CorrelationRule).default(DEFAULT_CORRELATION_RULES),
    })
    .prefault({}),
});
export type IncidentsConfig = z.infer<typeof IncidentsConfig>;
