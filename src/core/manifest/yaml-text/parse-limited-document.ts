import type { LineCounter } from "yaml";
import type { ParsedDocument, YamlError } from "../../yaml/parse-yaml.js";
import { parseLimited } from "./parse-limited.js";

/** `parseYamlDocument` over `parseLimited`: exactly one non-empty document. */
export function parseLimitedDocument(
  text: string,
  file: string,
): { ok: true; document: ParsedDocument; lineCounter: LineCounter } | { ok: false; error: YamlError } {
  const res = parseLimited(text, file);
  if (!res.ok) return res;
  const nonEmpty = res.documents.filter((d) => d.value !== null);
  if (nonEmpty.length > 1) {
    return { ok: false, error: { file, message: `expected one YAML document, found ${nonEmpty.length}` } };
  }
  const document = nonEmpty[0] ?? res.documents[0];
  if (!document) return { ok: false, error: { file, message: "file is empty" } };
  return { ok: true, document, lineCounter: res.lineCounter };
}
