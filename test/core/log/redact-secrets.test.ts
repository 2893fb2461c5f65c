import { describe, expect, it } from "vitest";
import { redactSecrets } from "../../../src/core/log/redact-secrets.js";
import { REDACTED } from "../../../src/core/log/secret-patterns.js";
import { FAKE, secretPieces } from "./fake-secrets.js";

describe("redactSecrets", () => {
  it.each([
    ["personal access token", `token=${FAKE.ghp} in text`, `token=${REDACTED} in text`],
    ["OAuth token", `got ${FAKE.gho}`, `got ${REDACTED}`],
    ["user-to-server token", `(${FAKE.ghu})`, `(${REDACTED})`],
    ["installation token", `auth ${FAKE.ghs}.`, `auth ${REDACTED}.`],
    ["refresh token", FAKE.ghr, REDACTED],
    ["fine-grained PAT", `pat ${FAKE.fineGrainedPat} end`, `pat ${REDACTED} end`],
    ["v1 installation token", `"${FAKE.v1Installation}"`, `"${REDACTED}"`],
    ["App JWT", `jwt ${FAKE.appJwt} x`, `jwt ${REDACTED} x`],
    ["PEM (PKCS#1) between words", `key ${FAKE.pemPkcs1}rest`, `key ${REDACTED}\nrest`],
    ["PEM (PKCS#8)", FAKE.pemPkcs8, `${REDACTED}\n`],
    ["PEM with \\n escapes", `PRIVATE_KEY=${FAKE.pemEscaped}`, `PRIVATE_KEY=${REDACTED}\\n`],
    ["PEM cut before its END line", `key: ${FAKE.pemPkcs1.slice(0, 200)}`, `key: ${REDACTED}`],
    ["X-Hub-Signature-256 value", `sig ${FAKE.hubSignature256}`, `sig ${REDACTED}`],
    ["X-Hub-Signature value", `sig ${FAKE.hubSignature1}`, `sig ${REDACTED}`],
    [
      "Bearer token",
      `Authorization header Bearer ${FAKE.alertmanagerBearer}`,
      `Authorization header Bearer ${REDACTED}`,
    ],
    [
      "authorization header as text",
      `headers: {authorization: Basic ${FAKE.webhookSecret}, accept: x}`,
      `headers: {authorization: ${REDACTED}, accept: x}`,
    ],
    [
      "authorization header in JSON text",
      `{"Authorization":"custom ${FAKE.webhookSecret}","a":1}`,
      `{"Authorization":"${REDACTED}","a":1}`,
    ],
    [
      "credentials in a git URL",
      `git clone https://x-access-token:${FAKE.ghs}@github.com/o/r.git`,
      `git clone https://${REDACTED}@github.com/o/r.git`,
    ],
    [
      "password in a Redis URL",
      `redis://:${FAKE.webhookSecret}@redis:6379/0`,
      `redis://${REDACTED}@redis:6379/0`,
    ],
  ])("withholds a %s", (_name, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it.each([
    ["plain prose", "incident opened for KubePodCrashLooping in shop"],
    ["a commit SHA", "head 3f786850e387550fdab836ed7e6dc881de23001b"],
    ["a delivery id", "delivery 72d3162e-cc78-11e3-81ab-4c9367dc0958"],
    ["a URL without credentials", "https://github.com/o/r/pull/12"],
    ["an incident key", "shop/KubePodCrashLooping/checkout"],
    ["words around the header name", "missing authorization header"],
    ["an already redacted value", `{"authorization":"${REDACTED}"}`],
    ["the word token", "token expired; asking for a new token"],
  ])("keeps %s unchanged", (_name, input) => {
    expect(redactSecrets(input)).toBe(input);
  });

  it("leaves no piece of any token-shaped secret in a text holding all of them", () => {
    const text = Object.values(FAKE).join(" | ");
    const out = redactSecrets(text);
    expect(secretPieces({ shapedOnly: true }).filter((p) => out.includes(p))).toEqual([]);
    expect(out).toContain(REDACTED);
  });

  it("gives the same answer on repeated calls (global patterns keep no state)", () => {
    const input = `a ${FAKE.ghs} b`;
    expect([redactSecrets(input), redactSecrets(input), redactSecrets(input)]).toEqual(
      Array(3).fill(`a ${REDACTED} b`),
    );
  });
});
