import { type Incident, SEVERITIES, type Severity, type Signal } from "./incident.js";

/** Issue-form symptoms and the alert names they stand for (so runbooks written for alerts match). */
export const SYMPTOM_ALERTS: Record<string, string> = {
  "crash-looping": "KubePodCrashLooping",
  "not-ready": "KubePodNotReady",
  "rollout-stuck": "KubeDeploymentRolloutStuck",
  "volume-filling-up": "KubePersistentVolumeFillingUp",
  "node-pressure": "KubeNodePressure",
  "hpa-maxed-out": "KubeHpaMaxedOut",
  "http-5xx": "NGINXTooMany500s",
  other: "ManualIncident",
};

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export interface ManualIssue {
  number: number;
  title: string;
  body: string | null;
  /** RFC 3339 creation time of the issue. */
  createdAt: string;
  /** Login of the person who filed it. */
  author: string;
}

export interface ManualIncident {
  incident: Incident;
  /** What could not be read (missing or invalid fields), for the acknowledgement comment. */
  problems: string[];
}

/**
 * Reads an incident filed by a person, from the issue form in `templates/.github/ISSUE_TEMPLATE/incident.yml`
 * (sections `### Namespace`, `### Workload`, `### Symptom`, `### Severity`, `### Description`). Names must be
 * valid Kubernetes names: they reach runbooks, and runbooks reach file paths.
 */
export function parseManualIncident(issue: ManualIssue): ManualIncident {
  const fields = parseIssueForm(issue.body ?? "");
  const problems: string[] = [];
  const namespace = fields["namespace"]?.toLowerCase();
  const workload = fields["workload"]?.toLowerCase();
  if (!namespace) problems.push("Namespace is missing");
  else if (!DNS1123_LABEL.test(namespace))
    problems.push("Namespace is not a valid Kubernetes namespace name");
  if (!workload) problems.push("Workload is missing");
  else if (!DNS1123_SUBDOMAIN.test(workload)) problems.push("Workload is not a valid Kubernetes object name");
  const symptom = fields["symptom"]?.toLowerCase() ?? "other";
  const alertname = SYMPTOM_ALERTS[symptom] ?? "ManualIncident";
  if (!SYMPTOM_ALERTS[symptom]) problems.push(`Symptom "${symptom}" is not one of the form's options`);
  const sevRaw = fields["severity"]?.toLowerCase() ?? "warning";
  const severity: Severity = (SEVERITIES as readonly string[]).includes(sevRaw)
    ? (sevRaw as Severity)
    : "warning";
  const labels: Record<string, string> = { alertname, severity, symptom };
  if (namespace && DNS1123_LABEL.test(namespace)) labels["namespace"] = namespace;
  if (workload && DNS1123_SUBDOMAIN.test(workload)) labels["deployment"] = workload;
  const key = ["manual", `issue-${issue.number}`].join("/");
  const signal: Signal = {
    source: "issue",
    name: alertname,
    status: "firing",
    labels,
    annotations: { summary: issue.title, description: fields["description"] ?? "" },
    startsAt: issue.createdAt,
    fingerprint: `issue-${issue.number}`,
    severity,
    role: "root",
  };
  return {
    incident: {
      key,
      title: issue.title,
      severity,
      status: "firing",
      signals: [signal],
      labels,
      startsAt: issue.createdAt,
      openedAt: issue.createdAt,
      requester: issue.author,
      issueNumber: issue.number,
      timeline: [{ at: issue.createdAt, event: "opened", detail: `filed by ${issue.author}` }],
    },
    problems,
  };
}

/**
 * GitHub issue forms render answers as `### Label` followed by the answer; `_No response_` means empty.
 * Returns lower-cased labels → trimmed answers.
 */
export function parseIssueForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  const parts = body.replace(/\r\n?/g, "\n").split(/^###[ \t]+/m);
  for (const part of parts.slice(1)) {
    const nl = part.indexOf("\n");
    const label = (nl < 0 ? part : part.slice(0, nl)).trim().toLowerCase();
    const value = (nl < 0 ? "" : part.slice(nl + 1)).trim();
    if (!label || value === "" || value === "_No response_") continue;
    out[label] = value.slice(0, 10_000);
  }
  return out;
}
