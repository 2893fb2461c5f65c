import type { LabelSelector, MatchBlock, ResourceDescription, ResourceFilter } from "./kyverno-policy.js";
import type { PolicyResource } from "./load-resources.js";
import { matchWildcard } from "./match-wildcard.js";

/** `true` / `false`, or why it cannot be decided from a manifest alone. */
export type MatchOutcome = boolean | { unsupported: string };

/**
 * Kyverno `match` / `exclude` over a manifest: `any` (one filter), `all` (every filter); in a filter every
 * given field must hold. Admission user info (`subjects`, `roles`, `clusterRoles`) does not exist for a file
 * in Git: in `match` it makes the rule undecidable (skip), in `exclude` it excludes nothing.
 */
export function matchBlock(block: MatchBlock, res: PolicyResource, mode: "match" | "exclude"): MatchOutcome {
  let result: MatchOutcome | undefined;
  if (block.any && block.any.length > 0) {
    let unsupported: MatchOutcome | undefined;
    let hit = false;
    for (const f of block.any) {
      const r = matchFilter(f, res, mode);
      if (r === true) {
        hit = true;
        break;
      }
      if (r !== false) unsupported ??= r;
    }
    result = hit ? true : (unsupported ?? false);
  }
  if (result === false) return false;
  if (block.all && block.all.length > 0) {
    let unsupported: MatchOutcome | undefined;
    for (const f of block.all) {
      const r = matchFilter(f, res, mode);
      if (r === false) return false;
      if (r !== true) unsupported ??= r;
    }
    if (unsupported) return unsupported;
    result ??= true;
  }
  return result ?? false;
}

function matchFilter(f: ResourceFilter, res: PolicyResource, mode: "match" | "exclude"): MatchOutcome {
  if (f.userInfo) {
    if (mode === "exclude") return false;
    return { unsupported: "match by subjects, roles or clusterRoles (admission user info)" };
  }
  if (!f.resources) return mode === "match";
  return matchDescription(f.resources, res);
}

export function matchDescription(d: ResourceDescription, res: PolicyResource): MatchOutcome {
  const { ref } = res;
  if (d.kinds && !d.kinds.some((k) => matchKind(k, ref.apiVersion, ref.kind))) return false;
  if (d.names && !d.names.some((n) => matchWildcard(n, ref.name))) return false;
  if (d.namespaces) {
    const ns = ref.kind === "Namespace" ? ref.name : ref.namespace;
    if (!ns || !d.namespaces.some((n) => matchWildcard(n, ns))) return false;
  }
  if (d.operations && !d.operations.some((o) => o === "CREATE" || o === "UPDATE")) return false;
  const meta = (res.object.metadata ?? {}) as Record<string, unknown>;
  if (d.annotations) {
    const ann = (meta.annotations ?? {}) as Record<string, unknown>;
    for (const [k, pattern] of Object.entries(d.annotations)) {
      const keys = Object.keys(ann).filter((a) => matchWildcard(k, a));
      if (!keys.some((a) => typeof ann[a] === "string" && matchWildcard(pattern, ann[a] as string)))
        return false;
    }
  }
  if (d.selector && !matchSelector(d.selector, (meta.labels ?? {}) as Record<string, unknown>)) return false;
  if (d.namespaceSelector)
    return { unsupported: "namespaceSelector (needs the namespace's labels from a cluster)" };
  return true;
}

/** Kind selectors: `Pod`, `v1/Pod`, `apps/v1/Deployment`, and wildcards in any part (`*`). */
export function matchKind(selector: string, apiVersion: string, kind: string): boolean {
  const parts = selector.split("/");
  if (parts.length === 1) return matchWildcard(parts[0]!, kind);
  if (parts.length === 2) {
    if (!matchWildcard(parts[1]!, kind)) return false;
    const version = apiVersion.slice(apiVersion.lastIndexOf("/") + 1);
    return matchWildcard(parts[0]!, apiVersion) || matchWildcard(parts[0]!, version);
  }
  if (parts.length === 3) {
    return (
      matchWildcard(parts[2]!, kind) &&
      matchWildcard(`${parts[0]}/${parts[1]}`, apiVersion.includes("/") ? apiVersion : `/${apiVersion}`)
    );
  }
  // `group/version/Kind/subresource`: subresources are admission requests, never manifests.
  return false;
}

/** The bare kind of a selector (`apps/v1/Deployment` ⇒ `Deployment`). */
export function kindOfSelector(selector: string): string {
  const parts = selector.split("/");
  return parts.length >= 3 ? parts[2]! : parts[parts.length - 1]!;
}

function matchSelector(sel: LabelSelector, labels: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    const l = labels[k];
    if (typeof l !== "string" || !matchWildcard(v, l)) return false;
  }
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const val = String(labels[e.key] ?? "");
    const values = e.values ?? [];
    switch (e.operator) {
      case "In":
        if (!has || !values.some((v) => matchWildcard(v, val))) return false;
        break;
      case "NotIn":
        if (has && values.some((v) => matchWildcard(v, val))) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
    }
  }
  return true;
}
