import type { IncidentsConfig } from "../config/sections/incidents.js";
import { SEVERITIES, type Severity } from "./incident.js";

/** The severity an alert's labels map to; unknown or missing values get the configured default. */
export function mapSeverity(
  labels: Record<string, string>,
  opts: Pick<IncidentsConfig, "severityLabel" | "severityMap" | "defaultSeverity">,
): Severity {
  const raw = labels[opts.severityLabel]?.trim().toLowerCase();
  if (!raw) return opts.defaultSeverity;
  return opts.severityMap[raw] ?? opts.defaultSeverity;
}

/** The more severe of two severities (`critical` > `warning` > `info`). */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;
}
