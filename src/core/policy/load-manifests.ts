import { parseYaml, type YamlError } from "../yaml/parse-yaml.js";
import type { TextFile } from "./load-policies.js";
import { loadResources, type PolicyResource } from "./load-resources.js";

/** Parses manifest files into resources; a file that is not valid YAML is an error naming file and line. */
export function loadManifests(files: TextFile[]): { resources: PolicyResource[]; errors: YamlError[] } {
  const resources: PolicyResource[] = [];
  const errors: YamlError[] = [];
  for (const f of files) {
    const parsed = parseYaml(f.text, f.file);
    if (!parsed.ok) {
      errors.push(parsed.error);
      continue;
    }
    resources.push(...loadResources(parsed.documents, f.file, parsed.lineCounter));
  }
  return { resources, errors };
}
