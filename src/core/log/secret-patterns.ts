/**
 * What never reaches a log line. Two lists: patterns found inside any string (tokens, keys, JWTs,
 * signatures, credentials in URLs), and field names whose whole value is withheld (headers and
 * settings that hold a secret even when its shape is unknown, e.g. a webhook secret).
 */

/** A pattern and what replaces a match. `$1` keeps a harmless prefix such as `Bearer `. */
export interface SecretPattern {
  /** Short name, for tests and docs. */
  name: string;
  /** Global regular expression. */
  pattern: RegExp;
  /** Replacement text (may use `$1`). */
  replacement: string;
}

export const REDACTED = "[REDACTED]";

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  // PEM blocks first: their base64 body would otherwise be cut into pieces by the other patterns. A
  // block cut off before its END line (a truncated message) is withheld to the end of the string.
  {
    name: "pem-private-key",
    pattern: /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(-----END ([A-Z0-9]+ )*PRIVATE KEY-----|$)/g,
    replacement: REDACTED,
  },
  // GitHub: personal (ghp_), OAuth (gho_), user-to-server (ghu_), server-to-server/installation (ghs_),
  // refresh (ghr_); fine-grained PATs; and the older 40-hex `v1.` installation tokens.
  { name: "github-token", pattern: /\bgh[pousr]_[A-Za-z0-9_]{16,255}/g, replacement: REDACTED },
  { name: "github-fine-grained-pat", pattern: /\bgithub_pat_[A-Za-z0-9_]{16,255}/g, replacement: REDACTED },
  { name: "github-v1-installation-token", pattern: /\bv1\.[0-9a-f]{40}\b/g, replacement: REDACTED },
  // JWTs (the App's own RS256 JWT, or any bearer JWT): base64url header `{"…` always starts with eyJ.
  {
    name: "jwt",
    pattern: /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g,
    replacement: REDACTED,
  },
  // Webhook signatures (X-Hub-Signature, X-Hub-Signature-256): useless to an attacker only in theory.
  { name: "hub-signature", pattern: /\bsha(?:1|256)=[0-9a-fA-F]{40,64}\b/g, replacement: REDACTED },
  // Authorization-style header values written out as text, e.g. `authorization: token ghs_…`.
  {
    name: "auth-header-text",
    pattern:
      /\b((?:proxy-)?authorization|x-hub-signature(?:-256)?|cookie|set-cookie)(["']?\s*[:=]\s*["']?)(?!\[REDACTED\])[^"'\r\n,}]+/gi,
    replacement: `$1$2${REDACTED}`,
  },
  // `Bearer x` and `Basic x` wherever they appear (Alertmanager's bearer token, proxies). GitHub's
  // `token x` form is caught by the token shapes above; matching the bare word would eat prose.
  {
    name: "bearer",
    pattern: /\b(Bearer|Basic)(\s+)(?!\[REDACTED\])[A-Za-z0-9._~+/=-]{8,}/gi,
    replacement: `$1$2${REDACTED}`,
  },
  // Credentials inside URLs: https://x-access-token:TOKEN@github.com, redis://:password@redis:6379.
  {
    name: "url-credentials",
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/)[^\s:/@"']*:[^\s/@"']+@/gi,
    replacement: `$1${REDACTED}@`,
  },
];

/**
 * Field names (compared lower-case with `-` and `_` removed) whose value is withheld whatever it
 * looks like: headers and configuration that carry secrets in arbitrary shapes.
 */
export const SENSITIVE_KEYS: ReadonlySet<string> = new Set([
  "authorization",
  "proxyauthorization",
  "cookie",
  "setcookie",
  "xhubsignature",
  "xhubsignature256",
  "token",
  "accesstoken",
  "refreshtoken",
  "bearertoken",
  "installationtoken",
  "jwt",
  "privatekey",
  "secret",
  "clientsecret",
  "webhooksecret",
  "webhooksecretprevious",
  "alertmanagertoken",
  "password",
  "apikey",
]);
