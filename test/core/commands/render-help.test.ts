import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../../src/core/commands/registry.js";
import {
  renderCommandsDoc,
  renderHelp,
  renderPermissionTable,
} from "../../../src/core/commands/render-help.js";

describe("/help and docs are generated from the registry", () => {
  it("every command's usage, who and examples appear in /help", () => {
    const help = renderHelp();
    for (const c of COMMANDS) {
      for (const u of c.usage) expect(help).toContain(`\`${u}\``);
      for (const e of c.examples) expect(help).toContain(`    ${e}`);
    }
    expect(help).toContain("listed in `approval.overrideUsers`");
  });

  it("the permission table has one row per command and a column per role", () => {
    const rows = renderPermissionTable().split("\n");
    expect(rows).toHaveLength(COMMANDS.length + 2);
    expect(rows[0]).toBe(
      "| command | none | read | triage | write | maintain | admin | outside collaborator | bot or app |",
    );
    expect(rows.find((r) => r.startsWith("| `/hold`"))).toBe(
      "| `/hold` | no | no | yes | yes | yes | yes | as their role | ignored |",
    );
    expect(rows.find((r) => r.startsWith("| `/override`"))).toBe(
      "| `/override` | no | no | no | if listed | if listed | if listed | as their role | ignored |",
    );
  });

  it("docs/commands.md contains the generated part verbatim", () => {
    const url = new URL("../../../docs/commands.md", import.meta.url);
    const doc = readFileSync(url, "utf8");
    const begin = "<!-- generated:start -->\n";
    const end = "<!-- generated:end -->";
    const a = doc.indexOf(begin);
    const b = doc.indexOf(end);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThan(a);
    const fresh = `${doc.slice(0, a + begin.length)}${renderCommandsDoc()}${doc.slice(b)}`;
    if (process.env["MEDIC_WRITE_DOCS"] === "1") writeFileSync(url, fresh);
    expect(
      doc,
      "docs/commands.md is stale: MEDIC_WRITE_DOCS=1 npx vitest run test/core/commands/render-help.test.ts",
    ).toBe(fresh);
  });
});
