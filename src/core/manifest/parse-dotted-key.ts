import type { YamlPath } from "./yaml-text/apply-yaml-ops.js";

/**
 * Parses a Helm-style dotted key into a path: `image.tag` → `["image","tag"]`,
 * `ingress.annotations.nginx\.ingress\.kubernetes\.io/limit-rps` (escaped dots, as `helm --set` takes them),
 * `ingress.hosts[0].host` (list indexes).
 */
export function parseDottedKey(key: string): { ok: true; path: YamlPath } | { ok: false; reason: string } {
  if (key.length === 0 || key.length > 512) return { ok: false, reason: `"${key}" is not a usable key` };
  const path: YamlPath = [];
  let seg = "";
  let hasSeg = false;
  const flush = (): boolean => {
    if (!hasSeg) return false;
    path.push(seg);
    seg = "";
    hasSeg = false;
    return true;
  };
  for (let i = 0; i < key.length; i++) {
    const c = key[i] as string;
    if (c === "\\" && key[i + 1] === ".") {
      seg += ".";
      hasSeg = true;
      i++;
    } else if (c === ".") {
      if (!flush() && key[i - 1] !== "]") return { ok: false, reason: `"${key}" has an empty segment` };
    } else if (c === "[") {
      const close = key.indexOf("]", i);
      const index = key.slice(i + 1, close);
      if (close === -1 || !/^\d{1,6}$/.test(index))
        return { ok: false, reason: `"${key}" has a bad list index` };
      if (!flush() && path.length === 0) return { ok: false, reason: `"${key}" starts with a list index` };
      path.push(Number(index));
      i = close;
      if (i + 1 < key.length && key[i + 1] !== "." && key[i + 1] !== "[") {
        return { ok: false, reason: `"${key}": expected "." after "]"` };
      }
    } else {
      seg += c;
      hasSeg = true;
    }
  }
  if (!flush() && (path.length === 0 || key.endsWith(".")))
    return { ok: false, reason: `"${key}" has an empty segment` };
  return { ok: true, path };
}
