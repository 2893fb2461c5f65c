import { describe, expect, it } from "vitest";
import { appendAuditBlock } from "../../../src/core/audit/append-audit-block.js";
import { parseAuditBlock, renderAuditBlock } from "../../../src/core/audit/audit-block.js";
import type { AuditRecordInput } from "../../../src/core/audit/audit-record.js";

const rec: AuditRecordInput = {
  v: 1,
  at: "2026-11-03T10:00:00Z",
  actor: { kind: "bot", login: "gitops-medic[bot]" },
  action: "policy.checked",
  reason: "pull request opened",
  outcome: { status: "ok" },
};
const block = renderAuditBlock(rec);

describe("appendAuditBlock", () => {
  it.each([
    ["short text", "Summary\n", 65_535, `Summary\n\n${block}`],
    ["empty text", "", 65_535, `\n\n${block}`],
    ["text that fits exactly", "x".repeat(100), block.length + 102, `${"x".repeat(100)}\n\n${block}`],
  ])("%s: the block ends the text", (_name, text, limit, expected) => {
    expect(appendAuditBlock(text, rec, limit)).toBe(expected);
  });

  it("cuts the text, never the block, when both do not fit the limit", () => {
    const out = appendAuditBlock("y".repeat(70_000), rec);
    expect(out.length).toBeLessThanOrEqual(65_535);
    expect(out).toContain("… (cut to fit GitHub's limit)");
    expect(parseAuditBlock(out)).toEqual({ ok: true, record: { ...rec, shas: {}, inputs: {} } });
  });

  it("throws on an invalid record rather than writing a block nobody can verify", () => {
    expect(() => appendAuditBlock("x", { ...rec, at: "yesterday" })).toThrow();
  });
});
