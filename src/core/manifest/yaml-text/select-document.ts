import { parseYaml } from "../../yaml/parse-yaml.js";
import type { ResourceRef } from "../types.js";
import { describeYamlError, type ParsedYaml, type YamlPath } from "./apply-yaml-ops.js";

/** The Kubernetes object a patcher edits: its document, the key path to it, and its plain value. */
export interface SelectedObject {
  docIndex: number;
  /** `[]` for a document, `["items", i]` for an item of a `kind: List` document. */
  basePath: YamlPath;
  object: Record<string, unknown>;
  /** 1-based line of the document start. */
  line: number;
  /** The parse of the whole file, for `applyYamlOps` to reuse. */
  parsed: ParsedYaml;
}

/** A Kubernetes object as seen by the selector. */
interface Candidate extends SelectedObject {
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * Parses `text` and selects the one object `ref` names. Not found and ambiguous are reasons that list what
 * the file does contain, so a person can fix the mapping or the alert labels.
 */
export function selectDocument(
  text: string,
  ref: ResourceRef,
  file: string,
): { ok: true; selected: SelectedObject } | { ok: false; reason: string } {
  const parsed = parseYaml(text, file);
  if (!parsed.ok) return { ok: false, reason: describeYamlError(parsed.error) };
  const all: Candidate[] = [];
  for (const d of parsed.documents) {
    const start = d.doc.contents?.range?.[0] ?? 0;
    const line = parsed.lineCounter.linePos(start).line;
    const obj = asObject(d.value);
    if (!obj) continue;
    const c = describe(obj, d.index, [], line, parsed);
    if (c) all.push(c);
    if (obj["kind"] === "List" && Array.isArray(obj["items"])) {
      obj["items"].forEach((item, i) => {
        const o = asObject(item);
        const ci = o ? describe(o, d.index, ["items", i], line, parsed) : null;
        if (ci) all.push(ci);
      });
    }
  }
  const kind = ref.kind.toLowerCase();
  const named = all.filter((c) => c.kind.toLowerCase() === kind && c.name === ref.name);
  let matches = named;
  if (ref.namespace !== undefined) {
    const exact = named.filter((c) => c.namespace === ref.namespace);
    matches = exact.length > 0 ? exact : named.filter((c) => c.namespace === undefined);
  }
  const label = `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
  if (matches.length === 1) {
    const { kind: _k, name: _n, namespace: _ns, ...selected } = matches[0] as Candidate;
    return { ok: true, selected };
  }
  if (matches.length > 1) {
    return {
      ok: false,
      reason: `${file}: ${label} is ambiguous: ${matches.map((c) => describeCandidate(c)).join(", ")}`,
    };
  }
  const has = all.length > 0 ? all.map((c) => describeCandidate(c)).join(", ") : "no Kubernetes objects";
  return { ok: false, reason: `${file}: no ${label}; the file has ${has}` };
}

function asObject(v: unknown): Record<string, unknown> | null {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function describe(
  obj: Record<string, unknown>,
  docIndex: number,
  basePath: YamlPath,
  line: number,
  parsed: ParsedYaml,
): Candidate | null {
  const meta = asObject(obj["metadata"]);
  const kind = obj["kind"];
  const name = meta?.["name"];
  if (typeof kind !== "string" || typeof name !== "string") return null;
  const ns = meta?.["namespace"];
  return {
    docIndex,
    basePath,
    object: obj,
    line,
    parsed,
    kind,
    name,
    ...(typeof ns === "string" ? { namespace: ns } : {}),
  };
}

function describeCandidate(c: Candidate): string {
  const where =
    c.basePath.length > 0 ? `document ${c.docIndex} item ${c.basePath[1]}` : `document ${c.docIndex}`;
  return `${c.kind} ${c.namespace ? `${c.namespace}/` : ""}${c.name} (${where}, line ${c.line})`;
}
