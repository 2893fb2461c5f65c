import { stringify } from "yaml";
import { z } from "zod";
import { parseYamlDocument } from "../yaml/parse-yaml.js";

/**
 * The quarantine list: images and Git revisions that degraded a rollout and were reverted. Runbooks never
 * roll forward to them (the rollback candidate selection skips quarantined images). It lives in the GitOps
 * repository, written by the revert PR itself, so it is reviewed with the revert and takes effect only
 * from the default branch — like runbooks.
 */
export const QUARANTINE_PATH = ".github/medic/quarantine.yml";

/** One quarantined image or revision. */
export const QuarantineEntry = z.strictObject({
  /** Image reference that ran when the rollout degraded (absent for a revision-only entry). */
  image: z.string().min(1).max(500).optional(),
  /** Git commit that was reverted. */
  revision: z.string().regex(/^[0-9a-f]{7,64}$/),
  /** `namespace/name` of the Argo CD Application (or `terraform`). */
  application: z.string().min(1).max(300),
  /** The revert PR that quarantined it. */
  revertPr: z.number().int().positive().optional(),
  /** The PR whose merge degraded. */
  originalPr: z.number().int().positive().optional(),
  /** RFC 3339. */
  at: z.string(),
  /** Argo's words at the time, e.g. `Degraded: Rollout checkout Degraded: RolloutAborted …`. */
  reason: z.string().max(1000),
});
export type QuarantineEntry = z.infer<typeof QuarantineEntry>;

/** The file's content. */
export const Quarantine = z.strictObject({
  /** Quarantined images and revisions, oldest first. */
  entries: z.array(QuarantineEntry).max(1000).default([]),
});
export type Quarantine = z.infer<typeof Quarantine>;

export type ParseQuarantineResult =
  | { ok: true; quarantine: Quarantine }
  | { ok: false; file: string; field: string; message: string };

/** Reads the quarantine file; an absent file (null) is an empty list, a broken one an error naming the field. */
export function parseQuarantine(text: string | null, file = QUARANTINE_PATH): ParseQuarantineResult {
  if (text === null || text.trim() === "") return { ok: true, quarantine: { entries: [] } };
  const doc = parseYamlDocument(text, file);
  if (!doc.ok) return { ok: false, file, field: "(root)", message: doc.error.message };
  const res = Quarantine.safeParse(doc.document.value ?? {});
  if (!res.success) {
    const issue = res.error.issues[0];
    return {
      ok: false,
      file,
      field: issue?.path.join(".") || "(root)",
      message: issue?.message ?? "invalid",
    };
  }
  return { ok: true, quarantine: res.data };
}

/**
 * The file with new entries appended (an image or revision already listed for the same application is not
 * added twice). A broken existing file is an error: the revert PR must not silently drop what it listed.
 */
export function addQuarantineEntries(
  text: string | null,
  entries: readonly QuarantineEntry[],
  file = QUARANTINE_PATH,
): { ok: true; text: string; added: number } | { ok: false; message: string } {
  const parsed = parseQuarantine(text, file);
  if (!parsed.ok) return { ok: false, message: `${parsed.file}: field ${parsed.field}: ${parsed.message}` };
  const list = [...parsed.quarantine.entries];
  let added = 0;
  for (const e of entries) {
    const entry = QuarantineEntry.parse(e);
    const dup = list.some(
      (x) => x.application === entry.application && x.revision === entry.revision && x.image === entry.image,
    );
    if (dup) continue;
    list.push(entry);
    added++;
  }
  const header =
    "# Images and revisions that degraded a rollout and were reverted by gitops-medic.\n" +
    "# Runbooks never roll forward to them. Remove an entry once the version is fixed.\n";
  return { ok: true, text: header + stringify({ entries: list }, { lineWidth: 0 }), added };
}

/** The quarantined images, for the runbook planner's `quarantinedImages`. */
export function quarantinedImages(q: Quarantine): string[] {
  return [...new Set(q.entries.flatMap((e) => (e.image ? [e.image] : [])))];
}
