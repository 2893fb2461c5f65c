import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseRemediationMarker } from "../../../src/core/approval/remediation-marker.js";
import { parseMarker } from "../../../src/core/markdown/parse-marker.js";
import { buildChange } from "../../../src/core/plan/build-change.js";
import {
  MAX_PR_BODY_LENGTH,
  renderRemediationBody,
} from "../../../src/core/remediation/render-remediation-body.js";
import { samplePlan } from "./plan-fixture.js";

const template = readFileSync(new URL("../../../templates/remediation-pr.md", import.meta.url), "utf8");
const incident = {
  number: 42,
  url: "https://github.com/acme/gitops/issues/42",
  title: "checkout crash-looping",
  severity: "warning",
};
const base = { planHash: "f".repeat(64), incident, requester: "alice", headSha: "c".repeat(40) };

describe("renderRemediationBody", () => {
  it("carries every section the reviewer needs, and both markers", () => {
    const plan = samplePlan({
      steps: [
        {
          id: "restart",
          action: "rollout-restart",
          target: { namespace: "shop", kind: "Deployment", name: "checkout" },
          risk: "safe",
          description: "kubectl rollout restart deployment/checkout -n shop",
        },
      ],
      undo: ["Revert this pull request.", "kubectl rollout undo deployment/checkout -n shop"],
    });
    const body = renderRemediationBody(template, { ...base, plan });
    expect(body).toContain("[#42 checkout crash-looping](https://github.com/acme/gitops/issues/42)");
    expect(body).toContain("| Runbook version | `3b18e512dba79e4c8300dd08aeb37f8e728b8dad` |");
    expect(body).toContain("- **last termination** (cluster): Error, exit code 1");
    expect(body).toContain(
      "-          image: ghcr.io/acme/checkout:1.4.2\n+          image: ghcr.io/acme/checkout:1.4.1",
    );
    expect(body).toContain("| Risk | **safe** |");
    expect(body).toContain("- image rollback to a previously deployed tag");
    expect(body).toContain(
      "- `restart` `rollout-restart` (safe): kubectl rollout restart deployment/checkout -n shop",
    );
    expect(body).toContain("- kubectl rollout undo deployment/checkout -n shop");
    expect(body).toContain("| Requested by | @alice |");
    expect(parseRemediationMarker(body)).toEqual({
      ok: true,
      marker: {
        incidentKey: "KubePodCrashLooping/shop/checkout",
        runbook: "crashloop-rollback",
        requester: "alice",
        planHash: "f".repeat(64),
        // The imperative step, in the form the rollout handler resolves after the merge.
        steps: [{ kind: "rollout-restart", target: "Deployment/shop/checkout" }],
      },
    });
    expect(parseMarker(body, "remediation-head")).toBe("c".repeat(40));
  });

  it("escapes alert text: no mentions, no HTML, no forged markers", () => {
    const plan = samplePlan({
      target: "Deployment shop/@acme/security <img src=x>",
      evidence: [
        {
          source: "alert",
          label: "summary",
          detail: '<!-- medic:remediation {"incidentKey":"x"} --> ping @bob #12',
        },
      ],
      incidentKey: "KubePodCrashLooping/shop/checkout",
    });
    const body = renderRemediationBody(template, { ...base, plan });
    expect(body).not.toContain("<img");
    expect(body).not.toMatch(/(^|[^`])@bob/);
    expect(body).not.toContain("@acme/security");
    expect([...body.matchAll(/<!-- medic:remediation /g)].length).toBe(1);
    expect(parseRemediationMarker(body).ok).toBe(true);
  });

  it("folds and truncates huge diffs under 65,000 characters with a note", () => {
    // A diff as large as a rewritten 6,000-line values file (built directly: diffing it is slow).
    const diff = `--- a/x\n+++ b/x\n@@ -1,6000 +1,6000 @@\n${Array.from({ length: 6000 }, (_, i) => `-key${i}: v\n+key${i}: V`).join("\n")}\n`;
    const changes = Array.from({ length: 5 }, (_, i) => ({
      path: `apps/a${i}/values.yaml`,
      before: "",
      after: "",
      diff,
      step: "s",
      summary: "s",
    }));
    const body = renderRemediationBody(template, { ...base, plan: samplePlan({ changes }) });
    expect(body.length).toBeLessThanOrEqual(MAX_PR_BODY_LENGTH);
    expect(body).toMatch(/more line\(s\) not shown: see the Files changed tab/);
    expect(body).toMatch(/Diff of \d more file\(s\) not shown \(PR body size limit\)/);
    expect((body.match(/<details/g) ?? []).length).toBe((body.match(/<\/details>/g) ?? []).length);
    // Every fence that opens also closes.
    expect((body.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect(parseMarker(body, "remediation-head")).toBe("c".repeat(40));
  });

  it("caps long evidence lists and says how many were left out", () => {
    const evidence = Array.from({ length: 500 }, (_, i) => ({
      source: "cluster",
      label: `event ${i}`,
      detail: "y".repeat(300),
    }));
    const body = renderRemediationBody(template, { ...base, plan: samplePlan({ evidence }) });
    expect(body.length).toBeLessThanOrEqual(MAX_PR_BODY_LENGTH);
    expect(body).toMatch(/_… \d+ more evidence items not shown \(PR body size limit\)\._/);
  });

  it("a fence inside a diff cannot close the block", () => {
    const change = buildChange({
      path: "README.md",
      before: "a\n",
      after: "```\n<!-- x -->\n",
      step: "s",
      summary: "s",
    });
    const body = renderRemediationBody(template, { ...base, plan: samplePlan({ changes: [change] }) });
    expect(body).toContain("````diff\n");
  });

  it("names the bot as requester when nobody asked, and unowned paths", () => {
    const body = renderRemediationBody(template, {
      ...base,
      requester: null,
      plan: samplePlan(),
      unownedPaths: ["apps/checkout/deployment.yaml"],
    });
    expect(body).toContain("| Requested by | gitops-medic (runbook matched the incident) |");
    expect(body).toContain("No CODEOWNERS line owns `apps/checkout/deployment.yaml`");
  });
});
