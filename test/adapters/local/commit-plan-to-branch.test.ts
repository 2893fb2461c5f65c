import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitPlanToBranch } from "../../../src/adapters/local/commit-plan-to-branch.js";
import { openLocalRepo } from "../../../src/adapters/local/open-local-repo.js";
import { buildChange } from "../../../src/core/plan/build-change.js";

let dir: string;
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
  })
    .toString()
    .trim();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "medic-apply-"));
  git("init", "-q", "-b", "main");
  writeFileSync(join(dir, "a.yaml"), "replicas: 1\n");
  writeFileSync(join(dir, "b.yaml"), "keep: me\n");
  git("add", ".");
  git("commit", "-q", "-m", "init");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("commitPlanToBranch", () => {
  it("commits to a new branch and leaves the current branch, index and work tree alone", async () => {
    writeFileSync(join(dir, "b.yaml"), "keep: my-uncommitted-edit\n");
    git("add", "b.yaml");
    const head = git("rev-parse", "HEAD");
    const repo = await openLocalRepo(dir);
    const changes = [
      buildChange({
        path: "a.yaml",
        before: "replicas: 1\n",
        after: "replicas: 2\n",
        step: "s",
        summary: "",
      }),
      buildChange({ path: "jobs/new.yaml", before: null, after: "kind: Job\n", step: "s", summary: "" }),
    ];
    const res = await commitPlanToBranch(repo, changes, "medic/test/x", "fix: test\n");
    expect(res.ok).toBe(true);
    expect(git("rev-parse", "HEAD")).toBe(head);
    expect(git("symbolic-ref", "--short", "HEAD")).toBe("main");
    expect(git("diff", "--cached", "--name-only")).toBe("b.yaml");
    expect(readFileSync(join(dir, "a.yaml"), "utf8")).toBe("replicas: 1\n");
    expect(git("show", "medic/test/x:a.yaml")).toBe("replicas: 2");
    expect(git("show", "medic/test/x:jobs/new.yaml")).toBe("kind: Job");
    expect(git("show", "medic/test/x:b.yaml")).toBe("keep: me");
    expect(git("rev-parse", "medic/test/x^")).toBe(head);
    expect(git("log", "-1", "--format=%s", "medic/test/x")).toBe("fix: test");
  });

  it("refuses an existing branch, a change computed from uncommitted text, and a bad name", async () => {
    const repo = await openLocalRepo(dir);
    const ok = buildChange({
      path: "a.yaml",
      before: "replicas: 1\n",
      after: "replicas: 2\n",
      step: "s",
      summary: "",
    });
    git("branch", "medic/taken");
    expect(await commitPlanToBranch(repo, [ok], "medic/taken", "m")).toEqual({
      ok: false,
      reason: "branch medic/taken already exists; delete it or plan again later",
    });
    const stale = buildChange({
      path: "a.yaml",
      before: "replicas: 9\n",
      after: "replicas: 2\n",
      step: "s",
      summary: "",
    });
    const res = await commitPlanToBranch(repo, [stale], "medic/new", "m");
    expect(res.ok ? "" : res.reason).toContain("a.yaml differs from HEAD");
    expect(git("branch", "--list", "medic/new")).toBe("");
    expect((await commitPlanToBranch(repo, [ok], "bad..name", "m")).ok).toBe(false);
  });

  it("needs a git checkout", async () => {
    const repo = await openLocalRepo(dir, { git: false });
    const res = await commitPlanToBranch(
      repo,
      [buildChange({ path: "a.yaml", before: "", after: "x", step: "s", summary: "" })],
      "b",
      "m",
    );
    expect(res.ok ? "" : res.reason).toContain("is not a git checkout");
  });
});
