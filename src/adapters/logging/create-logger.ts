import { type DestinationStream, type Level, type Logger, type LoggerOptions, pino } from "pino";
import { redactSecrets } from "../../core/log/redact-secrets.js";
import { redactValue } from "../../core/log/redact-value.js";
import { REDACTED } from "../../core/log/secret-patterns.js";

export interface CreateLoggerOptions {
  /** Minimum level written (`LOG_LEVEL`). */
  level?: Level | "silent";
  /** Where lines go; stdout when unset. Tests pass a stream that collects lines. */
  destination?: DestinationStream;
  /** Fields on every line (e.g. `{ name: "gitops-medic" }`). */
  base?: Record<string, unknown>;
}

// Well-known places first: pino removes these without looking at the value, so they hold even if a
// value has a shape the patterns do not know. The formatter below covers every other depth and name.
const REDACT_PATHS = [
  "headers.authorization",
  "headers.cookie",
  'headers["x-hub-signature"]',
  'headers["x-hub-signature-256"]',
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-hub-signature"]',
  'req.headers["x-hub-signature-256"]',
  "request.headers.authorization",
  "options.headers.authorization",
  "err.request.headers.authorization",
  "err.response.headers.authorization",
  "*.headers.authorization",
  "privateKey",
  "*.privateKey",
  "secret",
  "*.secret",
  "token",
  "*.token",
];

/**
 * The app's logger: JSON lines (pino) that never carry a token, private key, JWT, webhook signature or
 * `Authorization` value, at any level. Four layers, because each catches what another cannot:
 * `redact` paths (known fields), a log formatter that scrubs every string and sensitive field name of
 * the logged object and of child bindings (`redactValue`), a `logMethod` hook for the message and
 * printf arguments, and a last pass over the finished line (`redactSecrets`) for anything else.
 */
export function createLogger(opts: CreateLoggerOptions = {}): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? "info",
    base: opts.base ?? { name: "gitops-medic" },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    // The formatter has already turned errors into scrubbed `{ type, message, stack }` objects; pino's
    // own error serializer would run on that copy and rename its type to "Object".
    serializers: { err: (value: unknown) => value },
    formatters: {
      log: (obj) => redactValue(obj) as Record<string, unknown>,
      bindings: (bindings) => redactValue(bindings) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        // `log.error(err)` makes pino take the message from err.message, past the formatter.
        if (first instanceof Error && rest.length === 0) {
          return method.call(this, { err: first }, redactSecrets(first.message));
        }
        const scrubbed = [
          typeof first === "string" ? redactSecrets(first) : first,
          ...rest.map((a) => (typeof a === "string" ? redactSecrets(a) : redactValue(a))),
        ];
        return (method as (...a: unknown[]) => void).apply(this, scrubbed);
      },
      streamWrite: (line) => redactSecrets(line),
    },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
