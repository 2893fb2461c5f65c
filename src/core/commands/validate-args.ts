import type { ArgsResult } from "./command-spec.js";

/** Longest argument text any command accepts (free-text reasons included). */
export const MAX_ARGS_LENGTH = 500;

/**
 * Characters that hide or reorder text: zero-width, joiners, bidi overrides, BOM, soft hyphen. They are
 * refused everywhere, so what a reviewer sees is what runs.
 */
export const INVISIBLE_CHARS = new RegExp(
  [
    "\\u00AD",
    "\\u034F",
    "\\u061C",
    "[\\u115F\\u1160\\u17B4\\u17B5\\u180E\\u3164\\uFEFF\\uFFA0]",
    "[\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u206F]",
    "[\\uFE00-\\uFE0F]",
  ].join("|"),
  "u",
);
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/** Splits plain arguments: printable ASCII words separated by spaces, nothing else. */
export function splitWords(args: string): ArgsResult<string[]> {
  if (args.length > MAX_ARGS_LENGTH) {
    return {
      ok: false,
      message: `arguments are ${args.length} characters long; the limit is ${MAX_ARGS_LENGTH}`,
    };
  }
  if (INVISIBLE_CHARS.test(args))
    return { ok: false, message: "arguments contain invisible (zero-width or bidi) characters" };
  if (!/^[\x20-\x7E\t]*$/.test(args))
    return { ok: false, message: "arguments may only contain plain ASCII characters" };
  return { ok: true, value: args.split(/[ \t]+/).filter((w) => w !== "") };
}

/** No arguments at all. */
export function noArgs(args: string): ArgsResult<Record<string, never>> {
  const words = splitWords(args);
  if (!words.ok) return words;
  if (words.value.length > 0)
    return { ok: false, message: `takes no arguments (got \`${clip(words.value.join(" "))}\`)` };
  return { ok: true, value: {} };
}

/** Optional single keyword (e.g. `cancel`). */
export function optionalKeyword<const K extends string>(
  args: string,
  keyword: K,
): ArgsResult<{ [P in K]: boolean }> {
  const words = splitWords(args);
  if (!words.ok) return words;
  const w = words.value;
  if (w.length === 0) return { ok: true, value: { [keyword]: false } as { [P in K]: boolean } };
  if (w.length === 1 && w[0] === keyword)
    return { ok: true, value: { [keyword]: true } as { [P in K]: boolean } };
  return { ok: false, message: `expected nothing or \`${keyword}\`, got \`${clip(w.join(" "))}\`` };
}

/** Free text for people (a reason): any script, but no control or invisible characters, bounded length. */
export function freeText(text: string, what: string, max = MAX_ARGS_LENGTH): ArgsResult<string> {
  const t = text.trim();
  if (t === "") return { ok: false, message: `${what} is required` };
  if (t.length > max)
    return { ok: false, message: `${what} is ${t.length} characters long; the limit is ${max}` };
  if (CONTROL_CHARS.test(t)) return { ok: false, message: `${what} contains control characters` };
  if (INVISIBLE_CHARS.test(t))
    return { ok: false, message: `${what} contains invisible (zero-width or bidi) characters` };
  return { ok: true, value: t.normalize("NFC") };
}

/** Shortens user text quoted back in a reply. */
export function clip(text: string, max = 40): string {
  const t = text.replace(/`/g, "'");
  return t.length > max ? `${t.slice(0, max)}…` : t;
}
