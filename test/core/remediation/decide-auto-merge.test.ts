import { describe, expect, it } from "vitest";
import { formatRemediationMarker } from "../../../src/core/approval/remediation-marker.js";
import { renderMarker } from "../../../src/core/markdown/render-marker.js";
import { type AutoMergeInput, decideAutoMerge } from "../../../src/core/remediation/decide-auto-merge.js";

const BOT = "gitops-medic[bot]";
const HEAD = "a".repeat(40);
const body = `${formatRemediationMarker({ incidentKey: "K/x", runbook: "r", requester: null, planHash: "p".repeat(64) })}\n${renderMarker("remediation-head", HEAD)}`;
const ok = { name: "medic/policy", status: "completed", conclusion: "success" };
const base: AutoMergeInput = {
  enabled: true,
  botLogin: BOT,
  pr: { author: BOT, body, headSha: HEAD, labels: ["medic", "risk:safe"], draft: false, state: "open" },
  checkedSha: HEAD,
  checkRuns: [ok, { ...ok, name: "medic/approval" }],
  statuses: { state: "pending", total: 0 },
};
const pr = (over: Partial<AutoMergeInput["pr"]>) => ({ pr: { ...base.pr, ...over } });

describe("decideAutoMerge", () => {
  it.each<[string, Partial<AutoMergeInput>, string | null]>([
    ["all green on the bot's head ⇒ merge at that SHA", {}, null],
    ["off by default", { enabled: false }, "remediation.autoMergeSafe is off"],
    [
      "destructive",
      pr({ labels: ["medic", "risk:destructive"] }),
      "only safe remediations merge automatically",
    ],
    [
      "both risk labels (someone added one)",
      pr({ labels: ["risk:safe", "risk:destructive"] }),
      "only safe remediations merge automatically",
    ],
    ["no risk label", pr({ labels: ["medic"] }), "only safe remediations merge automatically"],
    ["a person pushed", pr({ headSha: "b".repeat(40) }), "the head is not the commit the bot wrote"],
    ["checks on an older commit", { checkedSha: "c".repeat(40) }, "the checks ran on another commit"],
    [
      "a check still running",
      { checkRuns: [ok, { name: "ci", status: "in_progress", conclusion: null }] },
      "waiting for ci",
    ],
    [
      "a skipped check does not pass",
      { checkRuns: [ok, { name: "ci", status: "completed", conclusion: "skipped" }] },
      "not successful: ci (skipped)",
    ],
    [
      "a neutral check does not pass",
      { checkRuns: [{ ...ok, conclusion: "neutral" }] },
      "not successful: medic/policy (neutral)",
    ],
    ["no checks at all", { checkRuns: [] }, "no check ran on the head commit"],
    ["a failing commit status", { statuses: { state: "failure", total: 1 } }, "commit status is failure"],
    ["draft", pr({ draft: true }), "the PR is not open and ready"],
    ["someone else's PR", pr({ author: "mallory" }), "not opened by the bot"],
    ["hands-off", pr({ labels: ["risk:safe", "medic:hands-off"] }), "handed over to people"],
    ["no marker", pr({ body: "hi" }), "no valid remediation marker"],
  ])("%s", (_n, over, reason) => {
    const res = decideAutoMerge({ ...base, ...over });
    expect(res).toEqual(reason === null ? { merge: true, sha: HEAD } : { merge: false, reason });
  });
});
