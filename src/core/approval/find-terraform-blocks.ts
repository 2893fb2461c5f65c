/** One top-level block of a Terraform file that matters for destruction. */
export interface TerraformBlock {
  /** `resource.aws_instance.web` or `module.network`. */
  address: string;
  /** Raw literal of a top-level `count = …` in the block, when present. */
  count?: string;
  /** Raw text of a top-level `for_each = …`, when present. */
  forEach?: string;
  /** Whether `lifecycle { prevent_destroy = true }` is set. */
  preventDestroy: boolean;
}

export type FindTerraformBlocksResult =
  | { ok: true; blocks: TerraformBlock[] }
  | { ok: false; message: string };

/**
 * Finds `resource` and `module` blocks in HCL text with a small brace scanner (strings, comments and
 * heredocs skipped). It is not an HCL parser: anything it cannot follow is reported, and the classifier
 * then calls the change unclassifiable (destructive), never safe.
 */
export function findTerraformBlocks(text: string): FindTerraformBlocksResult {
  const stripped = stripHcl(text);
  if (!stripped.ok) return stripped;
  const src = stripped.text;
  const blocks: TerraformBlock[] = [];
  const header = /(^|\n)[ \t]*(resource|module)[ \t]+((?:"[^"\n]*"[ \t]*){1,2})\{/g;
  let m: RegExpExecArray | null = header.exec(src);
  while (m) {
    const labels = [...m[3]!.matchAll(/"([^"\n]*)"/g)].map((x) => x[1]!);
    const open = m.index + m[0].length - 1;
    const close = matchBrace(src, open);
    if (close < 0) return { ok: false, message: `unbalanced braces in ${m[2]} block` };
    const body = src.slice(open + 1, close);
    const top = topLevel(body);
    const count = /(^|\n)[ \t]*count[ \t]*=[ \t]*([^\n]+)/.exec(top)?.[2]?.trim();
    const forEach = /(^|\n)[ \t]*for_each[ \t]*=[ \t]*([^\n]+)/.exec(top)?.[2]?.trim();
    const lifecycle = /(^|\n)[ \t]*lifecycle[ \t]*\{/.exec(body);
    let preventDestroy = false;
    if (lifecycle) {
      const lOpen = lifecycle.index + lifecycle[0].length - 1;
      const lClose = matchBrace(body, lOpen);
      const lBody = lClose < 0 ? "" : body.slice(lOpen + 1, lClose);
      preventDestroy = /(^|\n)[ \t]*prevent_destroy[ \t]*=[ \t]*true\b/.test(lBody);
    }
    blocks.push({
      address: [m[2], ...labels].join("."),
      ...(count !== undefined ? { count } : {}),
      ...(forEach !== undefined ? { forEach } : {}),
      preventDestroy,
    });
    header.lastIndex = close + 1;
    m = header.exec(src);
  }
  return { ok: true, blocks };
}

/** Replaces comments, string contents and heredoc bodies with spaces (keeping quotes and newlines). */
function stripHcl(text: string): { ok: true; text: string } | { ok: false; message: string } {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === "#" || (ch === "/" && next === "/")) {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (ch === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) return { ok: false, message: "unterminated /* comment" };
      out += text.slice(i, end + 2).replace(/[^\n]/g, " ");
      i = end + 2;
      continue;
    }
    if (ch === "<" && next === "<") {
      const hd = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\n/.exec(text.slice(i));
      if (hd) {
        const endRe = new RegExp(`\\n[ \\t]*${hd[1]}[ \\t]*(\\n|$)`, "g");
        endRe.lastIndex = i + hd[0].length - 1;
        const end = endRe.exec(text);
        if (!end) return { ok: false, message: `unterminated heredoc ${hd[1]}` };
        out += `"${text.slice(i, end.index + end[0].length).replace(/[^\n]/g, " ")}"`;
        i = end.index + end[0].length;
        continue;
      }
    }
    if (ch === '"') {
      let j = i + 1;
      let depth = 0;
      while (j < text.length) {
        const c = text[j]!;
        if (c === "\\") {
          j += 2;
          continue;
        }
        if (c === "$" && text[j + 1] === "{") {
          depth++;
          j += 2;
          continue;
        }
        if (c === "}" && depth > 0) depth--;
        else if (c === '"' && depth === 0) break;
        else if (c === "\n" && depth === 0) return { ok: false, message: "unterminated string" };
        j++;
      }
      if (j >= text.length) return { ok: false, message: "unterminated string" };
      // Keep the literal of simple label strings so `resource "a" "b"` stays readable.
      const inner = text.slice(i + 1, j);
      out += /^[A-Za-z0-9_.\-/]*$/.test(inner) ? `"${inner}"` : `"${inner.replace(/[^\n]/g, " ")}"`;
      i = j + 1;
      continue;
    }
    out += ch;
    i++;
  }
  return { ok: true, text: out };
}

function matchBrace(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** The block body with nested blocks removed, so `count` inside a nested block is not read as the block's. */
function topLevel(body: string): string {
  let out = "";
  let depth = 0;
  for (const c of body) {
    if (c === "{") depth++;
    if (depth === 0) out += c;
    if (c === "}") depth--;
  }
  return out;
}
