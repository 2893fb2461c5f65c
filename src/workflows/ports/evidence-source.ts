import type { RecordedExport } from "../../core/evidence/recorded-export.js";

/** Progress of a long export, for a progress bar. */
export interface ExportProgress {
  /** What is being read, e.g. `issues`, `pull requests`, `check runs`. */
  phase: string;
  done: number;
  /** Known total, or null while paginating. */
  total: number | null;
}

/** Where the history comes from: the GitHub API, or a recorded export file. */
export interface EvidenceSource {
  readonly kind: "github" | "file";
  /** `owner/name` or the file path, for messages and the report. */
  readonly name: string;
  /** The recorded export of [since, until) (a file source returns what it holds; the range is applied later). */
  fetchExport(
    range: { since: string; until: string },
    onProgress?: (p: ExportProgress) => void,
  ): Promise<RecordedExport>;
}
