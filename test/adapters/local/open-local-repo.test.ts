import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLocalRepo } from "../../../src/adapters/local/open-local-repo.js";

let dir: string;
let outside: string;
const git = (...args: string[]) =>
  execFileSync("git", args, {
    cwd: dir,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@e",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@e",
    },
  }).toString();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "medic-repo-"));
  outside = mkdtempSync(join(tmpdir(), "medic-outside-"));
  writeFileSync(join(outside, "secret.yaml"), "token: x\n");
  mkdirSync(join(dir, "apps/web"), { recursive: true });
  mkdirSync(join(dir, ".github/medic/runbooks"), { recursive: true });
  git("init", "-q", "-b", "main");
  writeFileSync(join(dir, "apps/web/deploy.yaml"), "image: web:1\n");
  writeFileSync(join(dir, ".github/medic/runbooks/on-main.yaml"), "id: on-main\n");
  git("add", ".");
  git("commit", "-q", "-m", "deploy 1");
  writeFileSync(join(dir, "apps/web/deploy.yaml"), "image: web:2\n");
  git("commit", "-q", "-am", "deploy 2");
  git("checkout", "-q", "-b", "feature");
  writeFileSync(join(dir, ".github/medic/runbooks/on-feature.yaml"), "id: on-feature\n");
  git("add", ".");
  git("commit", "-q", "-m", "a runbook on a branch");
  writeFileSync(join(dir, "apps/web/deploy.yaml"), "image: web:3-uncommitted\n");
  symlinkSync(join(outside, "secret.yaml"), join(dir, "apps/web/link.yaml"));
  symlinkSync(outside, join(dir, "apps/outside-dir"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe("openLocalRepo", () => {
  it("reads the work tree as it is, lists files without following symlinks", async () => {
    const repo = await openLocalRepo(dir);
    expect(await repo.worktree.readFile("apps/web/deploy.yaml")).toBe("image: web:3-uncommitted\n");
    expect(await repo.worktree.listFiles("apps")).toEqual(["apps/web/deploy.yaml"]);
    expect(await repo.worktree.readFile("apps/web/missing.yaml")).toBeNull();
  });

  it.each(["../etc/passwd", "/etc/passwd", "%2e%2e/x", "apps/\u0000x"])("refuses the path %j", async (p) => {
    const repo = await openLocalRepo(dir);
    await expect(repo.worktree.readFile(p)).rejects.toThrow(/path/);
  });

  it("refuses a symlink that resolves outside the root", async () => {
    const repo = await openLocalRepo(dir);
    await expect(repo.worktree.readFile("apps/web/link.yaml")).rejects.toThrow(
      "resolves outside the repository root",
    );
    await expect(repo.worktree.readFile("apps/outside-dir/secret.yaml")).rejects.toThrow(
      "resolves outside the repository root",
    );
  });

  it("reads runbooks from the default branch only, never the checked-out feature branch", async () => {
    const repo = await openLocalRepo(dir);
    const branch = await repo.defaultBranch();
    expect(branch.describe).toContain("at main");
    expect(await branch.repo.listFiles(".github/medic/runbooks")).toEqual([
      ".github/medic/runbooks/on-main.yaml",
    ]);
    expect(await branch.repo.readFile("apps/web/deploy.yaml")).toBe("image: web:2\n");
    expect(await branch.repo.revision()).toMatch(/^[0-9a-f]{40}$/);
  });

  it("gives the file history newest first, and files at a revision", async () => {
    const repo = await openLocalRepo(dir);
    const h = await repo.history!.fileHistory("apps/web/deploy.yaml", 10);
    expect(h.map((v) => [v.subject, v.text])).toEqual([
      ["deploy 2", "image: web:2\n"],
      ["deploy 1", "image: web:1\n"],
    ]);
    expect(await repo.history!.readFileAt(h[1]!.revision, "apps/web/deploy.yaml")).toBe("image: web:1\n");
    expect(await repo.history!.readFileAt("--output=/tmp/x", "apps/web/deploy.yaml")).toBeNull();
    expect(
      await repo.history!.readFileAt("0123456789abcdef0123456789abcdef01234567", "apps/web/deploy.yaml"),
    ).toBeNull();
  });

  it("works inside a sub-directory of a work tree, and as a plain directory with git off", async () => {
    const sub = await openLocalRepo(join(dir, "apps"));
    expect(sub.git?.prefix).toBe("apps");
    expect((await sub.history!.fileHistory("web/deploy.yaml", 5)).length).toBe(2);
    const plain = await openLocalRepo(dir, { git: false });
    expect(plain.history).toBeNull();
    expect((await plain.defaultBranch()).describe).toContain("not a git checkout");
  });

  it("a missing directory is a clear error", async () => {
    await expect(openLocalRepo(join(dir, "nope"))).rejects.toThrow("not a readable directory");
  });
});
