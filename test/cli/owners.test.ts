import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runMedic } from "./run-medic.js";

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "medic-owners-"));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

const CO = "* @acme/platform\n/apps/ @acme/security @carol\n/apps/github\n";

describe("medic owners", () => {
  it("json: owners and the deciding line per path; empty owners when unowned", async () => {
    const dir = repo({ ".github/CODEOWNERS": CO });
    const r = await runMedic(
      ["owners", "--format", "json", "apps/shop/web.yaml", "./README.md", "apps/github/x"],
      dir,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { path: "apps/shop/web.yaml", owners: ["@acme/security", "@carol"], line: 2 },
      { path: "README.md", owners: ["@acme/platform"], line: 1 },
      { path: "apps/github/x", owners: [], line: 3 },
    ]);
  });

  it("no matching line: owners empty and line null", async () => {
    const dir = repo({ CODEOWNERS: "/infra/ @ops\n" });
    const r = await runMedic(["owners", "--format=json", "apps/x.yaml"], dir);
    expect(JSON.parse(r.stdout)).toEqual([{ path: "apps/x.yaml", owners: [], line: null }]);
  });

  it("text output names the file and line", async () => {
    const dir = repo({ "docs/CODEOWNERS": CO });
    const r = await runMedic(["owners", "apps/a", "apps/github/b"], dir);
    expect(r.stdout).toBe(
      "apps/a         @acme/security @carol  docs/CODEOWNERS:2\napps/github/b  (explicitly unowned)  docs/CODEOWNERS:3\n",
    );
  });

  it("--codeowners FILE, and invalid lines reported on stderr", async () => {
    const dir = repo({ "x/OWNERS": "* @a\n!apps/ @b\n" });
    const r = await runMedic(["owners", "--codeowners", "x/OWNERS", "--format", "json", "apps/z"], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ path: "apps/z", owners: ["@a"], line: 1 }]);
    expect(r.stderr).toContain("x/OWNERS:2: negation with ! does not work in CODEOWNERS");
  });

  it.each([
    [["owners"], "give at least one PATH"],
    [["owners", "--format", "xml", "a"], "--format must be text or json"],
    [["owners", "../etc/passwd"], "is not a path inside the repository"],
    [["owners", "--bogus", "a"], "unknown option --bogus"],
  ])("%j ⇒ exit 2", async (args, message) => {
    const dir = repo({ CODEOWNERS: CO });
    const r = await runMedic(args, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("no CODEOWNERS file ⇒ exit 2 naming the places looked at", async () => {
    const r = await runMedic(["owners", "a"], repo({}));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(".github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS");
  });
});
