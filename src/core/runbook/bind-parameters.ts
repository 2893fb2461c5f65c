import type { Incident } from "../incident/incident.js";
import type { Runbook } from "./runbook.js";
import { validateParameter } from "./validate-parameter.js";

/** What parameters can be bound from, besides the incident itself. */
export interface BindingSources {
  /** `.github/medic.yml` `runbooks.parameters.<runbook id>`. */
  config: Readonly<Record<string, string>>;
  /** Facts derived from the cluster or naming rules, e.g. `workload.name`, `workload.kind`. */
  facts: Readonly<Record<string, string>>;
}

/** A bound parameter: its value and where it came from (shown in the plan's evidence). */
export interface BoundParameter {
  value: string;
  source: string;
}

export type BindResult =
  | { ok: true; values: Record<string, string>; bound: Record<string, BoundParameter> }
  | { ok: false; parameter: string; message: string };

/**
 * Binds each declared parameter from the first source that has a value, then validates it. Every value
 * passes validation, whatever its source: alert labels come from outside and are attacker-controlled.
 */
export function bindParameters(
  runbook: Runbook,
  incident: Pick<Incident, "labels" | "signals">,
  sources: BindingSources,
): BindResult {
  const values: Record<string, string> = {};
  const bound: Record<string, BoundParameter> = {};
  const annotations = incident.signals[0]?.annotations ?? {};
  for (const p of runbook.parameters) {
    let found: BoundParameter | undefined;
    for (const from of p.from) {
      const [kind, key = ""] = splitOnce(from, ":");
      const v =
        kind === "label"
          ? incident.labels[key]
          : kind === "annotation"
            ? annotations[key]
            : kind === "config"
              ? sources.config[p.name]
              : sources.facts[key];
      if (v !== undefined && v !== "") {
        found = {
          value: v,
          source: kind === "config" ? `config runbooks.parameters.${runbook.id}.${p.name}` : from,
        };
        break;
      }
    }
    if (!found && p.default !== undefined) found = { value: p.default, source: "default" };
    if (!found) {
      if (!p.required) continue;
      const tried = p.from.length > 0 ? p.from.join(", ") : "no source";
      return {
        ok: false,
        parameter: p.name,
        message: `parameter "${p.name}" has no value (tried ${tried}); set runbooks.parameters.${runbook.id}.${p.name} in .github/medic.yml or add the label to the alert`,
      };
    }
    const checked = validateParameter(p.type, found.value, p.pattern);
    if (!checked.ok) {
      return {
        ok: false,
        parameter: p.name,
        message: `parameter "${p.name}" from ${found.source}: ${checked.reason}`,
      };
    }
    values[p.name] = checked.value;
    bound[p.name] = { value: checked.value, source: found.source };
  }
  return { ok: true, values, bound };
}

/** Replaces `{{name}}` in a step input with bound values; unknown names were refused at load time. */
export function expandPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_m, name: string) => values[name] ?? "");
}

function splitOnce(s: string, sep: string): [string, string?] {
  const i = s.indexOf(sep);
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + 1)];
}
