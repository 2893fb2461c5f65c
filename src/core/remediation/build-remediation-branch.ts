import { sha256Hex } from "../plan/sha256-hex.js";

/** Every branch the bot writes starts with this; the bot never touches a branch outside it. */
export const REMEDIATION_BRANCH_PREFIX = "medic/";

/**
 * The deterministic branch of a remediation: `medic/<runbook>/<short incident key>`, where the short key
 * is a readable slug of the incident key plus 8 hex digits of its SHA-256. The hash keeps two keys that
 * slug alike (`a/b` and `a-b`) apart, so a rerun always finds its own branch and never another incident's.
 * Only `[a-z0-9-]` survive, which is always a valid git ref component.
 */
export function buildRemediationBranch(runbookId: string, incidentKey: string): string {
  if (incidentKey.length === 0) throw new Error("buildRemediationBranch: incidentKey is empty");
  const runbook = slug(runbookId, 40) || "runbook";
  const keySlug = slug(incidentKey.split("/").slice(1).join("/") || incidentKey, 32);
  const hash = sha256Hex(incidentKey).slice(0, 8);
  return `${REMEDIATION_BRANCH_PREFIX}${runbook}/${keySlug ? `${keySlug}-` : ""}${hash}`;
}

function slug(text: string, max: number): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, max)
    .replace(/^-+|-+$/g, "");
}
