import type { ArgoApplication } from "./argo-schemas.js";

/** An Argo CD Application by namespace and name. */
export interface AppRef {
  namespace: string;
  name: string;
}

/** `namespace/name`. */
export function appId(a: AppRef): string {
  return `${a.namespace}/${a.name}`;
}

/** `https://github.com/o/r.git`, `git@github.com:o/r`, `ssh://git@github.com/o/r` ⇒ `github.com/o/r` (lower-cased). */
export function normalizeRepoUrl(url: string): string {
  let u = url.trim().toLowerCase();
  u = u.replace(/^[a-z+]+:\/\//, "");
  u = u.replace(/^[^@/]+@/, "");
  u = u.replace(/^([^/:]+):(?!\d)/, "$1/");
  u = u.replace(/:\d+\//, "/");
  return u.replace(/\.git$/, "").replace(/\/+$/, "");
}

function underPath(file: string, dir: string | undefined): boolean {
  const d = (dir ?? "").replace(/^\.?\/+/, "").replace(/\/+$/, "");
  if (d === "" || d === ".") return true;
  return file === d || file.startsWith(`${d}/`);
}

/**
 * The Argo CD Applications that deploy any of the changed paths: the configured mapping
 * (`rollout.applications`, path prefix ⇒ Application) first; without a mapping hit, the Applications whose
 * `spec.source(s).repoURL` is this repository and whose `path` contains a changed file. Sorted, no
 * duplicates.
 */
export function findApplicationsForPaths(input: {
  /** `github.com/owner/name` (any URL form; normalised). */
  repoUrl: string;
  changedPaths: readonly string[];
  mapping: readonly { path: string; name: string; namespace: string }[];
  applications: readonly ArgoApplication[];
}): AppRef[] {
  const found = new Map<string, AppRef>();
  for (const m of input.mapping) {
    if (input.changedPaths.some((p) => underPath(p, m.path))) {
      const ref = { namespace: m.namespace, name: m.name };
      found.set(appId(ref), ref);
    }
  }
  if (found.size === 0) {
    const repo = normalizeRepoUrl(input.repoUrl);
    for (const app of input.applications) {
      const sources = [...(app.spec.source ? [app.spec.source] : []), ...(app.spec.sources ?? [])];
      const hit = sources.some(
        (s) =>
          s.repoURL !== undefined &&
          s.path !== undefined &&
          normalizeRepoUrl(s.repoURL) === repo &&
          input.changedPaths.some((p) => underPath(p, s.path)),
      );
      if (hit) {
        const ref = { namespace: app.metadata.namespace ?? "argocd", name: app.metadata.name };
        found.set(appId(ref), ref);
      }
    }
  }
  return [...found.values()].sort((a, b) => appId(a).localeCompare(appId(b)));
}
