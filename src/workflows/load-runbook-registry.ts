import {
  buildRunbookRegistry,
  type RunbookRegistry,
  type RunbookSource,
} from "../core/runbook/build-runbook-registry.js";
import type { GitOpsRepo } from "./ports/gitops-repo.js";

/** Where a repository keeps its own runbooks (read from its default branch only). */
export const REPO_RUNBOOKS_DIR = ".github/medic/runbooks";

/**
 * The bundled runbooks plus the repository's own, read through a GitOpsRepo that must be at the default
 * branch: a runbook on a feature branch or in a pull request does not exist. Broken files are reported in
 * `errors` and left out; the others load.
 */
export async function loadRunbookRegistry(
  bundled: readonly RunbookSource[],
  defaultBranch: GitOpsRepo | null,
): Promise<RunbookRegistry> {
  const sources: RunbookSource[] = [...bundled];
  if (defaultBranch) {
    const revision = await defaultBranch.revision();
    const files = (await defaultBranch.listFiles(REPO_RUNBOOKS_DIR)).filter((p) =>
      new RegExp(`^${REPO_RUNBOOKS_DIR.replace(/\./g, "\\.")}/[^/]+\\.ya?ml$`).test(p),
    );
    for (const file of files) {
      const text = await defaultBranch.readFile(file);
      if (text !== null) sources.push({ file, text, origin: "repository", revision });
    }
  }
  return buildRunbookRegistry(sources);
}
