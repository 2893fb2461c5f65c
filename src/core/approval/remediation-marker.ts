import { z } from "zod";

/**
 * The hidden marker a remediation PR carries in its body:
 * `<!-- medic:remediation {"incidentKey":…,"runbook":…,"requester":…,"planHash":…} -->`.
 * The approval gate reads the requester from it (the requester may not approve their own change).
 */
export const RemediationMarker = z.strictObject({
  /** Incident key the remediation belongs to. */
  incidentKey: z.string().min(1).max(200),
  /** Runbook that produced the plan. */
  runbook: z.string().min(1).max(100),
  /** GitHub login of the person who asked for the change (`/remediate`), or null when the bot acted alone. */
  requester: z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/)
    .nullable(),
  /** The incident issue as `owner/name#N` when it lives in another repository than the PR (`INCIDENT_REPO`). */
  incident: z
    .string()
    .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+#\d+$/)
    .optional(),
  /** Hash of the RemediationPlan, to tie the PR to the plan that was reviewed. */
  planHash: z.string().regex(/^[A-Za-z0-9:_-]{8,128}$/),
  /** Imperative steps the plan runs outside Git (e.g. a node drain); the classifier counts them as destructive. */
  steps: z
    .array(
      z.strictObject({
        /** What the step does: `drain`, `cordon`, `delete-pod`… */
        kind: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/),
        /** What it acts on, e.g. `node/worker-3`. */
        target: z.string().max(200).optional(),
      }),
    )
    .max(50)
    .optional(),
});
export type RemediationMarker = z.infer<typeof RemediationMarker>;

const MARKER_RE = /<!-- medic:remediation (\{[^\n]*?\}) -->/g;

/** Renders the marker. `<`, `>` and `&` are escaped inside the JSON so it can never close the comment early. */
export function formatRemediationMarker(marker: RemediationMarker): string {
  const json = JSON.stringify(RemediationMarker.parse(marker)).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `<!-- medic:remediation ${json} -->`;
}

export type ParseRemediationMarkerResult =
  | { ok: true; marker: RemediationMarker }
  | { ok: false; reason: "missing" | "invalid" | "ambiguous"; message: string };

/**
 * Reads the marker from a PR body. Only the bot writes PR bodies with it, but PR bodies are editable by
 * the author, so callers must only trust it on PRs the bot opened. Two markers are refused (ambiguous).
 */
export function parseRemediationMarker(body: string | null | undefined): ParseRemediationMarkerResult {
  const found = [...(body ?? "").matchAll(MARKER_RE)];
  if (found.length === 0) return { ok: false, reason: "missing", message: "no medic:remediation marker" };
  if (found.length > 1)
    return { ok: false, reason: "ambiguous", message: "more than one medic:remediation marker" };
  let raw: unknown;
  try {
    raw = JSON.parse(found[0]![1]!);
  } catch {
    return { ok: false, reason: "invalid", message: "medic:remediation marker is not JSON" };
  }
  const res = RemediationMarker.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0];
    return {
      ok: false,
      reason: "invalid",
      message: `medic:remediation marker: field \`${issue?.path.join(".") || "(root)"}\`: ${issue?.message ?? "invalid"}`,
    };
  }
  return { ok: true, marker: res.data };
}
