import { readFileSync } from "node:fs";
import type { Logger as PinoLogger } from "pino";
import { Probot, type ProbotOctokit } from "probot";
import { type EnvConfig, githubBaseUrl } from "../core/config/env-config.js";

export type ReadPrivateKeyResult = { ok: true; key: string | undefined } | { ok: false; message: string };

/** PRIVATE_KEY (with `\n` escapes, as most secret stores keep it) or the file at PRIVATE_KEY_PATH. */
export function readPrivateKey(
  env: Pick<EnvConfig, "PRIVATE_KEY" | "PRIVATE_KEY_PATH">,
): ReadPrivateKeyResult {
  let key = env.PRIVATE_KEY?.replace(/\\n/g, "\n");
  if (!key && env.PRIVATE_KEY_PATH) {
    try {
      key = readFileSync(env.PRIVATE_KEY_PATH, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "error";
      return { ok: false, message: `PRIVATE_KEY_PATH ${env.PRIVATE_KEY_PATH} cannot be read (${code})` };
    }
  }
  if (key && !/-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/.test(key)) {
    // Never echo the value: it may be a real key pasted with the wrong format.
    return {
      ok: false,
      message: "PRIVATE_KEY is not a PEM private key (expected -----BEGIN … PRIVATE KEY-----)",
    };
  }
  return { ok: true, key };
}

export interface BuildProbotOptions {
  env: EnvConfig;
  privateKey: string | undefined;
  log: PinoLogger;
  /** Tests turn retries and throttling off; production keeps Probot's defaults. */
  Octokit?: typeof ProbotOctokit;
}

/**
 * The Probot instance. Every GitHub call of the app — webhook handlers and HTTP routes alike — goes
 * through octokits made by this instance, so GHE_HOST/GHE_PROTOCOL apply everywhere.
 */
export function buildProbot(opts: BuildProbotOptions): Probot {
  const { env } = opts;
  return new Probot({
    appId: env.APP_ID ?? "1",
    // Probot requires a key even when only receiving webhooks; outside production a placeholder is
    // refused by GitHub at the first API call with a clear 401, which is the honest outcome.
    privateKey: opts.privateKey ?? "-----BEGIN RSA PRIVATE KEY-----\nmissing\n-----END RSA PRIVATE KEY-----",
    // The secret Probot would use for its own middleware; our webhook route verifies first (rotation).
    secret: env.WEBHOOK_SECRET ?? "development",
    baseUrl: githubBaseUrl(env),
    log: opts.log,
    ...(env.REDIS_URL ? { redisConfig: env.REDIS_URL } : {}),
    ...(opts.Octokit ? { Octokit: opts.Octokit } : {}),
  });
}
