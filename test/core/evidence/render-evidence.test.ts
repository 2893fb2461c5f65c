import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadMedicConfig } from "../../../src/core/config/medic-config.js";
import { buildEvidencePack } from "../../../src/core/evidence/build-evidence-pack.js";
import type { EvidencePack } from "../../../src/core/evidence/evidence-pack.js";
import { parseRecordedExport } from "../../../src/core/evidence/recorded-export.js";
import { renderEvidenceHtml } from "../../../src/core/evidence/render-evidence-html.js";
import { renderEvidenceMarkdown } from "../../../src/core/evidence/render-evidence-markdown.js";
import { renderSvgChart } from "../../../src/core/evidence/render-svg-chart.js";

// The example export is the fixture: a realistic month of history (examples/evidence/make-export.ts).
const parsed = parseRecordedExport(
  JSON.parse(readFileSync(new URL("../../../examples/evidence/export.json", import.meta.url), "utf8")),
);
if (!parsed.ok) throw new Error(`example export invalid: ${parsed.field}`);
const exp = parsed.export;
const cfg = loadMedicConfig(exp.medicConfig);
if (!cfg.ok) throw new Error("example config invalid");
const pack = buildEvidencePack(exp, {
  config: cfg.config.evidence,
  generatedAt: Date.parse("2026-11-02T07:00:00Z"),
  source: { kind: "file", name: "export.json" },
});

describe("renderSvgChart", () => {
  it("draws one mark per non-null value and a gap for null", () => {
    const svg = renderSvgChart({
      id: "t",
      title: "T",
      kind: "bar",
      labels: ["a", "b", "c"],
      series: [{ name: "s", color: "#000", values: [1, null, 3] }],
      unit: "x",
    });
    expect(svg.match(/class="mark"/g)).toHaveLength(2);
    expect(svg).toContain('data-chart="t"');
  });
  it("says there is no data instead of drawing an empty axis", () => {
    const svg = renderSvgChart({
      id: "t",
      title: "T",
      kind: "line",
      labels: ["a"],
      series: [{ name: "s", color: "#000", values: [null] }],
      unit: "x",
    });
    expect(svg).toContain("No data in this range");
  });
  it("escapes titles and labels", () => {
    const svg = renderSvgChart({
      id: "t",
      title: "<b>x</b>",
      kind: "bar",
      labels: ["<i>"],
      series: [{ name: "&", color: "#000", values: [1] }],
      unit: "x",
    });
    expect(svg).not.toMatch(/<b>|<i>/);
  });
});

describe("renderEvidenceHtml", () => {
  const html = renderEvidenceHtml(pack);
  it("holds the seven charts inline and nothing that loads from the network", () => {
    for (const id of [
      "incident-durations",
      "incident-trend",
      "dora-deployment-frequency",
      "dora-lead-time",
      "dora-change-failure-rate",
      "dora-time-to-restore",
      "violations",
    ]) {
      expect(html).toContain(`data-chart="${id}"`);
    }
    expect(html).not.toMatch(/<script|<link|<img|@import|src="http/);
  });
  it("lists every section an auditor asks for", () => {
    for (const h of [
      "Incidents",
      "Change log",
      "Policy violations and remediation proof",
      "Approvals",
      "Overrides",
      "Backup and restore tests",
      "Vulnerability scans",
      "Audit trail",
      "DORA incident report drafts",
    ]) {
      expect(html).toContain(`<h2>${h}`);
    }
    expect(html).toContain("vendor cutover bridge INC-4411");
    expect(html).toContain("Ledger verified: 25 records");
  });
  it("escapes text from the repository and only links http(s) URLs", () => {
    const hostile: EvidencePack = {
      ...pack,
      incidents: pack.incidents.map((i, k) =>
        k === 0 ? { ...i, title: "<script>alert(1)</script>", url: "javascript:alert(1)" } : i,
      ),
    };
    const out = renderEvidenceHtml(hostile);
    expect(out).not.toContain("<script>alert(1)</script>");
    expect(out).not.toContain('href="javascript:');
  });
});

describe("renderEvidenceMarkdown", () => {
  const md = renderEvidenceMarkdown(pack);
  it("reports the four keys and keeps tables intact when text holds pipes", () => {
    expect(md).toContain("| Change failure rate | 23.1% | 3 of 13 deployments | 16-45% |");
    const hostile = renderEvidenceMarkdown({
      ...pack,
      overrides: [{ ...pack.overrides[0]!, reason: "a | b\nc <!-- x -->" }],
    });
    const row = hostile.split("\n").find((l) => l.includes("a \\| b"));
    expect(row).toBeDefined();
    expect(row).not.toContain("<!--");
  });
});
