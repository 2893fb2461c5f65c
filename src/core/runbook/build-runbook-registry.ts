import { parseRunbook, type RunbookError } from "./parse-runbook.js";
import type { Runbook } from "./runbook.js";

/** Where a runbook came from: shipped with the app, or the repository's default branch. */
export type RunbookOrigin = "bundled" | "repository";

/** A runbook file's text and where it was read from. */
export interface RunbookSource {
  file: string;
  text: string;
  origin: RunbookOrigin;
  /** Git blob or commit the text was read at, when known (recorded in plans). */
  revision?: string;
}

/** A loaded runbook with its provenance. */
export interface RegisteredRunbook {
  runbook: Runbook;
  file: string;
  origin: RunbookOrigin;
  revision?: string;
}

/** The runbooks that loaded, and every file that did not (reported, never silently skipped). */
export interface RunbookRegistry {
  runbooks: RegisteredRunbook[];
  errors: RunbookError[];
}

/**
 * Loads bundled and repository runbooks. A broken file is reported with its file and field and left out;
 * the others still load. A repository runbook may not reuse a bundled id: replacing an approved runbook
 * from a repository would bypass the review the bundled one had, so the duplicate is reported instead.
 */
export function buildRunbookRegistry(sources: readonly RunbookSource[]): RunbookRegistry {
  const runbooks: RegisteredRunbook[] = [];
  const errors: RunbookError[] = [];
  const byId = new Map<string, RegisteredRunbook>();
  const ordered = [...sources].sort(
    (a, b) =>
      Number(a.origin === "repository") - Number(b.origin === "repository") || a.file.localeCompare(b.file),
  );
  for (const src of ordered) {
    const res = parseRunbook(src.text, src.file);
    if (!res.ok) {
      errors.push(res.error);
      continue;
    }
    const prior = byId.get(res.runbook.id);
    if (prior) {
      errors.push({
        file: src.file,
        field: "id",
        message: `runbook id "${res.runbook.id}" is already defined in ${prior.file}`,
      });
      continue;
    }
    const entry: RegisteredRunbook = {
      runbook: res.runbook,
      file: src.file,
      origin: src.origin,
      ...(src.revision ? { revision: src.revision } : {}),
    };
    byId.set(res.runbook.id, entry);
    runbooks.push(entry);
  }
  return { runbooks, errors };
}
