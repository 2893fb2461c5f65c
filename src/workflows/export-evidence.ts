import { loadMedicConfig } from "../core/config/medic-config.js";
import { buildEvidencePack } from "../core/evidence/build-evidence-pack.js";
import type { EvidencePack } from "../core/evidence/evidence-pack.js";
import type { RecordedExport } from "../core/evidence/recorded-export.js";
import { renderEvidenceHtml } from "../core/evidence/render-evidence-html.js";
import { renderEvidenceMarkdown } from "../core/evidence/render-evidence-markdown.js";
import type { Clock } from "./ports/clock.js";
import type { EvidenceSource, ExportProgress } from "./ports/evidence-source.js";

export interface EvidenceFile {
  name: "evidence.json" | "evidence.md" | "evidence.html";
  content: string;
}

export type ExportEvidenceResult =
  | { ok: true; pack: EvidencePack; files: EvidenceFile[]; export: RecordedExport }
  | { ok: false; field: string; message: string };

/**
 * `medic evidence`:
 *  1. read the recorded export of the range from the source (GitHub API or file);
 *  2. validate the repository's `.github/medic.yml` it carries (a broken file is an error naming the field,
 *     never a silent default);
 *  3. build the evidence pack (pure core) for [since, until), defaulting to the export's own range;
 *  4. render evidence.json, evidence.md and evidence.html. Writing them is the caller's job (atomically).
 */
export async function exportEvidence(input: {
  source: EvidenceSource;
  since?: string;
  until?: string;
  clock: Clock;
  onProgress?: (p: ExportProgress) => void;
  botLogins?: string[];
}): Promise<ExportEvidenceResult> {
  const range = { since: input.since ?? "", until: input.until ?? "" };
  const exp = await input.source.fetchExport(range, input.onProgress);
  const since = input.since ? Date.parse(input.since) : Date.parse(exp.since);
  const until = input.until ? Date.parse(input.until) : Date.parse(exp.until);
  if (!(since < until)) {
    return {
      ok: false,
      field: "since",
      message: `the range is empty: since (${new Date(since).toISOString()}) must be before until (${new Date(until).toISOString()})`,
    };
  }
  const cfg = loadMedicConfig(exp.medicConfig);
  if (!cfg.ok) return { ok: false, field: `${cfg.file}: ${cfg.field}`, message: cfg.message };
  const pack = buildEvidencePack(exp, {
    config: cfg.config.evidence,
    resolvedLabel: cfg.config.incidents.resolvedLabel,
    since,
    until,
    generatedAt: input.clock.now(),
    source: { kind: input.source.kind, name: input.source.name },
    ...(input.botLogins ? { botLogins: input.botLogins } : {}),
  });
  if (since < Date.parse(exp.since) || until > Date.parse(exp.until)) {
    pack.notes.push(
      `the requested range ${pack.since} → ${pack.until} reaches beyond the export's ${exp.since} → ${exp.until}: nothing is known outside it`,
    );
  }
  return {
    ok: true,
    pack,
    export: exp,
    files: [
      { name: "evidence.json", content: `${JSON.stringify(pack, null, 2)}\n` },
      { name: "evidence.md", content: renderEvidenceMarkdown(pack) },
      { name: "evidence.html", content: renderEvidenceHtml(pack) },
    ],
  };
}
