import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { parseQuarantine } from "../../src/core/rollout/quarantine.js";
import { formatRevertMarker, parseRevertMarker } from "../../src/core/rollout/revert-marker.js";
import { BOT } from "../fixtures/github/fake-github.js";
import { createRolloutHarness, DEPLOYMENT, KEY, statusLines } from "./rollout-harness.js";

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const ABORTED = "RolloutAborted: Rollout aborted update to revision 3";

describe("rollout watch after a remediation merge", () => {
  it("merge ⇒ Progressing ⇒ Degraded past the grace period ⇒ revert PR with quarantine, linked to incident and PR", async () => {
    const h = await createRolloutHarness();
    const sha7 = h.mergeSha.slice(0, 7);
    await h.receiveMerge();
    expect(h.deployments).toHaveLength(1);
    expect(h.deployments[0]).toMatchObject({
      sha: h.mergeSha,
      task: "medic:watch-rollout",
      environment: "argocd/argocd/checkout",
      payload: {
        kind: "argo",
        pr: 7,
        incidentKey: KEY,
        applications: ["argocd/checkout"],
        imagesBefore: ["registry.example.com/shop/checkout:1.4.1"],
        isRevert: false,
      },
    });
    await h.sched.advance(0);
    h.setApp("Synced", h.mergeSha, "Progressing", "Progressing", "more replicas need to be updated");
    await h.sched.advance(10_000);
    h.setApp("Synced", h.mergeSha, "Degraded", "Degraded", ABORTED);
    await h.sched.advance(10_000);
    expect(h.fake.openPulls()).toHaveLength(0);
    await h.sched.advance(130_000);
    const lines = statusLines(h);
    expect(lines[0]).toBe(`in_progress: Watching Argo CD argocd/checkout for ${sha7}`);
    expect(lines[1]).toMatch(/^in_progress: Waiting for sync to /);
    expect(lines[2]).toMatch(/^in_progress: Progressing: argocd\/checkout: Synced /);
    expect(lines[3]).toMatch(/^in_progress: Degraded at /);
    expect(lines[4]).toMatch(/^failure: Degraded for 2m/);
    expect(lines).toHaveLength(5);
    for (const s of h.statuses.get(h.deployments[0]!.id)!)
      expect(s.description.length).toBeLessThanOrEqual(140);

    const [revert] = h.fake.openPulls();
    expect(revert).toBeDefined();
    expect(revert!.head).toBe(`medic/revert/${h.mergeSha.slice(0, 12)}`);
    expect(revert!.title).toBe('Revert "fix(checkout): roll back image to 1.4.2"');
    expect(revert!.labels).toEqual(["medic:revert"]);
    expect(revert!.body).toContain("#7");
    expect(revert!.body).toContain("#42");
    expect(parseRevertMarker(revert!.body)).toMatchObject({
      incidentKey: KEY,
      originalPr: 7,
      mergeSha: h.mergeSha,
      applications: ["argocd/checkout"],
      reason: "degraded",
    });
    // The files as before the merge, plus the quarantine of the image that only ran since the merge.
    expect(h.fake.fileAt(revert!.head, "apps/checkout/rollout.yaml")).toBe(DEPLOYMENT("1.4.1"));
    const q = parseQuarantine(h.fake.fileAt(revert!.head, ".github/medic/quarantine.yml") ?? null);
    expect(q.ok && q.quarantine.entries.map((e) => [e.image, e.revision, e.application])).toEqual([
      ["registry.example.com/shop/checkout:1.4.2", h.mergeSha, "argocd/checkout"],
    ]);
    // Timeline entries on the incident, in Argo's words.
    const comments = h.fake.comments.get(42)!.map((c) => c.body);
    expect(comments.some((c) => c.includes("RolloutAborted: Rollout aborted update to revision 3"))).toBe(
      true,
    );
    expect(comments.some((c) => c.includes(`Revert PR #&#8203;${revert!.number} opened`))).toBe(true);
    expect(h.sched.pending()).toBe(0);
  });
});
