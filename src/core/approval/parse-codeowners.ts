/**
 * CODEOWNERS with GitHub's semantics (docs.github.com "About code owners"):
 * gitignore-style patterns, the LAST matching line wins, a line without owners leaves the path unowned,
 * owners are `@user`, `@org/team` or an e-mail address, paths are case sensitive. `!` negation, `[ ]`
 * ranges and a `\#` escape do not work on GitHub: such lines are errors here (GitHub skips them, which
 * can silently drop an owner — for a security gate an error must be visible, so callers fail closed).
 */

/** Where GitHub looks for the file, in the order it looks (the first one found is used). */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

/** GitHub ignores CODEOWNERS files of 3 MB and more. */
export const CODEOWNERS_MAX_BYTES = 3 * 1024 * 1024;

export type Owner =
  | { kind: "user"; login: string; text: string }
  | { kind: "team"; org: string; team: string; text: string }
  | { kind: "email"; email: string; text: string };

export interface CodeownersRule {
  /** The pattern as written. */
  pattern: string;
  /** Owners on that line; empty means "explicitly unowned". */
  owners: Owner[];
  /** 1-based line number in the file. */
  line: number;
  /** Compiled matcher over a POSIX path relative to the repository root. */
  regex: RegExp;
}

export interface CodeownersError {
  line: number;
  message: string;
}

export interface Codeowners {
  /** The file the rules came from (for messages). */
  file: string;
  rules: CodeownersRule[];
  /** Invalid lines (skipped). */
  errors: CodeownersError[];
}

const USER_RE = /^@([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})$/;
const TEAM_RE = /^@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9_.-]{1,100})$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Parses CODEOWNERS text. Never throws: bad lines become errors with their line number. */
export function parseCodeowners(text: string, file: string = CODEOWNERS_PATHS[0]): Codeowners {
  const rules: CodeownersRule[] = [];
  const errors: CodeownersError[] = [];
  if (Buffer.byteLength(text, "utf8") >= CODEOWNERS_MAX_BYTES) {
    return { file, rules, errors: [{ line: 0, message: "file is 3 MB or larger: GitHub does not load it" }] };
  }
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const lineNo = i + 1;
    const line = stripComment(raw).trim();
    if (line === "") continue;
    const tokens = splitTokens(line);
    const pattern = tokens[0] ?? "";
    const problem = patternProblem(pattern, raw.trimStart());
    if (problem) {
      errors.push({ line: lineNo, message: problem });
      continue;
    }
    const owners: Owner[] = [];
    let bad: string | undefined;
    for (const tok of tokens.slice(1)) {
      const owner = parseOwner(tok);
      if (!owner) {
        bad = tok;
        break;
      }
      owners.push(owner);
    }
    if (bad !== undefined) {
      errors.push({ line: lineNo, message: `"${bad}" is not a @user, @org/team or e-mail owner` });
      continue;
    }
    rules.push({ pattern, owners, line: lineNo, regex: compilePattern(pattern) });
  }
  return { file, rules, errors };
}

/** The rule that decides `path` (the last one that matches), or `undefined` when none does. */
export function findOwners(codeowners: Codeowners, path: string): CodeownersRule | undefined {
  const p = path.replace(/^\/+/, "");
  for (let i = codeowners.rules.length - 1; i >= 0; i--) {
    const rule = codeowners.rules[i]!;
    if (rule.regex.test(p)) return rule;
  }
  return undefined;
}

export function parseOwner(token: string): Owner | undefined {
  const team = TEAM_RE.exec(token);
  if (team) return { kind: "team", org: team[1]!, team: team[2]!, text: token };
  const user = USER_RE.exec(token);
  if (user) return { kind: "user", login: user[1]!, text: token };
  if (EMAIL_RE.test(token)) return { kind: "email", email: token, text: token };
  return undefined;
}

/** `#` starts a comment at the line start or after whitespace; `\#` inside a pattern stays literal. */
function stripComment(raw: string): string {
  if (raw.trimStart().startsWith("#")) return "";
  const m = /(^|[^\\])\s#/.exec(raw);
  return m ? raw.slice(0, m.index + m[1]!.length) : raw;
}

/** Splits on whitespace, honouring `\ ` (an escaped space inside a pattern). */
function splitTokens(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "\\" && line[i + 1] === " ") {
      cur += " ";
      i++;
    } else if (/\s/.test(ch)) {
      if (cur) out.push(cur);
      cur = "";
    } else {
      cur += ch;
    }
  }
  if (cur) out.push(cur);
  return out;
}

function patternProblem(pattern: string, rawLine: string): string | undefined {
  if (rawLine.startsWith("\\#")) return "escaping a leading # with \\ does not work in CODEOWNERS";
  if (pattern.startsWith("!")) return "negation with ! does not work in CODEOWNERS";
  if (/[[\]]/.test(pattern)) return "character ranges with [ ] do not work in CODEOWNERS";
  if (pattern.includes("***")) return "three consecutive asterisks are not a valid pattern";
  return undefined;
}

/**
 * gitignore-style pattern → regex, as GitHub applies it: a pattern without a slash (other than a
 * trailing one) matches at any depth; with a leading or middle slash it is anchored at the root; a trailing
 * slash matches only inside a directory; a match on a directory owns everything below it, except that a
 * final lone `*` segment (`docs/*`) matches only direct children (GitHub's documented example).
 */
export function compilePattern(pattern: string): RegExp {
  if (pattern === "/") return /^$/;
  let segs = pattern.split("/");
  if (segs[0] === "") {
    segs = segs.slice(1);
  } else if (segs.length === 1 || (segs.length === 2 && segs[1] === "")) {
    if (segs[0] !== "**") segs = ["**", ...segs];
  }
  if (segs.length > 1 && segs[segs.length - 1] === "") segs[segs.length - 1] = "**";
  const last = segs.length - 1;
  let re = "^";
  let needSlash = false;
  for (const [i, seg] of segs.entries()) {
    if (seg === "**") {
      if (i === 0 && i === last) re += ".+";
      else if (i === 0) {
        re += "(?:.+/)?";
        needSlash = false;
      } else if (i === last) re += "/.*";
      else {
        re += "(?:/.+)?";
        needSlash = true;
      }
      continue;
    }
    if (needSlash) re += "/";
    if (seg === "*") {
      re += "[^/]+";
    } else {
      let escaped = false;
      for (const ch of seg) {
        if (escaped) {
          re += escapeRe(ch);
          escaped = false;
        } else if (ch === "\\") escaped = true;
        else if (ch === "*") re += "[^/]*";
        else if (ch === "?") re += "[^/]";
        else re += escapeRe(ch);
      }
      if (i === last) re += "(?:/.*)?";
    }
    needSlash = true;
  }
  return new RegExp(`${re}$`);
}

function escapeRe(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
