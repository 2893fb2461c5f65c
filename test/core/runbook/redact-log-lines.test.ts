import { describe, expect, it } from "vitest";
import { redactLogLines } from "../../../src/core/runbook/redact-log-lines.js";

describe("redactLogLines", () => {
  it.each([
    ['{"dsn":"postgres://checkout:s3cr3t@db:5432/orders"}', '{"dsn":"postgres://[REDACTED]@db:5432/orders"}'],
    ["Authorization: Bearer abcdefghijklmnopqrstu", "Authorization: [REDACTED]"],
    ["token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "token [REDACTED]"],
    ["password=hunter2 user=bob", "password=[REDACTED] user=bob"],
    ['{"api_key": "abc123"}', '{"api_key": "[REDACTED]"}'],
    ["aws AKIAABCDEFGHIJKLMNOP done", "aws [REDACTED] done"],
    ["gh ghp_abcdefghijklmnopqrstuvwxyz0123456789", "gh [REDACTED]"],
    ["\u001b[31mred\u001b[0m text\u0007", "red text"],
    ["plain line", "plain line"],
  ])("%j ⇒ %j", (input, out) => {
    expect(redactLogLines([input])).toEqual([out]);
  });
  it("cuts very long lines", () => {
    const [line] = redactLogLines(["x".repeat(2000)]);
    expect(line).toBe(`${"x".repeat(500)}… (cut)`);
  });
});
