import { z } from "zod";

/** Alertmanager's zero time: a firing alert's `endsAt`. */
export const ZERO_TIME = "0001-01-01T00:00:00Z";

const LabelSet = z.record(z.string(), z.string());

/** One alert of an Alertmanager webhook notification (payload version 4). */
export const AlertmanagerAlert = z.looseObject({
  /** `firing` or `resolved`. */
  status: z.enum(["firing", "resolved"]),
  /** Identifying labels (alertname, namespace, pod, node, …). */
  labels: LabelSet,
  /** Descriptive annotations (summary, description, runbook_url, …). */
  annotations: LabelSet.default({}),
  /** RFC 3339 time the alert started firing. */
  startsAt: z.string(),
  /** RFC 3339 time the alert resolved; `0001-01-01T00:00:00Z` while firing. */
  endsAt: z.string().default(ZERO_TIME),
  /** Link to the expression in Prometheus. */
  generatorURL: z.string().default(""),
  /** Hash of the label set: stable for the same alert across firing and resolved. */
  fingerprint: z.string().default(""),
});
export type AlertmanagerAlert = z.infer<typeof AlertmanagerAlert>;

/**
 * Alertmanager `webhook_config` payload, version 4. Unknown extra fields (`notification_reason`,
 * `routeLabels` of newer releases) are accepted and kept.
 */
export const AlertmanagerPayload = z.looseObject({
  /** Payload format version; always "4" today. */
  version: z.literal("4"),
  /** `<route matchers>:<group labels>`; identifies the aggregation group. */
  groupKey: z.string(),
  /** Alerts left out because of `max_alerts`; missing members must not be read as resolved. */
  truncatedAlerts: z.number().int().nonnegative().default(0),
  /** `firing` when at least one alert of the group fires. */
  status: z.enum(["firing", "resolved"]),
  /** Name of the receiver that sent it. */
  receiver: z.string(),
  /** Labels the group is grouped by. */
  groupLabels: LabelSet.default({}),
  /** Labels all alerts of the group share. */
  commonLabels: LabelSet.default({}),
  /** Annotations all alerts of the group share. */
  commonAnnotations: LabelSet.default({}),
  /** Alertmanager's external URL (links back to silences). */
  externalURL: z.string().default(""),
  /** The whole group: firing and resolved members. */
  alerts: z.array(AlertmanagerAlert).max(10_000),
});
export type AlertmanagerPayload = z.infer<typeof AlertmanagerPayload>;

/** Validates a payload; on failure names the first failing field as a dotted path. */
export function parseAlertmanagerPayload(
  input: unknown,
): { ok: true; payload: AlertmanagerPayload } | { ok: false; path: string; message: string } {
  const res = AlertmanagerPayload.safeParse(input);
  if (res.success) return { ok: true, payload: res.data };
  const issue = res.error.issues[0];
  const path = issue ? issue.path.map(String).join(".") || "(root)" : "(root)";
  return { ok: false, path, message: issue?.message ?? "invalid payload" };
}
