import { SECRET_PATTERNS } from "./secret-patterns.js";

/** Replaces every token, key, JWT, signature and URL credential found in `text` (see SECRET_PATTERNS). */
export function redactSecrets(text: string): string {
  let out = text;
  for (const { pattern, replacement } of SECRET_PATTERNS) {
    // The patterns are global: reset the cursor so a previous call cannot make this one skip.
    pattern.lastIndex = 0;
    out = out.replace(pattern, replacement);
  }
  return out;
}
