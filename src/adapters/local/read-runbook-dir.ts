import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunbookOrigin, RunbookSource } from "../../core/runbook/build-runbook-registry.js";

/** Runbook files are small; a larger file is refused before it is read. */
const MAX_RUNBOOK_BYTES = 256 * 1024;

/** The bundled `runbooks/` folder of the installed package (same relative place from src/ and dist/). */
export function bundledRunbooksDir(): string {
  return fileURLToPath(new URL("../../../runbooks/", import.meta.url));
}

/**
 * The `*.yaml` / `*.yml` files directly in `dir` (not its sub-folders: `tests/` holds test cases), as
 * runbook sources named `<label>/<file>`. An oversized file becomes a source whose text fails to parse
 * with a clear message, so it is reported like any broken runbook.
 */
export async function readRunbookDir(
  dir: string,
  origin: RunbookOrigin,
  label: string,
): Promise<RunbookSource[]> {
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  const out: RunbookSource[] = [];
  for (const name of names) {
    const abs = join(dir, name);
    const st = await stat(abs);
    if (!st.isFile()) continue;
    const file = `${label.replace(/\/$/, "")}/${name}`;
    if (st.size > MAX_RUNBOOK_BYTES) {
      out.push({ file, origin, text: `# file of ${st.size} bytes refused\n: [` });
      continue;
    }
    out.push({ file, origin, text: await readFile(abs, "utf8") });
  }
  return out;
}
