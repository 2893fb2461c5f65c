import { type Document, LineCounter, parseAllDocuments } from "yaml";

/** Limits applied to every YAML text the bot reads: repository files, runbooks, policies, alerts. */
export const YamlLimits = {
  /** 5 MB: the largest manifest file we accept; larger files are refused before parsing. */
  maxBytes: 5 * 1024 * 1024,
  /** A multi-document file with more documents than this is refused (10,000-document files are an attack). */
  maxDocuments: 2_000,
  /** Alias expansions per document; a billion-laughs file exceeds it in a few bytes. */
  maxAliasCount: 100,
  /** Flow/block nesting depth; deeper documents are refused before `yaml` builds them. */
  maxDepth: 200,
} as const;

export type YamlLimits = { [K in keyof typeof YamlLimits]: number };

/** One parsed YAML document with its position in the file and the plain JS value. */
export interface ParsedDocument {
  /** 0-based index of the document inside the file. */
  index: number;
  /** The `yaml` Document (keeps comments, ranges and style for patchers and line numbers). */
  doc: Document.Parsed;
  /** The plain value (`toJS`) of the document; `null` for an empty document. */
  value: unknown;
}

export interface YamlError {
  file: string;
  /** 1-based line when known. */
  line?: number;
  message: string;
}

export type ParseYamlResult =
  | { ok: true; documents: ParsedDocument[]; lineCounter: LineCounter }
  | { ok: false; error: YamlError };

/**
 * Parses a (multi-document) YAML text with resource limits. Every failure mode of `yaml` — syntax errors,
 * alias bombs (`ReferenceError`), deep nesting (`RangeError` before 2.8.3) — comes back as a value naming
 * the file, never as a thrown error.
 */
export function parseYaml(text: string, file: string, limits: Partial<YamlLimits> = {}): ParseYamlResult {
  const lim = { ...YamlLimits, ...limits };
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > lim.maxBytes) {
    return {
      ok: false,
      error: { file, message: `file is ${bytes} bytes, over the ${lim.maxBytes}-byte limit` },
    };
  }
  if (text.includes("\u0000")) {
    return { ok: false, error: { file, message: "file contains a NUL byte; not a YAML text file" } };
  }
  // Count document markers before parsing: `yaml` builds every document before we could count them,
  // which takes seconds for a 10,000-document file; counting `---` lines is instant.
  const markers = countDocumentMarkers(text, lim.maxDocuments);
  if (markers >= lim.maxDocuments) {
    return { ok: false, error: { file, message: `more than ${lim.maxDocuments} documents, over the limit` } };
  }
  const depth = measureNesting(text, lim.maxDepth);
  if (depth > lim.maxDepth) {
    return { ok: false, error: { file, message: `nesting deeper than ${lim.maxDepth} levels` } };
  }
  const lineCounter = new LineCounter();
  try {
    const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    const list = Array.isArray(docs) ? docs : [];
    if (list.length > lim.maxDocuments) {
      return {
        ok: false,
        error: { file, message: `${list.length} documents, over the limit of ${lim.maxDocuments}` },
      };
    }
    const documents: ParsedDocument[] = [];
    for (const [index, doc] of list.entries()) {
      const first = doc.errors[0];
      if (first) {
        const pos = first.pos?.[0];
        const line = pos === undefined ? undefined : lineCounter.linePos(pos).line;
        return {
          ok: false,
          error: {
            file,
            ...(line ? { line } : {}),
            message: `document ${index}: ${first.message.split("\n")[0]}`,
          },
        };
      }
      const value = doc.toJS({ maxAliasCount: lim.maxAliasCount }) as unknown;
      documents.push({ index, doc, value: value ?? null });
    }
    return { ok: true, documents, lineCounter };
  } catch (err) {
    // ReferenceError: alias bomb; RangeError: stack exhaustion on old `yaml`; anything else is reported too.
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { ok: false, error: { file, message } };
  }
}

/** Parses a single-document YAML text; more than one document is an error. */
export function parseYamlDocument(
  text: string,
  file: string,
  limits: Partial<YamlLimits> = {},
): { ok: true; document: ParsedDocument; lineCounter: LineCounter } | { ok: false; error: YamlError } {
  const res = parseYaml(text, file, limits);
  if (!res.ok) return res;
  const nonEmpty = res.documents.filter((d) => d.value !== null);
  if (nonEmpty.length > 1) {
    return { ok: false, error: { file, message: `expected one YAML document, found ${nonEmpty.length}` } };
  }
  const document = nonEmpty[0] ?? res.documents[0];
  if (!document) return { ok: false, error: { file, message: "file is empty" } };
  return { ok: true, document, lineCounter: res.lineCounter };
}

function countDocumentMarkers(text: string, stopAt: number): number {
  let count = 0;
  for (let i = text.indexOf("---"); i !== -1; i = text.indexOf("---", i + 3)) {
    if (i === 0 || text[i - 1] === "\n") count++;
    if (count >= stopAt) break;
  }
  return count;
}

/** Cheap upper bound of bracket/indent nesting so pathological inputs are refused before parsing. */
function measureNesting(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
      if (max > limit) return max;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return max;
}
