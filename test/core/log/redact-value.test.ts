import { describe, expect, it } from "vitest";
import { redactValue } from "../../../src/core/log/redact-value.js";
import { REDACTED } from "../../../src/core/log/secret-patterns.js";
import { FAKE, secretPieces } from "./fake-secrets.js";

const leaks = (v: unknown): string[] => {
  const text = JSON.stringify(v);
  return secretPieces().filter((p) => text.includes(p));
};

describe("redactValue", () => {
  it.each([
    ["authorization"],
    ["Authorization"],
    ["proxy-authorization"],
    ["x-hub-signature"],
    ["X-Hub-Signature-256"],
    ["privateKey"],
    ["PRIVATE_KEY"],
    ["webhookSecret"],
    ["WEBHOOK_SECRET_PREVIOUS"],
    ["ALERTMANAGER_TOKEN"],
    ["token"],
    ["access_token"],
    ["password"],
    ["cookie"],
  ])("withholds the whole value of a field named %s", (key) => {
    expect(redactValue({ [key]: "anything at all", other: "kept" })).toEqual({
      [key]: REDACTED,
      other: "kept",
    });
  });

  it("scrubs strings at every depth, in arrays, maps and sets", () => {
    const input = {
      level1: { level2: { level3: [`x ${FAKE.ghs}`, { deep: FAKE.appJwt }] } },
      list: [FAKE.pemPkcs1, 42, true, null],
      map: new Map([["k", FAKE.fineGrainedPat]]),
      set: new Set([FAKE.v1Installation]),
      count: 3,
    };
    const out = redactValue(input) as Record<string, unknown>;
    expect(leaks(out)).toEqual([]);
    expect(out.count).toBe(3);
    expect(out.level1).toEqual({ level2: { level3: [`x ${REDACTED}`, { deep: REDACTED }] } });
    expect(out.map).toEqual({ k: REDACTED });
  });

  it("turns errors into plain objects and scrubs message, stack, fields and cause", () => {
    const cause = new Error(`inner ${FAKE.ghp}`);
    const err = Object.assign(new Error(`request failed with ${FAKE.ghs}`, { cause }), {
      status: 401,
      request: { method: "GET", url: "/app", headers: { authorization: `bearer ${FAKE.appJwt}` } },
    });
    const out = redactValue({ err }) as { err: Record<string, unknown> };
    expect(leaks(out)).toEqual([]);
    expect(out.err).toMatchObject({
      type: "Error",
      message: `request failed with ${REDACTED}`,
      status: 401,
      request: { method: "GET", url: "/app", headers: { authorization: REDACTED } },
      cause: { type: "Error", message: `inner ${REDACTED}` },
    });
    expect(String(out.err.stack)).toContain("request failed with");
  });

  it("cuts cycles and never modifies its input", () => {
    const input: Record<string, unknown> = { token: FAKE.ghs, note: `see ${FAKE.ghp}` };
    input.self = input;
    const out = redactValue(input) as Record<string, unknown>;
    expect(out.self).toBe("[Circular]");
    expect(input.token).toBe(FAKE.ghs);
    expect(input.note).toBe(`see ${FAKE.ghp}`);
  });

  it("keeps shared (non-cyclic) references in full", () => {
    const shared = { a: 1 };
    expect(redactValue({ x: shared, y: shared })).toEqual({ x: { a: 1 }, y: { a: 1 } });
  });

  it("scrubs what classes print through toJSON (e.g. a URL with credentials)", () => {
    const out = redactValue({ url: new URL(`https://x-access-token:${FAKE.ghs}@github.com/o/r.git`) });
    expect(out).toEqual({ url: `https://${REDACTED}@github.com/o/r.git` });
  });

  it.each([
    ["a number", 5],
    ["a boolean", false],
    ["null", null],
    ["undefined", undefined],
  ])("returns %s as is", (_n, v) => {
    expect(redactValue(v)).toBe(v);
  });

  it("keeps empty sensitive fields visible (an empty secret is a finding, not a secret)", () => {
    expect(redactValue({ token: "", password: null })).toEqual({ token: "", password: null });
  });
});
