/** Compiled wildcard patterns; policies reuse the same few hundred patterns over thousands of resources. */
const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 10_000;

/** True when the text has Kyverno wildcard characters (`*` any run, `?` one character). */
export function hasWildcard(pattern: string): boolean {
  return pattern.includes("*") || pattern.includes("?");
}

/**
 * Kyverno's wildcard match (`pkg/utils/wildcard`): `*` matches any run of characters (also empty), `?` exactly
 * one, everything else literally; the whole value must match.
 */
export function matchWildcard(pattern: string, value: string): boolean {
  if (!hasWildcard(pattern)) return pattern === value;
  if (pattern === "*") return true;
  let re = cache.get(pattern);
  if (!re) {
    let src = "^";
    for (const ch of pattern) {
      if (ch === "*") src += "[\\s\\S]*";
      else if (ch === "?") src += "[\\s\\S]";
      else src += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
    re = new RegExp(`${src}$`, "u");
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(pattern, re);
  }
  return re.test(value);
}
