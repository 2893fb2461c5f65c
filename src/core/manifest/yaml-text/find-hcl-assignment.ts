/**
 * Finds the top-level `key = <number>` assignment of an HCL tfvars file by scanning its text: comments
 * (`#`, `//`, `/* … *\/`), strings, heredocs and nested `{ }` / `[ ]` values are skipped, so a `key = 3`
 * inside a map or a comment is never taken for the variable.
 */
export function findHclAssignment(
  text: string,
  key: string,
): { ok: true; value: { start: number; end: number; number: string } } | { ok: false; reason: string } {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key))
    return { ok: false, reason: `"${key}" is not a Terraform variable name` };
  // Same bound as YAML files: a 5 MB tfvars file is not a real one.
  if (text.length > 5 * 1024 * 1024) return { ok: false, reason: "file is over the 5 MB limit" };
  const hits: { start: number; end: number; raw: string }[] = [];
  let depth = 0;
  let atLineStart = true;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === "\n") {
      atLineStart = true;
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "#" || (c === "/" && text[i + 1] === "/")) {
      const nl = text.indexOf("\n", i);
      i = nl === -1 ? text.length : nl;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close === -1 ? text.length : close + 2;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
      i++;
      atLineStart = false;
      continue;
    }
    if (c === "<" && text[i + 1] === "<") {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)\r?\n/.exec(text.slice(i, i + 80));
      if (m) {
        const end = new RegExp(`\\n[ \\t]*${m[1]}[ \\t]*(\\r?\\n|$)`).exec(text.slice(i));
        i = end ? i + end.index + end[0].length : text.length;
        atLineStart = true;
        continue;
      }
    }
    if (c === "{" || c === "[" || c === "(") depth++;
    else if (c === "}" || c === "]" || c === ")") depth = Math.max(0, depth - 1);
    if (depth === 0 && atLineStart && /[A-Za-z_]/.test(c)) {
      const m = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=(?!=)[ \t]*/.exec(text.slice(i, i + 300));
      if (m && m[1] === key) {
        const valueStart = i + m[0].length;
        const line = text.slice(
          valueStart,
          text.indexOf("\n", valueStart) === -1 ? text.length : text.indexOf("\n", valueStart),
        );
        const num = /^(-?\d+(?:\.\d+)?)[ \t]*(?:(?:#|\/\/|\/\*).*)?\r?$/.exec(line);
        hits.push({
          start: valueStart,
          end: num ? valueStart + (num[1] as string).length : -1,
          raw: num?.[1] ?? line.trim(),
        });
      }
      if (m) {
        // Continue scanning from the value so braces and strings in it are tracked.
        i += m[0].length;
        atLineStart = false;
        continue;
      }
    }
    atLineStart = false;
    i++;
  }
  if (hits.length === 0) return { ok: false, reason: `no top-level ${key} = … in the file` };
  if (hits.length > 1) return { ok: false, reason: `${key} is assigned ${hits.length} times` };
  const hit = hits[0] as (typeof hits)[number];
  if (hit.end === -1) return { ok: false, reason: `${key} is not a plain number (${hit.raw})` };
  return { ok: true, value: { start: hit.start, end: hit.end, number: hit.raw } };
}
