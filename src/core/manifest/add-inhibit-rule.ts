import { isDeepStrictEqual } from "node:util";
import { parseYaml } from "../yaml/parse-yaml.js";
import type { PatchResult } from "./types.js";
import { applyYamlOps, describeYamlError } from "./yaml-text/apply-yaml-ops.js";

/** "While `source` fires, do not notify for `target`" on the same `equal` labels. */
export interface InhibitRule {
  source: string;
  target: string;
  /** Label names that must be equal on both alerts (e.g. `namespace`, `node`); may be empty. */
  equal: readonly string[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Adds an Alertmanager inhibition rule. Two forms:
 * - an Alertmanager configuration file (`alertmanager.yml`, a top-level `route:`): appended to
 *   `inhibit_rules` with `source_matchers`/`target_matchers` (Alertmanager ≥ 0.22 syntax);
 * - an `AlertmanagerConfig` resource (prometheus-operator): appended to `spec.inhibitRules` with
 *   `sourceMatch`/`targetMatch` lists.
 * An existing rule for the same source and target alert names counts as present (`changed: false`).
 * A configuration embedded as text in a Secret is refused: it cannot be edited without rewriting the block.
 */
export function addInhibitRule(text: string, rule: InhibitRule, file = "<input>"): PatchResult {
  for (const [what, v] of [
    ["source alert", rule.source],
    ["target alert", rule.target],
    ...rule.equal.map((e) => ["equal label", e] as const),
  ] as const) {
    if (!NAME.test(v)) return { ok: false, reason: `${file}: invalid ${what} name "${v}"` };
  }
  if (rule.source === rule.target) return { ok: false, reason: `${file}: an alert cannot inhibit itself` };
  const parsed = parseYaml(text, file);
  if (!parsed.ok) return { ok: false, reason: describeYamlError(parsed.error) };
  for (const [docIndex, d] of parsed.documents.entries()) {
    const v = d.value as Record<string, unknown> | null;
    if (!v || typeof v !== "object" || Array.isArray(v)) continue;
    if (v["kind"] === "AlertmanagerConfig") {
      const spec = (v["spec"] ?? {}) as Record<string, unknown>;
      const existing = Array.isArray(spec["inhibitRules"]) ? spec["inhibitRules"] : [];
      if (existing.some((r) => sameCrdRule(r, rule))) return { ok: true, text, changed: false };
      return applyYamlOps(text, file, { docIndex, parsed }, [
        {
          op: "append",
          path: ["spec", "inhibitRules"],
          item: {
            sourceMatch: [{ name: "alertname", value: rule.source }],
            targetMatch: [{ name: "alertname", value: rule.target }],
            ...(rule.equal.length > 0 ? { equal: [...rule.equal] } : {}),
          },
        },
      ]);
    }
    if (v["kind"] === "Secret") {
      return {
        ok: false,
        reason: `${file}: the Alertmanager configuration is embedded in a Secret; point noise.alertmanagerConfig at the alertmanager.yml it is generated from`,
      };
    }
    if (v["kind"] === undefined && ("route" in v || "receivers" in v || "inhibit_rules" in v)) {
      const existing = Array.isArray(v["inhibit_rules"]) ? v["inhibit_rules"] : [];
      if (existing.some((r) => sameFileRule(r, rule))) return { ok: true, text, changed: false };
      return applyYamlOps(text, file, { docIndex, parsed }, [
        {
          op: "append",
          path: ["inhibit_rules"],
          item: {
            source_matchers: [`alertname="${rule.source}"`],
            target_matchers: [`alertname="${rule.target}"`],
            ...(rule.equal.length > 0 ? { equal: [...rule.equal] } : {}),
          },
        },
      ]);
    }
  }
  return { ok: false, reason: `${file}: no Alertmanager configuration or AlertmanagerConfig resource` };
}

function sameFileRule(r: unknown, rule: InhibitRule): boolean {
  if (!r || typeof r !== "object") return false;
  const o = r as Record<string, unknown>;
  const names = (matchers: unknown, legacy: unknown) => {
    const out: string[] = [];
    if (Array.isArray(matchers))
      for (const m of matchers) {
        const x = /^\s*alertname\s*=\s*"?([^"]*)"?\s*$/.exec(String(m));
        if (x) out.push(x[1]!);
      }
    if (legacy && typeof legacy === "object" && "alertname" in legacy)
      out.push(String((legacy as Record<string, unknown>)["alertname"]));
    return out;
  };
  return (
    names(o["source_matchers"], o["source_match"]).includes(rule.source) &&
    names(o["target_matchers"], o["target_match"]).includes(rule.target)
  );
}

function sameCrdRule(r: unknown, rule: InhibitRule): boolean {
  if (!r || typeof r !== "object") return false;
  const o = r as Record<string, unknown>;
  const has = (list: unknown, value: string) =>
    Array.isArray(list) &&
    list.some((m) => isDeepStrictEqual({ name: m?.name, value: m?.value }, { name: "alertname", value }));
  return has(o["sourceMatch"], rule.source) && has(o["targetMatch"], rule.target);
}
