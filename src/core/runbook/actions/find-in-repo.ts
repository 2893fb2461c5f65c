import { readResource } from "../../manifest/read-resource.js";
import type { FoundResource, ResourceRef } from "../../manifest/types.js";
import type { Workspace } from "./action.js";

/** Objects of a kind (and optionally name) in a namespace, across the repository's YAML files. */
export function findObjects(
  files: Workspace,
  kind: string,
  namespace: string | undefined,
  name?: string,
): { found: FoundResource; object: Record<string, unknown> }[] {
  const out: { found: FoundResource; object: Record<string, unknown> }[] = [];
  for (const f of files.resources()) {
    if (f.kind.toLowerCase() !== kind.toLowerCase()) continue;
    if (name !== undefined && f.name !== name) continue;
    // An object without a namespace gets one from Kustomize or Argo CD: it may be ours.
    if (namespace !== undefined && f.namespace !== undefined && f.namespace !== namespace) continue;
    const text = files.read(f.path);
    if (text === null) continue;
    const ref: ResourceRef = {
      kind: f.kind,
      name: f.name,
      ...(f.namespace ? { namespace: f.namespace } : {}),
    };
    const r = readResource(text, ref, f.path);
    if (r.ok) out.push({ found: f, object: r.value.object });
  }
  // Objects that declare the namespace first: they are the better match.
  return out.sort(
    (a, b) => Number(b.found.namespace !== undefined) - Number(a.found.namespace !== undefined),
  );
}

/** Where an object is declared: exactly one place, or the list of candidates. */
export function findOne(
  files: Workspace,
  kind: string,
  namespace: string,
  name: string,
): { ok: true; found: FoundResource; object: Record<string, unknown> } | { ok: false; candidates: string[] } {
  const all = findObjects(files, kind, namespace, name);
  const withNs = all.filter((x) => x.found.namespace === namespace);
  const pick = withNs.length > 0 ? withNs : all;
  if (pick.length === 1) return { ok: true, ...pick[0]! };
  return { ok: false, candidates: pick.map((x) => `${x.found.path}:${x.found.line}`) };
}

/** The ref to pass to patchers for a found object. */
export function refOf(f: FoundResource): ResourceRef {
  return { kind: f.kind, name: f.name, ...(f.namespace ? { namespace: f.namespace } : {}) };
}

export function get(o: unknown, ...path: string[]): unknown {
  let cur = o;
  for (const k of path) {
    if (typeof cur !== "object" || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}
