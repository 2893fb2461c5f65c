import { describe, expect, it } from "vitest";
import { githubBaseUrl, parseEnvConfig } from "../../../src/core/config/env-config.js";

const STRONG = "s".repeat(32);
const KEY = "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----";

describe("parseEnvConfig", () => {
  it("accepts an empty development environment with defaults", () => {
    const res = parseEnvConfig({});
    expect(res).toMatchObject({ ok: true, env: { PORT: 3000, LOG_LEVEL: "info", NODE_ENV: "development" } });
  });

  it("accepts a complete production environment", () => {
    const res = parseEnvConfig({
      NODE_ENV: "production",
      APP_ID: "12345",
      PRIVATE_KEY: KEY,
      WEBHOOK_SECRET: STRONG,
      ALERTMANAGER_TOKEN: "t0ken",
      INCIDENT_REPO: "acme/incidents",
      REDIS_URL: "redis://127.0.0.1:6379",
      GHE_HOST: "github.example.com",
      PORT: "8080",
    });
    expect(res.ok).toBe(true);
    if (res.ok) expect(res.env.PORT).toBe(8080);
  });

  it.each([
    [
      { NODE_ENV: "production", APP_ID: "1", PRIVATE_KEY: KEY },
      "WEBHOOK_SECRET",
      "WEBHOOK_SECRET is required in production",
    ],
    [
      { NODE_ENV: "production", APP_ID: "1", PRIVATE_KEY: KEY, WEBHOOK_SECRET: "development" },
      "WEBHOOK_SECRET",
      'WEBHOOK_SECRET must not be "development" in production',
    ],
    [
      { NODE_ENV: "production", APP_ID: "1", PRIVATE_KEY: KEY, WEBHOOK_SECRET: "short-secret" },
      "WEBHOOK_SECRET",
      "WEBHOOK_SECRET must be at least 32 bytes in production",
    ],
    [
      { NODE_ENV: "production", PRIVATE_KEY: KEY, WEBHOOK_SECRET: STRONG },
      "APP_ID",
      "APP_ID is required in production",
    ],
    [
      { NODE_ENV: "production", APP_ID: "1", WEBHOOK_SECRET: STRONG },
      "PRIVATE_KEY",
      "PRIVATE_KEY (or PRIVATE_KEY_PATH) is required in production",
    ],
    [{ APP_ID: "my-app" }, "APP_ID", "APP_ID must be the numeric GitHub App id"],
    [{ INCIDENT_REPO: "incidents" }, "INCIDENT_REPO", "INCIDENT_REPO must be owner/name"],
    [{ REDIS_URL: "localhost:6379" }, "REDIS_URL", "REDIS_URL must be a redis:// or rediss:// URL"],
    [
      { GHE_HOST: "https://github.example.com" },
      "GHE_HOST",
      "GHE_HOST must be a host name such as github.example.com, without scheme or path",
    ],
    [{ GHE_PROTOCOL: "ftp" }, "GHE_PROTOCOL", 'GHE_PROTOCOL Invalid option: expected one of "https"|"http"'],
    [{ LOG_LEVEL: "verbose" }, "LOG_LEVEL", expect.stringMatching(/^LOG_LEVEL Invalid option/)],
    [{ PORT: "70000" }, "PORT", expect.stringMatching(/^PORT Too big/)],
    [{ WEBHOOK_PATH: "hooks" }, "WEBHOOK_PATH", "WEBHOOK_PATH must start with /"],
  ])("rejects %j naming %s", (raw, variable, message) => {
    expect(parseEnvConfig(raw)).toEqual({ ok: false, variable, message });
  });

  it("does not put the secret's value in the message", () => {
    const res = parseEnvConfig({
      NODE_ENV: "production",
      APP_ID: "1",
      PRIVATE_KEY: KEY,
      WEBHOOK_SECRET: "hunter2",
    });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.message).not.toContain("hunter2");
  });
});

describe("githubBaseUrl", () => {
  it.each([
    [{ GHE_PROTOCOL: "https" as const }, "https://api.github.com"],
    [{ GHE_HOST: "github.example.com", GHE_PROTOCOL: "https" as const }, "https://github.example.com/api/v3"],
    [{ GHE_HOST: "ghe.local:8443", GHE_PROTOCOL: "http" as const }, "http://ghe.local:8443/api/v3"],
  ])("%j ⇒ %s", (env, url) => {
    expect(githubBaseUrl(env)).toBe(url);
  });
});
