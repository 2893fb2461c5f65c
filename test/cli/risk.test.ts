import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runMedic } from "./run-medic.js";

const deploy = (n: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  replicas: ${n}\n`;

function git(dir: string, ...args: string[]) {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@e",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@e",
    },
  });
}

function write(dir: string, files: Record<string, string | null>) {
  for (const [p, text] of Object.entries(files)) {
    if (text === null) rmSync(join(dir, p));
    else {
      mkdirSync(join(dir, p, ".."), { recursive: true });
      writeFileSync(join(dir, p), text);
    }
  }
}

/** A repository with `main` holding `base`, and branch `change` with `change` applied. */
function repo(base: Record<string, string>, change: Record<string, string | null>): string {
  const dir = mkdtempSync(join(tmpdir(), "medic-risk-"));
  git(dir, "init", "-q", "-b", "main");
  write(dir, base);
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "base");
  git(dir, "checkout", "-q", "-b", "change");
  write(dir, change);
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "--allow-empty", "-m", "change");
  return dir;
}

describe("medic risk", () => {
  it("destructive with reasons (json), exit 1", async () => {
    const dir = repo(
      { "apps/web.yaml": deploy(10), "apps/old.yaml": deploy(1).replace("web", "old") },
      {
        "apps/web.yaml": deploy(0),
        "apps/old.yaml": null,
      },
    );
    const r = await runMedic(
      ["risk", "--repo", dir, "--base", "main", "--head", "change", "--format", "json"],
      "/",
    );
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.risk).toBe("destructive");
    expect(out.destructivePaths).toEqual(["apps/old.yaml", "apps/web.yaml"]);
    expect(out.reasons.map((x: { code: string }) => x.code).sort()).toEqual([
      "file-deleted",
      "replicas-to-zero",
      "resource-deleted",
    ]);
  });

  it("safe, exit 0 (text), head defaults to HEAD", async () => {
    const dir = repo({ "apps/web.yaml": deploy(3) }, { "apps/web.yaml": deploy(4), "README.md": "hi\n" });
    const r = await runMedic(["risk", "--base", "main"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^safe \(2 files changed since [0-9a-f]{7}\)\n$/);
  });

  it("a rename is destructive and both paths are listed", async () => {
    const dir = repo({ "apps/web.yaml": deploy(3) }, {});
    git(dir, "mv", "apps/web.yaml", "apps/web2.yaml");
    git(dir, "commit", "-q", "-m", "mv");
    const r = await runMedic(["risk", "--repo", dir, "--base", "main", "--format", "json"], "/");
    expect(JSON.parse(r.stdout).destructivePaths).toEqual(["apps/web.yaml", "apps/web2.yaml"]);
  });

  it("the threshold comes from .github/medic.yml at the base", async () => {
    const dir = repo(
      { ".github/medic.yml": "approval:\n  replicaDropThreshold: 0.1\n", "apps/web.yaml": deploy(10) },
      { "apps/web.yaml": deploy(8) },
    );
    const r = await runMedic(["risk", "--repo", dir, "--base", "main"], "/");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "replicas-drop apps/web.yaml: Deployment shop/web: spec.replicas drops from 10 to 8 (20%, above the 10% threshold)",
    );
  });

  it.each([
    [["risk"], "--base REV is required"],
    [["risk", "--base", "--upload-pack=x"], "is not a revision"],
    [["risk", "--base", "nope"], "is not a commit"],
    [["risk", "--base", "main", "--format", "sarif"], "--format must be text or json"],
  ])("%j ⇒ exit 2", async (args, message) => {
    const dir = repo({ a: "1\n" }, { a: "2\n" });
    const r = await runMedic(args, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
