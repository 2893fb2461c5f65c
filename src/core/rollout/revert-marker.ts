import { z } from "zod";

/**
 * The hidden marker a revert PR carries: `<!-- medic:revert {"incidentKey":…,"originalPr":…,…} -->`.
 * It makes the revert findable (idempotency, the one-per-hour limit) and tells the watch of a merged revert
 * that it must never be reverted in turn.
 */
export const RevertMarker = z.strictObject({
  /** Incident key the reverted remediation belonged to (empty for a change without incident). */
  incidentKey: z.string().max(200),
  /** Number of the PR whose merge is reverted. */
  originalPr: z.number().int().positive(),
  /** The merge commit that is reverted. */
  mergeSha: z.string().regex(/^[0-9a-f]{7,64}$/),
  /** `namespace/name` of the Argo CD Applications that degraded (empty for a Terraform apply). */
  applications: z.array(z.string().max(300)).max(50),
  /** Epoch ms the revert was decided. */
  at: z.number().int().nonnegative(),
  /** `degraded` (Argo health) or `apply-failed` (Terraform). */
  reason: z.enum(["degraded", "apply-failed"]),
});
export type RevertMarker = z.infer<typeof RevertMarker>;

const MARKER_RE = /<!-- medic:revert (\{[^\n]*?\}) -->/g;

/** Renders the marker; `<`, `>` and `&` are escaped inside the JSON so it cannot close the comment. */
export function formatRevertMarker(marker: RevertMarker): string {
  const json = JSON.stringify(RevertMarker.parse(marker)).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `<!-- medic:revert ${json} -->`;
}

/** The marker of a PR body, or null (missing, not JSON, invalid, or more than one). */
export function parseRevertMarker(body: string | null | undefined): RevertMarker | null {
  const found = [...(body ?? "").matchAll(MARKER_RE)];
  if (found.length !== 1) return null;
  try {
    const res = RevertMarker.safeParse(JSON.parse(found[0]![1]!));
    return res.success ? res.data : null;
  } catch {
    return null;
  }
}

/** The deterministic branch of the revert of one merge: one branch, one PR, however often it is asked. */
export function buildRevertBranch(mergeSha: string): string {
  return `medic/revert/${mergeSha.slice(0, 12)}`;
}

/** Whether a commit message is a revert (Git's own wording, or ours). */
export function isRevertMessage(message: string): boolean {
  return /^Revert "/.test(message) || /^revert(\(.*\))?:/i.test(message);
}
