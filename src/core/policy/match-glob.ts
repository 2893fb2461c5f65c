const cache = new Map<string, RegExp>();

/**
 * Git-style globs for `policy.include` / `policy.exclude`: `**` any number of folders, `*` and `?` within one
 * path segment, `{a,b}` alternatives. Paths are POSIX and relative to the repository root.
 */
export function matchGlob(pattern: string, path: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    let src = "";
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i]!;
      if (c === "*" && pattern[i + 1] === "*") {
        const slash = pattern[i + 2] === "/";
        src += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else if (c === "*") src += "[^/]*";
      else if (c === "?") src += "[^/]";
      else if (c === "{") src += "(?:";
      else if (c === "}") src += ")";
      else if (c === ",") src += "|";
      else src += c.replace(/[.+^$()|[\]\\]/g, "\\$&");
    }
    re = new RegExp(`^${src}$`);
    cache.set(pattern, re);
  }
  return re.test(path);
}
