import { readFileSync } from "node:fs";
import { createGitHubChangeRequests } from "../../src/adapters/github/change-requests.js";
import { createGitHubGitData } from "../../src/adapters/github/git-data.js";
import { BlobCache, createGitHubRepoSnapshot } from "../../src/adapters/github/repo-snapshot.js";
import { RemediationConfig } from "../../src/core/config/sections/remediation.js";
import { buildChange } from "../../src/core/plan/build-change.js";
import type { RemediationPlan } from "../../src/core/plan/remediation-plan.js";
import type { OpenRemediationPrDeps, PlanOutcome } from "../../src/workflows/open-remediation-pr.js";
import type { BaseSnapshot } from "../../src/workflows/ports/change-requests.js";
import { silentLogger } from "../../src/workflows/ports/logger.js";
import { BOT, OWNER, REPO } from "../fixtures/github/fake-github.js";
import { TestOctokit } from "../helpers/probot.js";

export const TEMPLATE = readFileSync(new URL("../../templates/remediation-pr.md", import.meta.url), "utf8");
export const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: checkout
          image: ghcr.io/acme/checkout:1.4.2 # deployed by CI
`;
export const FILES = {
  "apps/checkout/deployment.yaml": DEPLOYMENT,
  ".github/CODEOWNERS": "* @acme/platform\n/apps/checkout/ @alice @acme/checkout\n",
  "README.md": "# acme gitops\n",
};
export const INCIDENT = {
  key: "KubePodCrashLooping/shop/checkout",
  number: 42,
  url: `https://github.com/${OWNER}/${REPO}/issues/42`,
  title: "KubePodCrashLooping shop/checkout",
  severity: "warning",
};

/** A plan the way the runbook engine makes one: read the workload file, roll its image back to `tag`. */
export function rollbackPlanner(tag = "1.4.1") {
  return async (repo: BaseSnapshot): Promise<PlanOutcome> => {
    const path = "apps/checkout/deployment.yaml";
    const before = await repo.readFile(path);
    if (before === null) return { ok: false, reason: `${path} not found` };
    const current = /checkout:([\w.-]+)/.exec(before)?.[1];
    if (current === tag) return { ok: false, reason: `already at ${tag}` };
    const after = before.replace(/checkout:[\w.-]+/, `checkout:${tag}`);
    const plan: RemediationPlan = {
      incidentKey: INCIDENT.key,
      runbook: {
        id: "crashloop-rollback",
        version: "3b18e512dba79e4c8300dd08aeb37f8e728b8dad",
        file: "runbooks/crashloop-rollback.yaml",
        origin: "bundled",
      },
      target: "Deployment shop/checkout",
      parameters: {},
      changes: [
        buildChange({ path, before, after, step: "rollback", summary: `image checkout ${current} → ${tag}` }),
      ],
      steps: [],
      risk: { level: "safe", reasons: ["image rollback to a previously deployed tag"] },
      approvals: {
        securityApproval: false,
        count: 0,
        beforeImperativeSteps: false,
        reasons: ["safe: normal review applies"],
      },
      evidence: [{ source: "cluster", label: "last termination", detail: "Error, exit code 1" }],
      suggestions: [],
      undo: ["Revert this pull request."],
      baseRevision: await repo.revision(),
    };
    return { ok: true, plan };
  };
}

export function githubDeps(
  over: Partial<OpenRemediationPrDeps> = {},
  cache = new BlobCache(),
  config: Partial<RemediationConfig> = {},
): OpenRemediationPrDeps {
  const octokit = new TestOctokit({ auth: "ghs_test" } as never);
  const repo = { owner: OWNER, repo: REPO };
  const git = createGitHubGitData(octokit, repo);
  return {
    changeRequests: createGitHubChangeRequests(octokit, repo, git),
    openSnapshot: () => createGitHubRepoSnapshot(git, "main", cache),
    plan: rollbackPlanner(),
    template: TEMPLATE,
    bot: BOT,
    config: RemediationConfig.parse(config),
    logger: silentLogger,
    ...over,
  };
}
