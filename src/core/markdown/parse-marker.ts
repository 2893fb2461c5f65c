import { encodeMarkerKey } from "./render-marker.js";

const MARKER = /^<!-- medic:([a-z][a-z0-9-]*) ([^\s<>]+) -->$/;

/**
 * Finds the first `<!-- medic:KIND KEY -->` marker of the given kind that stands alone on a line of a
 * bot-written body and returns its decoded key, or `null`. Callers must also check that the body was
 * written by the bot: a person can type a marker into their own issue.
 */
export function parseMarker(body: string | null | undefined, kind: string): string | null {
  if (!body) return null;
  for (const line of body.split(/\r?\n/)) {
    const m = MARKER.exec(line.trim());
    if (!m || m[1] !== kind) continue;
    try {
      const key = decodeURIComponent(m[2] ?? "");
      // Only the canonical encoding counts, so two spellings can never name the same key.
      if (encodeMarkerKey(key) === m[2]) return key;
    } catch {
      // A malformed escape is not our marker.
    }
  }
  return null;
}
