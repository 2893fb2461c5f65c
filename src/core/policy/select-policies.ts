import type { PolicyConfig } from "../config/sections/policy.js";
import type { KyvernoPolicy } from "./kyverno-policy.js";

/** The bundled policy whose registry list comes from `policy.allowedRegistries`. */
export const REGISTRY_POLICY = "restrict-image-registries";

export interface SelectedPolicies {
  policies: KyvernoPolicy[];
  /** Human-readable notes for summaries: policies turned off or replaced, and why. */
  notes: string[];
}

/**
 * The policies a repository runs: the bundled ones minus `policy.disabledPolicies`, with the registry list
 * of `restrict-image-registries` taken from `policy.allowedRegistries` (off when that list is empty), plus
 * the repository's own policies, which replace a bundled policy of the same name.
 */
export function selectPolicies(
  bundled: KyvernoPolicy[],
  repo: KyvernoPolicy[],
  config: Pick<PolicyConfig, "allowedRegistries" | "disabledPolicies">,
): SelectedPolicies {
  const notes: string[] = [];
  const disabled = new Set(config.disabledPolicies);
  const repoNames = new Set(repo.map((p) => p.name));
  const out: KyvernoPolicy[] = [];
  for (const p of bundled) {
    if (repoNames.has(p.name)) {
      notes.push(`${p.name}: the repository's policy replaces the bundled one`);
      continue;
    }
    if (disabled.has(p.name)) {
      notes.push(`${p.name}: off (policy.disabledPolicies)`);
      continue;
    }
    if (p.name === REGISTRY_POLICY) {
      if (config.allowedRegistries.length === 0) {
        notes.push(`${p.name}: off (policy.allowedRegistries is empty)`);
        continue;
      }
      out.push(withRegistries(p, config.allowedRegistries));
      continue;
    }
    out.push(p);
  }
  for (const p of repo) {
    if (disabled.has(p.name)) {
      notes.push(`${p.name}: off (policy.disabledPolicies)`);
      continue;
    }
    out.push(p);
  }
  return { policies: out, notes };
}

/** `ghcr.io/acme` ⇒ `ghcr.io/acme/*`; entries with wildcards are used as written. */
export function registryPattern(registries: string[]): string {
  return registries
    .map((r) => (r.includes("*") || r.includes("?") ? r : `${r.replace(/\/+$/, "")}/*`))
    .join(" | ");
}

function withRegistries(p: KyvernoPolicy, registries: string[]): KyvernoPolicy {
  const pattern = registryPattern(registries);
  const replace = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(replace);
    if (v && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, k === "image" && typeof x === "string" ? pattern : replace(x)]),
      );
    }
    return v;
  };
  return {
    ...p,
    rules: p.rules.map((r) =>
      r.validate?.pattern ? { ...r, validate: { ...r.validate, pattern: replace(r.validate.pattern) } } : r,
    ),
  };
}
