import { isDeepStrictEqual } from "node:util";
import {
  Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  type Scalar,
  stringify,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import type { ParseYamlResult } from "../../yaml/parse-yaml.js";
import { parseYaml } from "../../yaml/parse-yaml.js";
import type { PatchResult, ScalarValue } from "../types.js";

/** A successful parse, as `parseYaml` returns it. */
export type ParsedYaml = Extract<ParseYamlResult, { ok: true }>;

/** A key path inside one YAML document: map keys and sequence indexes. */
export type YamlPath = (string | number)[];

/**
 * One logical change to a YAML document.
 * - `set`: write a scalar at `path`, creating missing maps on the way (`quoted` forces a quoted string;
 *   a new key goes before the first existing key of `before`, else after the last key, so it lands
 *   where people expect it, e.g. `replicas` before `selector`).
 * - `append`: add `item` to the sequence at `path`, creating the key when missing.
 * - `delete`: remove the scalar-valued key at `path`.
 */
export type YamlOp =
  | { op: "set"; path: YamlPath; value: ScalarValue; quoted?: boolean; before?: string[] }
  | { op: "append"; path: YamlPath; item: unknown }
  | { op: "delete"; path: YamlPath };

interface Edit {
  start: number;
  end: number;
  text: string;
}

interface Style {
  /** Indentation step of nested maps. */
  step: number;
  /** `key:\n  - a` (true) or `key:\n- a` (false). */
  indentSeq: boolean;
  eol: string;
}

class EditError extends Error {}

/**
 * Applies `ops` to document `docIndex` of `text` as text splices located through the `yaml` Document API:
 * only the bytes of the changed scalars (or the inserted lines) change, so comments, key order, quoting,
 * indentation and every other document stay as they were. The result is re-parsed and compared with the
 * same ops applied to the plain values; any difference is refused instead of returned.
 */
export function applyYamlOps(
  text: string,
  file: string,
  at: number | { docIndex: number; parsed?: ParsedYaml },
  ops: YamlOp[],
): PatchResult {
  const docIndex = typeof at === "number" ? at : at.docIndex;
  // Reuse the caller's parse of `text` when it has one: large multi-document files parse slowly.
  const first = (typeof at === "number" ? undefined : at.parsed) ?? parseYaml(text, file);
  if (!first.ok) return { ok: false, reason: describeYamlError(first.error) };
  const expected = first.documents.map((d) => structuredClone(d.value));
  let current = text;
  let changed = false;
  let parsed: ParseYamlResult = first;
  for (const op of ops) {
    if (!parsed.ok) return { ok: false, reason: describeYamlError(parsed.error) };
    // A file with no document at all (empty, or only comments) takes its first document at the end.
    const entry =
      parsed.documents[docIndex] ??
      (parsed.documents.length === 0 && docIndex === 0 ? { doc: new Document() } : null);
    if (!entry) return { ok: false, reason: `${file}: document ${docIndex} does not exist` };
    let edit: Edit | null;
    try {
      if (!applyToValue(expected, docIndex, op)) continue;
      edit = planEdit(current, entry.doc as Document.Parsed, op);
    } catch (err) {
      if (err instanceof EditError) return { ok: false, reason: `${file}: ${err.message}` };
      throw err;
    }
    if (!edit) continue;
    current = current.slice(0, edit.start) + edit.text + current.slice(edit.end);
    changed = true;
    parsed = parseYaml(current, file);
  }
  if (!changed) return { ok: true, text, changed: false };
  const check = parseYaml(current, file);
  if (!check.ok) {
    return { ok: false, reason: `${file}: the edit would produce invalid YAML (${check.error.message})` };
  }
  const actual = check.documents.map((d) => d.value);
  if (!isDeepStrictEqual(actual, expected)) {
    // A layout the splicer does not understand; refusing beats writing a surprising change.
    return {
      ok: false,
      reason: `${file}: cannot edit this YAML layout without side effects; edit document ${docIndex} by hand`,
    };
  }
  return { ok: true, text: current, changed: true };
}

/** One line naming the file (and line) of a YAML error. */
export function describeYamlError(err: { file: string; line?: number; message: string }): string {
  return `${err.file}${err.line ? `:${err.line}` : ""}: invalid YAML: ${err.message}`;
}

// ---------------------------------------------------------------------------------------------------
// The expected plain value: the same op on `toJS()` output; returns false when the op changes nothing.

function applyToValue(docs: unknown[], docIndex: number, op: YamlOp): boolean {
  const path = op.path;
  if (path.length === 0) throw new EditError("empty key path");
  // Keys that would reach Object.prototype instead of the document.
  if (path.some((p) => p === "__proto__" || p === "constructor" || p === "prototype")) {
    throw new EditError(`key path ${fmt(path, path.length - 1)} is not allowed`);
  }
  if (docs[docIndex] === null || docs[docIndex] === undefined) docs[docIndex] = {};
  let node: unknown = docs[docIndex];
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i] as string | number;
    const container = node as Record<string | number, unknown>;
    if (typeof seg === "number") {
      if (!Array.isArray(node) || seg >= node.length)
        throw new EditError(`${fmt(path, i)} is not a list item`);
    } else if (!isPlainObject(node)) {
      throw new EditError(`${fmt(path, i - 1)} is not a mapping`);
    } else if (container[seg] === undefined || container[seg] === null) {
      container[seg] = {};
    }
    node = container[seg];
  }
  const last = path[path.length - 1] as string | number;
  if (typeof last === "number") {
    if (op.op !== "set" || !Array.isArray(node) || last >= node.length) {
      throw new EditError(`${fmt(path, path.length - 1)} is not a list item`);
    }
  } else if (!isPlainObject(node)) {
    throw new EditError(`${fmt(path, path.length - 2)} is not a mapping`);
  }
  const container = node as Record<string | number, unknown>;
  if (op.op === "set") {
    if (container[last] === op.value) return false;
    const old = container[last];
    if (old !== undefined && old !== null && typeof old === "object") {
      throw new EditError(
        `${fmt(path, path.length - 1)} is a ${Array.isArray(old) ? "list" : "mapping"}, not a value`,
      );
    }
    container[last] = op.value;
    return true;
  }
  if (op.op === "append") {
    const list = container[last];
    if (list === undefined || list === null) container[last] = [structuredClone(op.item)];
    else if (Array.isArray(list)) list.push(structuredClone(op.item));
    else throw new EditError(`${fmt(path, path.length - 1)} is not a list`);
    return true;
  }
  if (!(last in container)) return false;
  delete container[last];
  return true;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fmt(path: YamlPath, upTo: number): string {
  const parts = path.slice(0, upTo + 1);
  if (parts.length === 0) return "the document";
  return `\`${parts.map((p) => (typeof p === "number" ? `[${p}]` : p)).join(".")}\``.replace(/\.\[/g, "[");
}

// ---------------------------------------------------------------------------------------------------
// The text edit.

function planEdit(text: string, doc: Document.Parsed, op: YamlOp): Edit | null {
  const style = detectStyle(text, doc);
  const root = doc.contents as Node | null;
  if (!root || (isScalar(root) && root.value === null)) {
    // Empty document: the whole change is new lines at the end of the document.
    const value = op.op === "append" ? [op.item] : op.op === "set" ? op.value : undefined;
    if (value === undefined) return null;
    const obj = nestObject(op.path as string[], value);
    const at = root?.range ? root.range[0] : text.length;
    const prefix = at > 0 && text[at - 1] !== "\n" ? style.eol : "";
    return { start: at, end: at, text: prefix + renderBlock(obj, 0, style, op) };
  }
  let node: Node = root;
  let ownerColumn = -style.step; // column of the key that owns `node` (-step for the root)
  const path = op.path;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as string | number;
    const isLast = i === path.length - 1;
    if (typeof seg === "number") {
      if (!isSeq(node)) throw new EditError(`${fmt(path, i - 1)} is not a list`);
      const item = node.items[seg] as Node | undefined;
      if (!item) throw new EditError(`${fmt(path, i)} does not exist`);
      if (isLast) return replaceScalar(text, item, op, path);
      ownerColumn = columnOf(text, (node.range as [number, number, number])[0]);
      node = item;
      continue;
    }
    if (!isMap(node)) throw new EditError(`${fmt(path, i - 1)} is not a mapping`);
    const pair = findPair(node, seg);
    if (!pair) {
      if (op.op === "delete") return null;
      const rest = path.slice(i) as string[];
      const value = op.op === "append" ? [op.item] : op.value;
      return insertIntoMap(text, node, ownerColumn, nestObject(rest, value), style, op);
    }
    const keyColumn = columnOf(text, rangeOf(pair.key as Node)[0]);
    const value = pair.value as Node | null;
    if (isLast) {
      if (op.op === "delete") return deletePair(text, node, pair);
      if (op.op === "append") {
        if (value && isSeq(value)) return appendToSeq(text, value, keyColumn, op.item, style);
        if (!value || isEmptyScalar(value)) return fillEmpty(text, pair, keyColumn, [op.item], style, op);
        throw new EditError(`${fmt(path, i)} is not a list`);
      }
      if (value && !isScalar(value) && !isAlias(value)) throw new EditError(`${fmt(path, i)} is not a value`);
      if (!value) return fillEmpty(text, pair, keyColumn, op.value, style, op);
      return replaceScalar(text, value, op, path);
    }
    if (!value || isEmptyScalar(value) || (isMap(value) && value.flow && value.items.length === 0)) {
      if (op.op === "delete") return null;
      const rest = path.slice(i + 1) as string[];
      const leaf = op.op === "append" ? [op.item] : op.value;
      return fillEmpty(text, pair, keyColumn, nestObject(rest, leaf), style, op);
    }
    ownerColumn = keyColumn;
    node = value;
  }
  return null;
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key) as
    | Pair
    | undefined;
}

