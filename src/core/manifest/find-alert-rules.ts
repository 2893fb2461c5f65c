import { parseYaml } from "../yaml/parse-yaml.js";
import type { ReadResult } from "./types.js";
import type { ParsedYaml, YamlPath } from "./yaml-text/apply-yaml-ops.js";
import { describeYamlError } from "./yaml-text/apply-yaml-ops.js";

/** One alerting rule found in a file. */
export interface AlertRuleLocation {
  /** 0-based YAML document index. */
  docIndex: number;
  /** Key path of the rule mapping inside its document (`spec.groups[0].rules[2]` or `groups[0].rules[2]`). */
  path: YamlPath;
  /** The rule group's name. */
  group: string;
  /** The rule as plain data. */
  rule: Record<string, unknown>;
  /** `PrometheusRule` resource or a plain Prometheus rule file. */
  form: "PrometheusRule" | "rule-file";
}

/**
 * Every alerting rule named `alertname` in a YAML file: `PrometheusRule` resources (`spec.groups[].rules[]`,
 * any number of documents) and plain Prometheus rule files (`groups[].rules[]`). Recording rules and other
 * kinds are skipped. `parsed` reuses a parse the caller already has.
 */
export function findAlertRules(
  text: string,
  alertname: string,
  file = "<input>",
  parsed?: ParsedYaml,
): ReadResult<{ rules: AlertRuleLocation[]; parsed: ParsedYaml }> {
  const res = parsed ?? parseYaml(text, file);
  if (!res.ok) return { ok: false, reason: describeYamlError(res.error) };
  const rules: AlertRuleLocation[] = [];
  res.documents.forEach((d, docIndex) => {
    const v = d.value;
    if (!isMap(v)) return;
    let groups: unknown;
    let base: YamlPath;
    let form: AlertRuleLocation["form"];
    if (v["kind"] === "PrometheusRule" && isMap(v["spec"])) {
      groups = v["spec"]["groups"];
      base = ["spec", "groups"];
      form = "PrometheusRule";
    } else if (v["kind"] === undefined && Array.isArray(v["groups"])) {
      groups = v["groups"];
      base = ["groups"];
      form = "rule-file";
    } else return;
    if (!Array.isArray(groups)) return;
    groups.forEach((g, gi) => {
      if (!isMap(g) || !Array.isArray(g["rules"])) return;
      g["rules"].forEach((r, ri) => {
        if (isMap(r) && r["alert"] === alertname) {
          rules.push({
            docIndex,
            path: [...base, gi, "rules", ri],
            group: typeof g["name"] === "string" ? g["name"] : "",
            rule: r,
            form,
          });
        }
      });
    });
  });
  return { ok: true, value: { rules, parsed: res } };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
