import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalInputError, openLocalEnvironment } from "../../../src/adapters/local/open-local-environment.js";

const root = new URL("../../../", import.meta.url).pathname;
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
  }).toString();
const runbook = (id: string) =>
  readFileSync(join(root, "runbooks/pvc-full.yaml"), "utf8")
    .replace("id: pvc-full", `id: ${id}`)
    .replace("KubePersistentVolumeFillingUp", `Alert${id.length}`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "medic-env-"));
  mkdirSync(join(dir, ".github/medic/runbooks"), { recursive: true });
  git("init", "-q", "-b", "main");
  writeFileSync(join(dir, ".github/medic.yml"), "remediation:\n  disabledRunbooks: [node-pressure]\n");
  writeFileSync(join(dir, ".github/medic/runbooks/team-pvc.yaml"), runbook("team-pvc"));
  writeFileSync(join(dir, ".github/medic/runbooks/broken.yaml"), "id: broken\n");
  git("add", ".");
  git("commit", "-q", "-m", "config and runbooks");
  git("checkout", "-q", "-b", "feature");
  writeFileSync(join(dir, ".github/medic/runbooks/sneaky.yaml"), runbook("sneaky"));
  writeFileSync(join(dir, ".github/medic.yml"), "remediation:\n  disabledRunbooks: []\n");
  git("add", ".");
  git("commit", "-q", "-m", "on a branch");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("openLocalEnvironment", () => {
  it("loads bundled runbooks plus the repository's from the default branch only, and reports broken ones", async () => {
    const env = await openLocalEnvironment({ repoDir: dir, cwd: root });
    const ids = env.registry.runbooks.map((r) => `${r.origin}:${r.runbook.id}`).sort();
    expect(ids).toEqual([
      "bundled:crashloop-rollback",
      "bundled:ingress-5xx",
      "bundled:node-pressure",
      "bundled:pvc-full",
      "repository:team-pvc",
    ]);
    expect(env.registry.runbooks.find((r) => r.runbook.id === "team-pvc")?.revision).toMatch(
      /^[0-9a-f]{40}$/,
    );
    expect(env.registry.errors).toEqual([
      { file: ".github/medic/runbooks/broken.yaml", field: "title", message: expect.any(String) },
    ]);
    expect(env.config.remediation.disabledRunbooks).toEqual(["node-pressure"]);
    expect(env.configSource).toContain("at main");
  });

  it.each([
    [
      { configFile: "runbooks/pvc-full.yaml" },
      'Invalid configuration in runbooks/pvc-full.yaml: field `id`: unknown field "id"',
    ],
    [{ configFile: "nope.yml" }, "--config nope.yml: no such file"],
    [{ clusterFile: "docs/runbooks.md" }, "docs/runbooks.md"],
  ])("bad input %j ⇒ LocalInputError", async (opts, message) => {
    const err = await openLocalEnvironment({ repoDir: dir, cwd: root, ...opts }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LocalInputError);
    expect((err as Error).message).toContain(message);
  });
});
