import { describe, expect, it } from "vitest";
import type { AuditRecordInput } from "../../../src/core/audit/audit-record.js";
import {
  chainRecords,
  EMPTY_TIP,
  GENESIS_HASH,
  readChainTip,
  verifyChain,
} from "../../../src/core/audit/hash-chain.js";

function rec(i: number): AuditRecordInput {
  return {
    v: 1,
    at: `2026-11-0${1 + (i % 9)}T10:00:0${i % 10}Z`,
    actor: { kind: "bot", login: "gitops-medic[bot]" },
    action: "incident.opened",
    reason: `alert KubePodCrashLooping #${i}`,
    incidentKey: `KubePodCrashLooping/shop/checkout-${i}`,
    outcome: { status: "ok" },
  };
}

const N = 6;
const ledger = chainRecords(
  EMPTY_TIP,
  Array.from({ length: N }, (_, i) => rec(i)),
).lines;
const lines = ledger.trimEnd().split("\n");

describe("hash chain", () => {
  it("verifies an intact ledger and reports its tip", () => {
    const res = verifyChain(ledger);
    expect(res.ok).toBe(true);
    expect(res.tip.count).toBe(N);
    expect(res.tip.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(lines[0]!).prev).toBe(GENESIS_HASH);
  });

  it("appending in two batches gives the same chain as one batch", () => {
    const first = chainRecords(EMPTY_TIP, [rec(0), rec(1), rec(2)]);
    const second = chainRecords(readChainTip(first.lines), [rec(3), rec(4), rec(5)]);
    expect(first.lines + second.lines).toBe(ledger);
  });

  it("an empty ledger is valid", () => {
    expect(verifyChain("")).toEqual({ ok: true, tip: EMPTY_TIP });
  });

  it.each(Array.from({ length: N }, (_, i) => [i + 1]))(
    "an edit of line %i is detected at that line",
    (line) => {
      const copy = [...lines];
      copy[line - 1] = copy[line - 1]!.replace(/#\d+/, "#999");
      const res = verifyChain(`${copy.join("\n")}\n`);
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect(res.break.line).toBe(line);
      expect(res.break.kind).toBe("hash");
      expect(res.break.found).toBe(JSON.parse(lines[line - 1]!).hash);
      expect(res.break.expected).not.toBe(res.break.found);
      expect(res.tip.count).toBe(line - 1);
    },
  );

  it.each(Array.from({ length: N }, (_, i) => [i + 1]))(
    "an edit of line %i with its own hash recomputed is detected at the next line",
    (line) => {
      const copy = [...lines];
      const v = JSON.parse(copy[line - 1]!);
      v.record.reason = "forged";
      const forged = chainRecords({ count: v.seq, hash: v.prev }, [v.record]).lines.trimEnd();
      copy[line - 1] = forged;
      const res = verifyChain(`${copy.join("\n")}\n`);
      if (line === N) {
        // The last line can be re-hashed undetectably by the chain alone: that is what `--head` anchors.
        expect(res.ok).toBe(true);
        expect(res.tip.hash).not.toBe(verifyChain(ledger).tip.hash);
        return;
      }
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.break).toMatchObject({ line: line + 1, kind: "prev" });
    },
  );

  it.each(Array.from({ length: N - 1 }, (_, i) => [i + 1]))(
    "deleting line %i is detected at that line",
    (line) => {
      const copy = lines.filter((_, i) => i !== line - 1);
      const res = verifyChain(`${copy.join("\n")}\n`);
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.break).toMatchObject({ line, kind: "seq", expected: String(line - 1) });
    },
  );

  it.each([
    [1, 2],
    [2, 5],
    [3, 6],
    [5, 6],
  ])("swapping lines %i and %i is detected at line %i", (a, b) => {
    const copy = [...lines];
    [copy[a - 1], copy[b - 1]] = [copy[b - 1]!, copy[a - 1]!];
    const res = verifyChain(`${copy.join("\n")}\n`);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.break.line).toBe(a);
  });

  it("a non-JSON line and a blank line are breaks at that line", () => {
    const copy = [...lines];
    copy[2] = "{not json";
    expect(verifyChain(`${copy.join("\n")}\n`)).toMatchObject({
      ok: false,
      break: { line: 3, kind: "unparsable" },
    });
    const blank = [...lines];
    blank.splice(3, 0, "");
    expect(verifyChain(`${blank.join("\n")}\n`)).toMatchObject({
      ok: false,
      break: { line: 4, kind: "unparsable" },
    });
  });

  it("a record that breaks the schema is reported with its field", () => {
    const v = JSON.parse(lines[1]!);
    v.record.action = "Not A Verb";
    const copy = [...lines];
    copy[1] = JSON.stringify(v);
    const res = verifyChain(`${copy.join("\n")}\n`);
    expect(res).toMatchObject({ ok: false, break: { line: 2, kind: "invalid-record" } });
    if (!res.ok) expect(res.break.found).toContain("action");
  });

  it("readChainTip refuses to continue a ledger whose last line was edited", () => {
    const copy = [...lines];
    copy[N - 1] = copy[N - 1]!.replace(/#\d+/, "#999");
    expect(() => readChainTip(`${copy.join("\n")}\n`)).toThrow(/does not fit/);
  });
});
