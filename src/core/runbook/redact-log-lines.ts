import { redactSecrets } from "../log/redact-secrets.js";

/**
 * Log-specific shapes the shared secret patterns leave alone because they would eat prose in log
 * messages of our own: `password=…`, `secret: …`, `"api_key":"…"` — keep the key, hide the value.
 */
const KEY_VALUE =
  /((?:pass(?:word|wd)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[\w-]*["']?\s*[:=]\s*["']?)(?!\[REDACTED\])([^\s"',;&]+)/gi;
/** AWS access key ids: application logs leak them more than our own logs do. */
const AWS_KEY_ID = /\bAKIA[0-9A-Z]{16}\b/g;

/** Longest line kept; longer ones are cut so a log line cannot flood a PR body. */
const MAX_LINE = 500;

/**
 * Redacts secrets from container log lines before they go into a plan, a PR body or an issue: the shared
 * token, JWT, key and URL-credential patterns, plus `key=value` secrets. Strips terminal escapes and control
 * characters and caps line length.
 */
export function redactLogLines(lines: readonly string[]): string[] {
  return lines.map((raw) => {
    let line = raw.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
    line = redactSecrets(line);
    line = line.replace(KEY_VALUE, (_m, key: string) => `${key}[REDACTED]`).replace(AWS_KEY_ID, "[REDACTED]");
    return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}… (cut)` : line;
  });
}
