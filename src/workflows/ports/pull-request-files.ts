/** A file a pull request changes, as GitHub lists it. */
export interface PullRequestFile {
  path: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  previousPath?: string;
}

/** Files of a pull request and of the repository at a revision (read-only). */
export interface PullRequestFiles {
  /** Every changed file; `truncated` when GitHub stopped listing (it lists at most 3,000). */
  listChangedFiles(number: number): Promise<{ files: PullRequestFile[]; truncated: boolean }>;
  /** Text of a file at a revision; `null` when absent, a folder, binary or too large. */
  readFile(ref: string, path: string): Promise<string | null>;
  /** File paths under a folder at a revision (recursive); empty when the folder does not exist. */
  listFiles(ref: string, folder: string): Promise<string[]>;
}
