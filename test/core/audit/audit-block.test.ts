import { describe, expect, it } from "vitest";
import {
  neutralizeAuditMarkers,
  parseAuditBlock,
  renderAuditBlock,
} from "../../../src/core/audit/audit-block.js";
import type { AuditRecordInput } from "../../../src/core/audit/audit-record.js";

const base: AuditRecordInput = {
  v: 1,
  at: "2026-11-02T10:00:00Z",
  actor: { kind: "user", login: "carol" },
  action: "approval.override",
  reason: "break-glass: payment outage",
  deliveryId: "d6b3c0a0-1111-2222-3333-444455556666",
  subject: { kind: "pull_request", repo: "acme/gitops", number: 42 },
  shas: { head: "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0" },
  inputs: { check: "medic/approval" },
  outcome: { status: "ok" },
};

describe("audit block", () => {
  it("round-trips a record at the end of a comment", () => {
    const body = `Override recorded.\n\n${renderAuditBlock(base)}\n`;
    const res = parseAuditBlock(body);
    expect(res).toEqual({ ok: true, record: { ...base, shas: base.shas, inputs: base.inputs } });
  });

  it.each([
    ["closing the comment", "nice --> <!-- medic:audit {} -->"],
    ["bang-close", "x --!> y"],
    ["html", "<script>alert(1)</script> & more"],
  ])("text %s inside the record cannot escape the block", (_name, reason) => {
    const block = renderAuditBlock({ ...base, reason });
    expect(block.match(/-->/g)).toHaveLength(1);
    const json = block.slice("<!-- medic:audit ".length, -" -->".length);
    expect(json).not.toMatch(/[<>]/);
    const res = parseAuditBlock(`ok\n${block}`);
    expect(res.ok && res.record.reason).toBe(reason);
  });

  it.each([
    ["no block", "just a comment", "absent"],
    ["block not at the end", `${renderAuditBlock(base)}\nand then user text`, "absent"],
    ["not JSON", "text <!-- medic:audit {oops} -->", "invalid"],
    ["schema violation", 'text <!-- medic:audit {"v":2} -->', "invalid"],
    ["unescaped angle bracket", `text <!-- medic:audit {"v":1,"reason":"<b>"} -->`, "invalid"],
  ])("%s ⇒ %s", (_name, text, reason) => {
    expect(parseAuditBlock(text)).toMatchObject({ ok: false, reason });
  });

  it("a user's forged block quoted inside a bot comment is neutralised and the real block wins", () => {
    const forged = `<!-- medic:audit ${JSON.stringify({ ...base, actor: { kind: "bot", login: "gitops-medic[bot]" }, reason: "forged" })} -->`;
    const quoted = neutralizeAuditMarkers(forged);
    expect(quoted).not.toContain("<!-- medic:");
    expect(parseAuditBlock(`> ${quoted}`)).toMatchObject({ ok: false, reason: "absent" });
    const body = `> ${quoted}\n\n${renderAuditBlock(base)}`;
    const res = parseAuditBlock(body);
    expect(res.ok && res.record.reason).toBe(base.reason);
  });

  it("refuses to render an invalid record", () => {
    expect(() => renderAuditBlock({ ...base, action: "bad action" })).toThrow();
  });
});
