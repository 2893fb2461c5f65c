import { parseYaml } from "../yaml/parse-yaml.js";
import type { FoundResource, RepoFile } from "./types.js";

/** A file the scan could not read, with the reason; the scan goes on without it. */
export interface ScanProblem {
  path: string;
  line?: number;
  message: string;
}

/**
 * Every Kubernetes object (a mapping with string `apiVersion`, `kind` and `metadata.name`) in the YAML
 * and JSON files given, with its file, document index and line. Other YAML (values files, configs) is
 * skipped silently; Helm chart templates (under `templates/` next to a `Chart.yaml`) are not YAML until
 * rendered and are skipped too. Files that fail to parse are reported in `problems`, not thrown.
 */
export function findResources(files: RepoFile[]): { resources: FoundResource[]; problems: ScanProblem[] } {
  const chartDirs = new Set(
    files
      .filter((f) => /(^|\/)Chart\.ya?ml$/.test(f.path))
      .map((f) => f.path.replace(/\/?Chart\.ya?ml$/, "")),
  );
  const resources: FoundResource[] = [];
  const problems: ScanProblem[] = [];
  for (const f of files) {
    if (!/\.(ya?ml|json)$/i.test(f.path)) continue;
    if (isChartTemplate(f.path, chartDirs)) continue;
    // Terraform JSON and tfvars are JSON but never Kubernetes objects.
    if (/\.tf\.json$|\.tfvars\.json$/.test(f.path)) continue;
    const parsed = parseYaml(f.text, f.path);
    if (!parsed.ok) {
      problems.push({
        path: f.path,
        ...(parsed.error.line ? { line: parsed.error.line } : {}),
        message: parsed.error.message,
      });
      continue;
    }
    for (const d of parsed.documents) {
      const start = d.doc.contents?.range?.[0] ?? 0;
      const line = parsed.lineCounter.linePos(start).line;
      const obj = d.value;
      const found = describe(obj, f.path, d.index, line);
      if (found) resources.push(found);
      const o = obj as Record<string, unknown> | null;
      if (o && typeof o === "object" && o["kind"] === "List" && Array.isArray(o["items"])) {
        o["items"].forEach((item, itemIndex) => {
          const r = describe(item, f.path, d.index, line);
          if (r) resources.push({ ...r, itemIndex });
        });
      }
    }
  }
  return { resources, problems };
}

function isChartTemplate(path: string, chartDirs: Set<string>): boolean {
  for (const dir of chartDirs) {
    const prefix = dir === "" ? "templates/" : `${dir}/templates/`;
    if (path.startsWith(prefix)) return true;
  }
  return false;
}

function describe(obj: unknown, path: string, docIndex: number, line: number): FoundResource | null {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return null;
  const o = obj as Record<string, unknown>;
  const meta = o["metadata"] as Record<string, unknown> | undefined;
  if (typeof o["apiVersion"] !== "string" || typeof o["kind"] !== "string") return null;
  if (typeof meta !== "object" || meta === null || typeof meta["name"] !== "string") return null;
  const ns = meta["namespace"];
  return {
    path,
    docIndex,
    kind: o["kind"],
    apiVersion: o["apiVersion"],
    name: meta["name"],
    ...(typeof ns === "string" ? { namespace: ns } : {}),
    line,
  };
}
