import { readdir, readFile, stat } from "node:fs/promises";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { TextFile } from "../../core/policy/load-policies.js";

/** The bundled `policies/` folder of the installed package (same relative place from src/ and dist/). */
export function bundledPoliciesDir(): string {
  return fileURLToPath(new URL("../../../policies/", import.meta.url));
}

/**
 * Reads YAML files: each path is a file, or a folder searched recursively for `*.yaml` / `*.yml`
 * (skipping dot-folders and `node_modules`). Names are shown relative to `cwd`. A missing path throws.
 */
export async function readYamlFiles(
  paths: string[],
  cwd: string,
  opts: { recursive?: boolean } = {},
): Promise<TextFile[]> {
  const out: TextFile[] = [];
  const recursive = opts.recursive ?? true;
  const visit = async (abs: string, top: boolean): Promise<void> => {
    const st = await stat(abs);
    if (st.isDirectory()) {
      if (!top && !recursive) return;
      const entries = (await readdir(abs)).sort();
      for (const e of entries) {
        if (e.startsWith(".") || e === "node_modules") continue;
        const child = path.join(abs, e);
        const cst = await stat(child);
        if (cst.isDirectory()) {
          if (recursive) await visit(child, false);
        } else if (/\.ya?ml$/i.test(e)) await visit(child, false);
      }
      return;
    }
    const rel = path.relative(cwd, abs);
    out.push({
      file: (rel.startsWith("..") ? abs : rel).split(path.sep).join("/"),
      text: await readFile(abs, "utf8"),
    });
  };
  for (const p of paths) await visit(path.resolve(cwd, p), true);
  return out;
}
