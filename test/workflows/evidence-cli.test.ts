import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

const EXAMPLE = new URL("../../examples/evidence/export.json", import.meta.url).pathname;

async function medic(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: process.cwd(),
    env,
  });
  return { code, stdout, stderr };
}

describe("medic evidence (command line)", () => {
  const root = mkdtempSync(join(tmpdir(), "medic-evidence-cli-"));

  it("writes the three files and one summary line", async () => {
    const out = join(root, "ok");
    const res = await medic(["evidence", "--from", EXAMPLE, "--out", out]);
    expect(res).toMatchObject({ code: 0, stderr: "" });
    expect(res.stdout).toMatch(
      /^wrote .*evidence\.\{json,md,html\}: 5 incidents \(2 major\).*change failure rate 23\.1%.*2 DORA report draft\(s\)\n$/,
    );
    expect(readdirSync(out).sort()).toEqual(["evidence.html", "evidence.json", "evidence.md"]);
    expect(JSON.parse(readFileSync(join(out, "evidence.json"), "utf8")).schema).toBe(
      "gitops-medic/evidence@1",
    );
    // No temporary directories are left next to it.
    expect(readdirSync(root).filter((f) => f.startsWith("."))).toEqual([]);
  });

  it("--save-export writes the recorded export it read, readable again by --from", async () => {
    const file = join(root, "saved", "export.json");
    const res = await medic([
      "evidence",
      "--from",
      EXAMPLE,
      "--out",
      join(root, "saved-pack"),
      "--save-export",
      file,
    ]);
    expect(res.code).toBe(0);
    const again = await medic(["evidence", "--from", file, "--out", join(root, "saved-pack-2")]);
    expect(again.code).toBe(0);
    const a = JSON.parse(readFileSync(join(root, "saved-pack", "evidence.json"), "utf8"));
    const b = JSON.parse(readFileSync(join(root, "saved-pack-2", "evidence.json"), "utf8"));
    expect({ ...b, generatedAt: a.generatedAt, source: a.source }).toEqual(a);
  });

  it("replaces a previous pack in place", async () => {
    const out = join(root, "again");
    await medic(["evidence", "--from", EXAMPLE, "--out", out]);
    const res = await medic([
      "evidence",
      "--from",
      EXAMPLE,
      "--out",
      out,
      "--since",
      "2026-10-19",
      "--until",
      "2026-10-26",
    ]);
    expect(res.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "evidence.json"), "utf8")).since).toBe(
      "2026-10-19T00:00:00.000Z",
    );
  });

  const bad = join(root, "bad.json");
  writeFileSync(
    bad,
    JSON.stringify({
      kind: "gitops-medic/export",
      version: 1,
      repository: "acme/gitops",
      defaultBranch: "main",
      exportedAt: "2026-11-01T00:00:00Z",
      since: "2026-10-01T00:00:00Z",
      until: "2026-11-01T00:00:00Z",
      issues: [
        {
          number: 1,
          title: "x",
          state: "open",
          labels: [],
          user: "a",
          createdAt: "yesterday",
          closedAt: null,
        },
      ],
    }),
  );
  const notJson = join(root, "not.json");
  writeFileSync(notJson, "{");

  it.each([
    [["--from", EXAMPLE, "--since", "2026-02-30"], '--since "2026-02-30" is not a date'],
    [["--from", EXAMPLE, "--until", "last week"], '--until "last week" is not a date'],
    [["--from", EXAMPLE, "--since", "2026-11-01", "--until", "2026-10-01"], "must be before --until"],
    [["--from", "/no/such/export.json"], "cannot read /no/such/export.json: no such file"],
    [["--from", notJson], "is not valid JSON"],
    [["--from", bad], "field `issues.0.createdAt`"],
    [["--repo", "acme/gitops", "--since", "2026-10-01"], "set GITHUB_TOKEN or GH_TOKEN"],
    [["--repo", "acme", "--since", "2026-10-01"], '--repo "acme" must be OWNER/NAME'],
    [["--repo", "acme/gitops"], "--since is required with --repo"],
    [["--from", EXAMPLE, "--repo", "acme/gitops"], "not both"],
    [["--from", EXAMPLE, "--bogus"], "unknown argument --bogus"],
  ])("%j ⇒ exit 2 naming the argument, nothing written", async (args, message) => {
    const out = join(root, `never-${Math.random().toString(36).slice(2)}`);
    const res = await medic(["evidence", ...args, "--out", out]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(message);
    expect(existsSync(out)).toBe(false);
  });

  it("GitHub refusing the repository ⇒ exit 1 with its answer, nothing written, no token printed", async () => {
    nock.disableNetConnect();
    const scope = nock("https://api.github.com", {
      reqheaders: { authorization: "token secret-token-value" },
    })
      .get("/repos/acme/missing")
      .reply(404, { message: "Not Found" });
    try {
      const out = join(root, "missing");
      const res = await medic(["evidence", "--repo", "acme/missing", "--since", "2026-10-01", "--out", out], {
        GITHUB_TOKEN: "secret-token-value",
      });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain("GitHub answered 404");
      expect(`${res.stdout}${res.stderr}`).not.toContain("secret-token-value");
      expect(existsSync(out)).toBe(false);
      expect(scope.isDone()).toBe(true);
    } finally {
      nock.cleanAll();
      nock.enableNetConnect();
    }
  });

  it("refuses an --out that holds other files and leaves it untouched", async () => {
    const out = join(root, "mine");
    mkdirSync(out);
    writeFileSync(join(out, "notes.txt"), "keep me");
    const res = await medic(["evidence", "--from", EXAMPLE, "--out", out]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("holds other files (notes.txt)");
    expect(readdirSync(out)).toEqual(["notes.txt"]);
  });

  it("an invalid evidence section in the export's .github/medic.yml names the field", async () => {
    const exp = JSON.parse(readFileSync(EXAMPLE, "utf8"));
    exp.medicConfig = { evidence: { productionEnvironments: "production" } };
    const file = join(root, "badcfg.json");
    writeFileSync(file, JSON.stringify(exp));
    const out = join(root, "badcfg");
    const res = await medic(["evidence", "--from", file, "--out", out]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(".github/medic.yml: evidence.productionEnvironments");
    expect(existsSync(out)).toBe(false);
  });
});
