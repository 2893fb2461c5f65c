import { describe, expect, it } from "vitest";
import { parseManualIncident } from "../../../src/core/incident/parse-manual-incident.js";

const form = (ns: string, wl: string, symptom = "crash-looping", severity = "critical") =>
  `### Namespace\n\n${ns}\n\n### Workload\n\n${wl}\n\n### Symptom\n\n${symptom}\n\n### Severity\n\n${severity}\n\n### Description\n\n_No response_\n`;

describe("parseManualIncident", () => {
  it.each([
    ["a complete form", form("shop", "checkout"), "KubePodCrashLooping", "shop", "checkout", "critical", []],
    [
      "upper case names are lowered",
      form("Shop", "Checkout", "not-ready", "info"),
      "KubePodNotReady",
      "shop",
      "checkout",
      "info",
      [],
    ],
    [
      "an invalid namespace",
      form("../etc", "checkout"),
      "KubePodCrashLooping",
      undefined,
      "checkout",
      "critical",
      ["Namespace is not a valid Kubernetes namespace name"],
    ],
    [
      "a shell-ish workload",
      form("shop", "$(rm -rf /)"),
      "KubePodCrashLooping",
      "shop",
      undefined,
      "critical",
      ["Workload is not a valid Kubernetes object name"],
    ],
    [
      "no form at all",
      "my site is down",
      "ManualIncident",
      undefined,
      undefined,
      "warning",
      ["Namespace is missing", "Workload is missing"],
    ],
    [
      "an unknown symptom and severity",
      form("shop", "cart", "weird", "apocalyptic"),
      "ManualIncident",
      "shop",
      "cart",
      "warning",
      ['Symptom "weird" is not one of the form\'s options'],
    ],
  ])("%s", (_name, body, alertname, namespace, workload, severity, problems) => {
    const res = parseManualIncident({
      number: 12,
      title: "Checkout down",
      body,
      createdAt: "2026-11-27T10:00:00Z",
      author: "alice",
    });
    expect(res.problems).toEqual(problems);
    expect(res.incident.signals[0]?.name).toBe(alertname);
    expect(res.incident.labels["namespace"]).toBe(namespace);
    expect(res.incident.labels["deployment"]).toBe(workload);
    expect(res.incident.severity).toBe(severity);
    expect(res.incident.requester).toBe("alice");
    expect(res.incident.key).toBe("manual/issue-12");
  });
});
