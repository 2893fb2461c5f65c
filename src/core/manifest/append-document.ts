import { isDeepStrictEqual } from "node:util";
import { stringify } from "yaml";
import { parseYaml } from "../yaml/parse-yaml.js";
import type { PatchResult } from "./types.js";
import { describeYamlError } from "./yaml-text/apply-yaml-ops.js";
import { selectDocument } from "./yaml-text/select-document.js";

/**
 * Adds a Kubernetes manifest (e.g. a Job) as a new document at the end of `text`, or as the text of a new
 * file when `text` is `null`. The object must have `apiVersion`, `kind` and `metadata.name`. An identical
 * object already in the file is `changed: false` (re-running a runbook adds nothing); a different object
 * with the same kind, name and namespace is refused.
 */
export function appendDocument(
  text: string | null,
  obj: object,
  options: { comment?: string } = {},
  file = "<input>",
): PatchResult {
  const o = obj as Record<string, unknown>;
  const meta = o["metadata"] as Record<string, unknown> | undefined;
  if (
    typeof o["apiVersion"] !== "string" ||
    typeof o["kind"] !== "string" ||
    typeof meta?.["name"] !== "string"
  ) {
    return { ok: false, reason: `${file}: the new document needs apiVersion, kind and metadata.name` };
  }
  const ref = {
    kind: o["kind"],
    name: meta["name"],
    ...(typeof meta["namespace"] === "string" ? { namespace: meta["namespace"] } : {}),
  };
  const existing = text ?? "";
  if (existing.trim() !== "") {
    const parsed = parseYaml(existing, file);
    if (!parsed.ok) return { ok: false, reason: describeYamlError(parsed.error) };
    const same = selectDocument(existing, ref, file);
    if (same.ok) {
      if (isDeepStrictEqual(same.selected.object, JSON.parse(JSON.stringify(obj)))) {
        return { ok: true, text: existing, changed: false };
      }
      return { ok: false, reason: `${file}: already has a different ${ref.kind} ${ref.name}` };
    }
  }
  const comment = (options.comment ?? "")
    .split(/\r?\n/)
    .filter((l, i, all) => l !== "" || (i > 0 && i < all.length - 1))
    .map((l) => (l === "" ? "#" : `# ${l}`))
    .join("\n");
  const body = stringify(obj, { version: "1.1", indent: 2, lineWidth: 0 });
  const doc = (comment ? `${comment}\n` : "") + body;
  if (existing.trim() === "") return { ok: true, text: doc, changed: true };
  if (/(^|\n)---[ \t]*\r?\n?$/.test(existing)) {
    // The file already ends with a document separator.
    return { ok: true, text: `${existing}${existing.endsWith("\n") ? "" : "\n"}${doc}`, changed: true };
  }
  const sep = existing.endsWith("\n") ? "" : "\n";
  return { ok: true, text: `${existing}${sep}---\n${doc}`, changed: true };
}
