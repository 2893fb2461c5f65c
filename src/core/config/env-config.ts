import { z } from "zod";

const MIN_SECRET_BYTES = 32;

const optionalString = z
  .string()
  .transform((v) => v.trim())
  .optional()
  .transform((v) => (v === "" ? undefined : v));

/**
 * Start-up configuration, read once from the environment by the server (never by the core: the
 * environment is passed in as a plain object).
 */
export const EnvConfig = z
  .object({
    /** GitHub App id (a number). */
    APP_ID: optionalString.pipe(z.string().regex(/^\d+$/, "must be the numeric GitHub App id").optional()),
    /** The App's private key (PEM); `\n` escapes are accepted. */
    PRIVATE_KEY: optionalString,
    /** Path of a file holding the private key, instead of PRIVATE_KEY. */
    PRIVATE_KEY_PATH: optionalString,
    /** Secret GitHub signs webhook deliveries with (HMAC-SHA256). */
    WEBHOOK_SECRET: optionalString,
    /** The previous webhook secret, still accepted while rotating. */
    WEBHOOK_SECRET_PREVIOUS: optionalString,
    /** Path of the GitHub webhook route. */
    WEBHOOK_PATH: z.string().startsWith("/", "must start with /").default("/api/github/webhooks"),
    /** Bearer token Alertmanager sends (`http_config.authorization.credentials`). */
    ALERTMANAGER_TOKEN: optionalString,
    /** `owner/name` of the repository that holds incident issues. */
    INCIDENT_REPO: optionalString.pipe(
      z
        .string()
        .regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/name")
        .optional(),
    ),
    /** Kubeconfig path; in-cluster configuration when unset. */
    KUBECONFIG: optionalString,
    /** Redis URL shared by replicas (locks, de-duplication, write budget, throttling). */
    REDIS_URL: optionalString.pipe(
      z
        .string()
        .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
        .optional(),
    ),
    /** Log level. */
    LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal"]).default("info"),
    /** `production` turns on the strict start-up checks. */
    NODE_ENV: z.string().default("development"),
    /** GitHub Enterprise Server host name (e.g. `github.example.com`); github.com when unset. */
    GHE_HOST: optionalString.pipe(
      z
        .string()
        .regex(
          /^[a-z0-9.-]+(:\d+)?$/i,
          "must be a host name such as github.example.com, without scheme or path",
        )
        .optional(),
    ),
    /** Protocol of GHE_HOST. */
    GHE_PROTOCOL: z.enum(["https", "http"]).default("https"),
    /** Port the server listens on. */
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Address the server binds to. */
    HOST: z.string().default("0.0.0.0"),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    const secret = env.WEBHOOK_SECRET;
    if (!secret) {
      ctx.addIssue({ code: "custom", path: ["WEBHOOK_SECRET"], message: "is required in production" });
    } else if (secret === "development") {
      ctx.addIssue({
        code: "custom",
        path: ["WEBHOOK_SECRET"],
        message: 'must not be "development" in production',
      });
    } else if (Buffer.byteLength(secret, "utf8") < MIN_SECRET_BYTES) {
      ctx.addIssue({
        code: "custom",
        path: ["WEBHOOK_SECRET"],
        message: `must be at least ${MIN_SECRET_BYTES} bytes in production`,
      });
    }
    if (!env.APP_ID) ctx.addIssue({ code: "custom", path: ["APP_ID"], message: "is required in production" });
    if (!env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH) {
      ctx.addIssue({
        code: "custom",
        path: ["PRIVATE_KEY"],
        message: "(or PRIVATE_KEY_PATH) is required in production",
      });
    }
  });
export type EnvConfig = z.infer<typeof EnvConfig>;

export type ParseEnvResult = { ok: true; env: EnvConfig } | { ok: false; variable: string; message: string };

/** Validates the environment; the failure names the variable. */
export function parseEnvConfig(raw: Record<string, string | undefined>): ParseEnvResult {
  const res = EnvConfig.safeParse(raw);
  if (res.success) return { ok: true, env: res.data };
  const issue = res.error.issues[0];
  const variable = issue?.path.map(String).join(".") || "(environment)";
  return { ok: false, variable, message: `${variable} ${issue?.message ?? "is invalid"}` };
}

/** The REST base URL every GitHub call uses: github.com, or the GitHub Enterprise Server API. */
export function githubBaseUrl(env: Pick<EnvConfig, "GHE_HOST" | "GHE_PROTOCOL">): string {
  return env.GHE_HOST ? `${env.GHE_PROTOCOL}://${env.GHE_HOST}/api/v3` : "https://api.github.com";
}
