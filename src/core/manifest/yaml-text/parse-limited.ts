import { type ParseYamlResult, parseYaml } from "../../yaml/parse-yaml.js";

/** `parseYaml` (which now refuses too many documents before parsing); kept as the manifest modules' entry. */
export function parseLimited(text: string, file: string): ParseYamlResult {
  return parseYaml(text, file);
}
