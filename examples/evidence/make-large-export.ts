// A large synthetic history for timing `medic evidence` and `medic audit verify` (not a realistic story:
// see make-export.ts for that). Run:
//   npx tsx examples/evidence/make-large-export.ts /tmp/big-export.json /tmp/big-ledger.jsonl
// then `node bin/medic.js evidence --from /tmp/big-export.json --out /tmp/big-pack` and
// `node bin/medic.js audit verify --ledger /tmp/big-ledger.jsonl`.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { chainRecords, EMPTY_TIP } from "../../src/core/audit/hash-chain.js";
import type { RecordedExportInput } from "../../src/core/evidence/recorded-export.js";

const [exportPath = "/tmp/big-export.json", ledgerPath = "/tmp/big-ledger.jsonl"] = process.argv.slice(2);
const DAYS = 90;
const PRS = 2_000;
const INCIDENTS = 300;
const RECORDS = 100_000;
const T0 = Date.parse("2026-08-03T00:00:00Z");
const sha = (s: string) => createHash("sha1").update(s).digest("hex");
const iso = (t: number) => new Date(t).toISOString();

const exp: Required<Pick<RecordedExportInput, "issues" | "pullRequests" | "commits" | "checkRuns" | "deployments">> & RecordedExportInput = {
  kind: "gitops-medic/export",
  version: 1,
  repository: "acme/large",
  defaultBranch: "main",
  exportedAt: iso(T0 + DAYS * 86_400_000),
  since: iso(T0),
  until: iso(T0 + DAYS * 86_400_000),
  issues: [],
  pullRequests: [],
  commits: [{ sha: sha("root"), message: "root", author: "a", authoredAt: iso(T0 - 1e6), committedAt: iso(T0 - 1e6), parents: [] }],
  checkRuns: [],
  deployments: [],
};
let parent = sha("root");
let runId = 1;
for (let i = 0; i < PRS; i++) {
  const t = T0 + (i / PRS) * DAYS * 86_400_000;
  const head = sha(`head${i}`);
  const merge = sha(`merge${i}`);
  // Every 97th change is a revert of the one before it.
  const revert = i % 97 === 5 ? `\n\nThis reverts commit ${sha(`merge${i - 1}`)}.` : "";
  exp.commits.push({ sha: merge, message: `change ${i} (#${i + 1})${revert}`, author: "dev", authoredAt: iso(t - 3_600_000), committedAt: iso(t), parents: [parent] });
  parent = merge;
  exp.pullRequests.push({ number: i + 1, title: `change ${i}`, user: "dev", createdAt: iso(t - 7_200_000), mergedAt: iso(t), mergeCommitSha: merge, headSha: head, baseRef: "main", commits: [{ sha: head, authoredAt: iso(t - 7_200_000) }], reviews: [{ user: "reviewer", state: "APPROVED", submittedAt: iso(t - 600_000), commitId: head }] });
  const failing = i % 10 === 0;
  exp.checkRuns.push({ id: runId++, name: "medic/policy", headSha: head, status: "completed", conclusion: failing ? "failure" : "success", startedAt: iso(t - 7_000_000), completedAt: iso(t - 6_900_000), annotations: failing ? [{ path: "apps/x.yaml", startLine: 3, level: "failure", title: "disallow-latest-tag/validate-image-tag", message: "latest" }] : [] });
  exp.checkRuns.push({ id: runId++, name: "trivy", headSha: merge, status: "completed", conclusion: "success", startedAt: iso(t), completedAt: iso(t + 60_000) });
  exp.deployments.push({ id: i + 1, sha: merge, ref: "main", environment: "production", createdAt: iso(t + 60_000), statuses: [{ state: "success", createdAt: iso(t + 300_000) }] });
}
for (let i = 0; i < INCIDENTS; i++) {
  const t = T0 + (i / INCIDENTS) * DAYS * 86_400_000 + 1_000;
  exp.issues.push({
    number: 10_000 + i,
    title: `incident ${i}`,
    state: "closed",
    labels: ["incident", i % 5 === 0 ? "severity:critical" : "severity:warning"],
    user: "gitops-medic[bot]",
    createdAt: iso(t + 120_000),
    closedAt: iso(t + 3_600_000),
    body: `| **Alert started** | ${iso(t).slice(0, 19).replace("T", " ")} UTC |\n\nroot cause: ${sha(`merge${Math.floor((i / INCIDENTS) * PRS)}`).slice(0, 10)}`,
    events: [{ event: "closed", createdAt: iso(t + 3_600_000) }],
  });
}
writeFileSync(exportPath, JSON.stringify(exp));
const records = Array.from({ length: RECORDS }, (_, i) => ({ v: 1 as const, at: iso(T0 + i * 1000), actor: { kind: "bot" as const, login: "gitops-medic[bot]" }, action: "policy.evaluated", reason: `run ${i}`, outcome: { status: "ok" as const } }));
writeFileSync(ledgerPath, chainRecords(EMPTY_TIP, records).lines);
process.stdout.write(`wrote ${exportPath} (${PRS} PRs, ${INCIDENTS} incidents, ${exp.checkRuns.length} check runs) and ${ledgerPath} (${RECORDS} records)\n`);
