import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { RepoFile } from "../../../src/core/manifest/index.js";

/** The example GitOps repository, read from disk by the test (the core itself never reads files). */
export const EXAMPLE_ROOT = join(import.meta.dirname, "../../../examples/gitops");

export function readExampleRepo(root: string = EXAMPLE_ROOT): RepoFile[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
  return walk(root)
    .map((p) => ({ path: relative(root, p).split(sep).join("/"), text: readFileSync(p, "utf8") }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

export function exampleFile(path: string): string {
  return readFileSync(join(EXAMPLE_ROOT, path), "utf8");
}
