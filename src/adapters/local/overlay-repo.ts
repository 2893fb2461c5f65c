import { checkRepoPath } from "../../core/runbook/validate-parameter.js";
import type { GitOpsRepo } from "../../workflows/ports/gitops-repo.js";

/**
 * A repository with some files replaced or added in memory (runbook test cases vary a fixture without
 * copying it). Overlay paths are validated like any repository path.
 */
export function overlayRepo(base: GitOpsRepo, files: Readonly<Record<string, string>>): GitOpsRepo {
  const extra = new Map<string, string>();
  for (const [path, text] of Object.entries(files)) {
    const p = checkRepoPath(path);
    if (!p.ok) throw new Error(`files.${path}: ${p.reason}`);
    extra.set(p.value, text);
  }
  if (extra.size === 0) return base;
  return {
    name: `${base.name} (with ${extra.size} test file(s))`,
    revision: () => base.revision(),
    async listFiles(prefix?: string) {
      const all = new Set(await base.listFiles(prefix));
      for (const p of extra.keys()) if (!prefix || p.startsWith(`${prefix.replace(/\/$/, "")}/`)) all.add(p);
      return [...all].sort();
    },
    async readFile(path: string) {
      return extra.get(path) ?? base.readFile(path);
    },
  };
}
