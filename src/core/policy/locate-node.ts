import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter } from "yaml";
import type { NodePath } from "./validate-pattern.js";

/** 1-based line and column in the file. */
export interface Position {
  line: number;
  column: number;
}

/**
 * Where a path points in a parsed YAML document: the key of the deepest existing map entry (so a missing
 * `resources.limits` points at `resources:`), or the list item, or the document start.
 */
export function locateNode(doc: Document.Parsed, lineCounter: LineCounter, path: NodePath): Position {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else break;
  }
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function rangeStart(node: unknown): number | undefined {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? r[0] : undefined;
}
