import { readFile } from "node:fs/promises";
import { parseRecordedExport, type RecordedExport } from "../../core/evidence/recorded-export.js";
import type { EvidenceSource } from "../../workflows/ports/evidence-source.js";

/** Largest export file read (the JSON is parsed in memory). */
export const MAX_EXPORT_BYTES = 256 * 1024 * 1024;

export type LoadExportResult = { ok: true; export: RecordedExport } | { ok: false; message: string };

/** Reads and validates a recorded export file; every failure names the file and, for bad content, the field. */
export async function loadRecordedExport(path: string): Promise<LoadExportResult> {
  let text: string;
  try {
    const buf = await readFile(path);
    if (buf.length > MAX_EXPORT_BYTES)
      return { ok: false, message: `${path}: ${buf.length} bytes, over the ${MAX_EXPORT_BYTES}-byte limit` };
    text = buf.toString("utf8");
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return {
      ok: false,
      message: `cannot read ${path}: ${e.code === "ENOENT" ? "no such file" : e.code === "EISDIR" ? "is a directory" : e.message}`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `${path} is not valid JSON: ${(err as Error).message}` };
  }
  const res = parseRecordedExport(value);
  if (!res.ok) return { ok: false, message: `${path}: field \`${res.field}\`: ${res.message}` };
  return { ok: true, export: res.export };
}

/** An evidence source over an already-loaded recorded export (`--from FILE`). */
export function recordedExportSource(exp: RecordedExport, name: string): EvidenceSource {
  return {
    kind: "file",
    name,
    async fetchExport() {
      return exp;
    },
  };
}
