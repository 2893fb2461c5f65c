import type { RunbookRegistry, RunbookSource } from "../core/runbook/build-runbook-registry.js";
import { loadRunbookRegistry } from "./load-runbook-registry.js";
import type { BaseSnapshot } from "./ports/change-requests.js";

/** Parsed runbooks by `repository@revision` of the default branch. */
export type RegistryCache = Map<string, Promise<RunbookRegistry>>;

/**
 * `loadRunbookRegistry` through a small cache: runbooks are read from one commit, so the parse of that
 * commit's runbooks is reused until the branch moves. Keeps the last 16; a failed load is not kept.
 */
export async function loadCachedRunbookRegistry(
  bundled: readonly RunbookSource[],
  repo: BaseSnapshot,
  cache?: RegistryCache,
): Promise<RunbookRegistry> {
  if (!cache) return loadRunbookRegistry(bundled, repo);
  const key = `${repo.name}@${await repo.revision()}`;
  let p = cache.get(key);
  if (!p) {
    p = loadRunbookRegistry(bundled, repo);
    p.catch(() => cache.delete(key));
    cache.set(key, p);
    while (cache.size > 16) cache.delete(cache.keys().next().value!);
  }
  return p;
}
