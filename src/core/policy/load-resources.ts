import type { Document, LineCounter } from "yaml";
import type { ParsedDocument } from "../yaml/parse-yaml.js";
import { locateNode, type Position } from "./locate-node.js";
import type { NodePath } from "./validate-pattern.js";

/** Identifies a Kubernetes object in findings, reports and SARIF. */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
  /** Empty for cluster-scoped objects and for manifests that leave the namespace to the deploy tool. */
  namespace: string;
  name: string;
}

/** A Kubernetes object from a manifest file, with what is needed to point at its lines. */
export interface PolicyResource {
  ref: ResourceRef;
  object: Record<string, unknown>;
  file: string;
  /** 0-based document index in the file. */
  documentIndex: number;
  /** Where the object sits inside its document: `[]`, or `["items", 3]` for an item of a `List`. */
  basePath: NodePath;
  doc?: Document.Parsed;
  lineCounter?: LineCounter;
}

/**
 * The Kubernetes objects in a parsed manifest file: every document with string `apiVersion` and `kind`,
 * and the items of `kind: List` documents. Other documents (Helm values, plain data) are not resources.
 */
export function loadResources(
  documents: ParsedDocument[],
  file: string,
  lineCounter?: LineCounter,
): PolicyResource[] {
  const out: PolicyResource[] = [];
  for (const d of documents) {
    const v = d.value;
    if (!isObject(v)) continue;
    if (v.kind === "List" && Array.isArray(v.items)) {
      v.items.forEach((item, i) => {
        const r = toResource(item, file, d, ["items", i], lineCounter);
        if (r) out.push(r);
      });
      continue;
    }
    const r = toResource(v, file, d, [], lineCounter);
    if (r) out.push(r);
  }
  return out;
}

function toResource(
  v: unknown,
  file: string,
  d: ParsedDocument,
  basePath: NodePath,
  lineCounter: LineCounter | undefined,
): PolicyResource | undefined {
  if (!isObject(v) || typeof v.apiVersion !== "string" || typeof v.kind !== "string") return undefined;
  const meta = isObject(v.metadata) ? v.metadata : {};
  const r: PolicyResource = {
    ref: {
      apiVersion: v.apiVersion,
      kind: v.kind,
      namespace: typeof meta.namespace === "string" ? meta.namespace : "",
      name:
        typeof meta.name === "string"
          ? meta.name
          : typeof meta.generateName === "string"
            ? meta.generateName
            : "",
    },
    object: v,
    file,
    documentIndex: d.index,
    basePath,
    doc: d.doc,
  };
  if (lineCounter) r.lineCounter = lineCounter;
  return r;
}

/** Line and column of a path inside a resource (the resource start when the path is empty). */
export function locateInResource(r: PolicyResource, path: NodePath): Position {
  if (!r.doc || !r.lineCounter) return { line: 1, column: 1 };
  return locateNode(r.doc, r.lineCounter, [...r.basePath, ...path]);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
