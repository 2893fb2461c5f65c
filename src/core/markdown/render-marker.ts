/**
 * Hidden markers make every bot write findable and idempotent: `<!-- medic:KIND KEY -->`.
 * The key is percent-encoded (slashes kept for readability) so that no label value can end the comment
 * early or smuggle a second marker.
 */
export function renderMarker(kind: string, key: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(kind)) throw new Error(`invalid marker kind "${kind}"`);
  return `<!-- medic:${kind} ${encodeMarkerKey(key)} -->`;
}

/** The key as it appears inside a marker. */
export function encodeMarkerKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, "/");
}
