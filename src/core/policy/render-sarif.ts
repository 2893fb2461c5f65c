import type { Evaluation } from "./evaluate-policies.js";
import type { KyvernoPolicy } from "./kyverno-policy.js";

/** GitHub code scanning reads `security-severity` (0–10) to rank alerts. */
const SECURITY_SEVERITY: Record<string, string> = {
  critical: "9.5",
  high: "7.5",
  medium: "5.0",
  low: "3.0",
  info: "1.0",
};

export interface SarifOptions {
  toolVersion: string;
  informationUri: string;
  /** Policies, for rule descriptions. */
  policies: KyvernoPolicy[];
}

/**
 * SARIF 2.1.0 for GitHub code scanning: one `reportingDescriptor` per policy/rule that produced a finding,
 * one result per fail, warn or error with its file and line. Passes and skips are not alerts.
 */
export function renderSarif(evaluations: Evaluation[], opts: SarifOptions): Record<string, unknown> {
  const findings = evaluations.filter(
    (e) => e.result === "fail" || e.result === "warn" || e.result === "error",
  );
  const byName = new Map(opts.policies.map((p) => [p.name, p]));
  const ruleIds: string[] = [];
  const rules: Record<string, unknown>[] = [];
  for (const e of findings) {
    const id = `${e.policy}/${e.rule}`;
    if (ruleIds.includes(id)) continue;
    ruleIds.push(id);
    const p = byName.get(e.policy);
    const properties: Record<string, unknown> = { tags: ["kyverno", ...(p?.category ? [p.category] : [])] };
    const sev = p?.severity ? SECURITY_SEVERITY[p.severity.toLowerCase()] : undefined;
    if (sev) properties["security-severity"] = sev;
    rules.push({
      id,
      name: `${e.policy}/${e.rule}`,
      shortDescription: { text: p?.title ? `${p.title} (${e.rule})` : `${e.policy}: ${e.rule}` },
      fullDescription: { text: p?.description ?? `Kyverno policy ${e.policy}, rule ${e.rule}` },
      defaultConfiguration: { level: e.action === "Enforce" ? "error" : "warning" },
      properties,
    });
  }
  const results = findings.map((e) => ({
    ruleId: `${e.policy}/${e.rule}`,
    ruleIndex: ruleIds.indexOf(`${e.policy}/${e.rule}`),
    level: e.result === "error" || (e.result === "fail" && e.action === "Enforce") ? "error" : "warning",
    message: {
      text: `${e.resource.kind}${e.resource.name ? ` ${e.resource.name}` : ""}: ${e.message}`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: e.file.replace(/\\/g, "/").replace(/^\.\//, ""), uriBaseId: "%SRCROOT%" },
          region: { startLine: e.line, startColumn: e.column },
        },
      },
    ],
    properties: {
      result: e.result,
      action: e.action,
      resource: e.resource,
      documentIndex: e.documentIndex,
    },
  }));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "gitops-medic",
            semanticVersion: opts.toolVersion,
            version: opts.toolVersion,
            informationUri: opts.informationUri,
            rules,
          },
        },
        results,
      },
    ],
  };
}