function isEmptyScalar(node: Node): boolean {
  return isScalar(node) && node.value === null;
}

function rangeOf(node: Node): [number, number, number] {
  if (!node.range) throw new EditError("node without a source position");
  return node.range;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

/** The offset just after the end of the line holding `offset - 1` (after a trailing comment). */
function lineEndAfter(text: string, offset: number): { at: number; needsEol: boolean } {
  const nl = text.indexOf("\n", Math.max(offset - 1, 0));
  if (nl === -1) return { at: text.length, needsEol: true };
  return { at: nl + 1, needsEol: false };
}

function replaceScalar(text: string, node: Node, op: YamlOp, path: YamlPath): Edit {
  if (op.op !== "set") throw new EditError(`${fmt(path, path.length - 1)} is not a list`);
  if (isAlias(node)) {
    throw new EditError(
      `${fmt(path, path.length - 1)} is an alias (*${node.source}); change the anchored value by hand`,
    );
  }
  if (!isScalar(node)) throw new EditError(`${fmt(path, path.length - 1)} is a collection, not a value`);
  const [start, end] = rangeOf(node);
  const rendered = renderScalar(op.value, node as Scalar, op.quoted === true);
  if (start === end) {
    // `key:` with nothing after it: the value goes after the colon (and before a comment, if any).
    const sep = text[start - 1] === ":" ? " " : "";
    const trail = text[start] === "#" ? " " : "";
    return { start, end, text: sep + rendered + trail };
  }
  if (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED") {
    // A block scalar's range ends after its last line break; keep one.
    return { start, end, text: `${rendered}\n` };
  }
  return { start, end, text: rendered };
}

/** Renders a scalar in the style of the one it replaces (plain stays plain when that reads back the same). */
function renderScalar(value: ScalarValue, old: Scalar | null, quoted: boolean): string {
  if (typeof value !== "string") return String(value);
  const type = old?.type;
  if (type === "QUOTE_SINGLE") return `'${value.replace(/'/g, "''")}'`;
  if (quoted || type === "QUOTE_DOUBLE" || type === "BLOCK_LITERAL" || type === "BLOCK_FOLDED") {
    return JSON.stringify(value);
  }
  // YAML 1.1 rules as well: Helm and Kubernetes parse with go-yaml, where a plain `on` or `012` is no string.
  return stringify(value, { version: "1.1", lineWidth: 0, defaultStringType: "PLAIN" }).trimEnd();
}

function renderBlock(obj: unknown, column: number, style: Style, op: YamlOp): string {
  const quoted = op.op === "set" && op.quoted === true;
  const out = stringify(obj, {
    version: "1.1",
    indent: style.step,
    indentSeq: style.indentSeq,
    lineWidth: 0,
    defaultKeyType: "PLAIN",
    defaultStringType: quoted ? "QUOTE_DOUBLE" : "PLAIN",
  });
  const pad = " ".repeat(column);
  return out
    .trimEnd()
    .split("\n")
    .map((l) => pad + l)
    .join(style.eol)
    .concat(style.eol);
}

function nestObject(path: string[], value: unknown): unknown {
  let out: unknown = value;
  for (let i = path.length - 1; i >= 0; i--) out = { [path[i] as string]: out };
  return out;
}

function insertIntoMap(
  text: string,
  map: YAMLMap,
  ownerColumn: number,
  obj: unknown,
  style: Style,
  op: YamlOp,
): Edit {
  const [start, end] = rangeOf(map);
  if (map.flow) {
    if (map.items.length === 0)
      return replaceFlowWithBlock(text, start, end, ownerColumn + style.step, obj, style, op);
    // A non-empty flow map is rewritten as a flow map (its inner comments, if any, are lost).
    return { start, end, text: renderFlow({ ...(map.toJSON() as object), ...(obj as object) }) };
  }
  const firstKey = (map.items[0] as Pair).key as Node;
  const column = columnOf(text, rangeOf(firstKey)[0]);
  const before =
    op.op === "set" && op.before ? op.before.map((k) => findPair(map, k)).find((p) => p) : undefined;
  if (before) {
    const keyStart = rangeOf(before.key as Node)[0];
    const lineStart = text.lastIndexOf("\n", keyStart - 1) + 1;
    // Only when the key starts its line (not the first key of a `- ` list item).
    if (text.slice(lineStart, keyStart).trim() === "") {
      return { start: lineStart, end: lineStart, text: renderBlock(obj, column, style, op) };
    }
  }
  const last = map.items[map.items.length - 1] as Pair;
  const lastNode = (last.value as Node | null) ?? (last.key as Node);
  const { at, needsEol } = lineEndAfter(text, rangeOf(lastNode)[1]);
  return { start: at, end: at, text: (needsEol ? style.eol : "") + renderBlock(obj, column, style, op) };
}

/** `key:` / `key: ~` / `key: {}` / `key: []` becomes `key:` followed by the new block. */
function fillEmpty(
  text: string,
  pair: Pair,
  keyColumn: number,
  value: unknown,
  style: Style,
  op: YamlOp,
): Edit {
  const keyEnd = rangeOf(pair.key as Node)[1];
  const valueNode = pair.value as Node | null;
  const [vStart, vEnd] = valueNode?.range ?? [keyEnd + 1, keyEnd + 1];
  if (!Array.isArray(value) && (value === null || typeof value !== "object")) {
    return {
      start: vStart,
      end: vEnd,
      text:
        (text[vStart - 1] === ":" ? " " : "") +
        renderScalar(value as ScalarValue, null, op.op === "set" && op.quoted === true),
    };
  }
  const column = Array.isArray(value) && !style.indentSeq ? keyColumn : keyColumn + style.step;
  if (vStart === vEnd) {
    // `key:` or `key: # comment`: the block goes on the next lines, the comment stays on the key's line.
    const nl = text.indexOf("\n", vStart);
    const at = nl === -1 ? text.length : nl > 0 && text[nl - 1] === "\r" ? nl - 1 : nl;
    const block = renderBlock(value, column, style, op).replace(/(\r?\n)$/, "");
    return { start: at, end: at, text: style.eol + block };
  }
  return replaceFlowWithBlock(text, vStart, vEnd, column, value, style, op);
}

function replaceFlowWithBlock(
  text: string,
  start: number,
  end: number,
  column: number,
  obj: unknown,
  style: Style,
  op: YamlOp,
): Edit {
  let s = start;
  while (s > 0 && (text[s - 1] === " " || text[s - 1] === "\t")) s--;
  const block = renderBlock(obj, column, style, op).replace(/(\r?\n)$/, "");
  return { start: s, end, text: style.eol + block };
}

function renderFlow(value: unknown): string {
  const out = stringify(value, {
    version: "1.1",
    lineWidth: 0,
    collectionStyle: "flow",
    defaultKeyType: "PLAIN",
  });
  return out.trimEnd();
}

function appendToSeq(text: string, seq: YAMLSeq, keyColumn: number, item: unknown, style: Style): Edit {
  const [start, end] = rangeOf(seq);
  if (seq.flow) {
    if (seq.items.length === 0) {
      const column = style.indentSeq ? keyColumn + style.step : keyColumn;
      return replaceFlowWithBlock(text, start, end, column, [item], style, { op: "append", path: [], item });
    }
    return { start, end, text: renderFlow([...(seq.toJSON() as unknown[]), item]) };
  }
  const column = columnOf(text, start);
  const lastItem = seq.items[seq.items.length - 1] as Node;
  const { at, needsEol } = lineEndAfter(text, rangeOf(lastItem)[1]);
  return {
    start: at,
    end: at,
    text: (needsEol ? style.eol : "") + renderBlock([item], column, style, { op: "append", path: [], item }),
  };
}

function deletePair(text: string, map: YAMLMap, pair: Pair): Edit {
  if (map.flow) {
    const rest = (map.toJSON() as Record<string, unknown>) ?? {};
    delete rest[String((pair.key as Scalar).value)];
    const [start, end] = rangeOf(map);
    return { start, end, text: renderFlow(rest) };
  }
  const value = pair.value as Node | null;
  if (value && !isScalar(value)) throw new EditError("only keys with a plain value can be removed");
  const keyStart = rangeOf(pair.key as Node)[0];
  const lineStart = text.lastIndexOf("\n", keyStart - 1) + 1;
  if (text.slice(lineStart, keyStart).trim() !== "") {
    // `- key: v` as the first key of a list item: removing the line would remove the item.
    throw new EditError("cannot remove the first key of a list item");
  }
  const { at } = lineEndAfter(text, rangeOf(value ?? (pair.key as Node))[1]);
  return { start: lineStart, end: at, text: "" };
}

function detectStyle(text: string, doc: Document.Parsed): Style {
  let step = 0;
  let indentSeq: boolean | null = null;
  const visit = (node: unknown, keyColumn: number | null): void => {
    if (step && indentSeq !== null) return;
    if (isMap(node) && !node.flow) {
      for (const p of node.items) {
        const k = p.key as Node | null;
        if (!k?.range) continue;
        const col = columnOf(text, k.range[0]);
        if (!step && keyColumn !== null && col > keyColumn) step = col - keyColumn;
        const v = p.value as Node | null;
        if (isSeq(v) && !v.flow && v.range && indentSeq === null)
          indentSeq = columnOf(text, v.range[0]) > col;
        visit(v, col);
      }
    } else if (isSeq(node) && !node.flow) {
      for (const item of node.items) visit(item, null);
    }
  };
  visit(doc.contents, null);
  return { step: step || 2, indentSeq: indentSeq ?? true, eol: text.includes("\r\n") ? "\r\n" : "\n" };
}
