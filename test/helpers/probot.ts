import { generateKeyPairSync } from "node:crypto";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { type CreateLoggerOptions, createLogger } from "../../src/adapters/logging/create-logger.js";

let cachedKey: string | undefined;

/** A throwaway RSA key so Probot can sign app JWTs that nock accepts (generated once per test process). */
export function testPrivateKey(): string {
  cachedKey ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  return cachedKey;
}

/**
 * Octokit as the app uses it, minus retries and throttling so tests see every request exactly once and
 * without the throttle's 1 s spacing of writes. A function, not an object: Probot wraps this class with its
 * own defaults (which turn the throttle on), and only a function default sees — and can override — those.
 */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { ...(options["retry"] as object), enabled: false },
  throttle: { ...(options["throttle"] as object), enabled: false },
})) as typeof ProbotOctokit;

let logFile: ReturnType<typeof pino.destination> | undefined;

/**
 * The app's own redacting logger, silent unless MEDIC_TEST_LOG sets a level. With MEDIC_TEST_LOG_FILE the
 * lines go to that file: `npm test` runs the suite at trace level into a file and then scans it for
 * tokens, keys and JWTs (test/security/log-scan.test.ts).
 */
export function testLogger() {
  const level = (process.env.MEDIC_TEST_LOG ?? "silent") as CreateLoggerOptions["level"];
  const file = process.env.MEDIC_TEST_LOG_FILE;
  if (file) logFile ??= pino.destination({ dest: file, append: true, sync: true });
  return createLogger({ level, ...(logFile ? { destination: logFile } : {}) });
}

export interface TestProbotOptions {
  appId?: number;
  /** GitHub Enterprise Server base URL, e.g. `https://ghe.example.com/api/v3`. */
  baseUrl?: string;
}

/** A Probot instance for `probot.receive()` tests with nock (`https://api.github.com` unless baseUrl). */
export function createTestProbot(opts: TestProbotOptions = {}): Probot {
  return new Probot({
    appId: opts.appId ?? 1,
    privateKey: testPrivateKey(),
    secret: "test-secret",
    log: testLogger(),
    Octokit: TestOctokit,
    ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
  });
}
