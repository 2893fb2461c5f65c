/**
 * A JSON parser that keeps source offsets, so Terraform JSON files can be edited as text (only the changed
 * bytes move) instead of being re-serialised.
 */
export type JsonNode =
  | { type: "object"; start: number; end: number; members: JsonMember[] }
  | { type: "array"; start: number; end: number; items: JsonNode[] }
  | { type: "string" | "number" | "literal"; start: number; end: number; value: unknown };

export interface JsonMember {
  key: string;
  keyStart: number;
  value: JsonNode;
}

/** Parses JSON text into a positioned tree; malformed JSON is an error with the offset. */
export function parseJsonSpans(text: string): { ok: true; root: JsonNode } | { ok: false; reason: string } {
  if (text.length > 5 * 1024 * 1024) return { ok: false, reason: "file is over the 5 MB limit" };
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${i}`);
  };
  const ws = (): void => {
    while (i < text.length && " \t\r\n".includes(text[i] as string)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail("unterminated string");
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (depth: number): JsonNode => {
    if (depth > 200) fail("nesting too deep");
    ws();
    const start = i;
    const c = text[i];
    if (c === "{") {
      i++;
      const members: JsonMember[] = [];
      ws();
      if (text[i] === "}") {
        i++;
        return { type: "object", start, end: i, members };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a key");
        const keyStart = i;
        const key = str();
        ws();
        if (text[i] !== ":") fail('expected ":"');
        i++;
        members.push({ key, keyStart, value: value(depth + 1) });
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return { type: "object", start, end: i, members };
        }
        fail('expected "," or "}"');
      }
    }
    if (c === "[") {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return { type: "array", start, end: i, items };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return { type: "array", start, end: i, items };
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') {
      const v = str();
      return { type: "string", start, end: i, value: v };
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (m) {
      i += m[0].length;
      return { type: "number", start, end: i, value: Number(m[0]) };
    }
    for (const [word, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return { type: "literal", start, end: i, value: v };
      }
    }
    return fail("unexpected character");
  };
  try {
    // A BOM is legal in files written by some editors; JSON.parse would reject it.
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    const root = value(0);
    ws();
    if (i !== text.length) fail("trailing characters");
    return { ok: true, root };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
