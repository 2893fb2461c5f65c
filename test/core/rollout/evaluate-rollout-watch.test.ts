import { describe, expect, it } from "vitest";
import { ArgoApplication } from "../../../src/core/rollout/argo-schemas.js";
import { decideAutoRevert } from "../../../src/core/rollout/decide-auto-revert.js";
import {
  type AppObservation,
  evaluateRolloutWatch,
  type RolloutWatchState,
} from "../../../src/core/rollout/evaluate-rollout-watch.js";
import { evaluateTerraformApply } from "../../../src/core/rollout/evaluate-terraform-apply.js";
import {
  findApplicationsForPaths,
  normalizeRepoUrl,
} from "../../../src/core/rollout/find-applications-for-paths.js";
import { planRevertFiles } from "../../../src/core/rollout/plan-revert-files.js";
import {
  addQuarantineEntries,
  parseQuarantine,
  quarantinedImages,
} from "../../../src/core/rollout/quarantine.js";
import { formatRevertMarker, parseRevertMarker } from "../../../src/core/rollout/revert-marker.js";

const SHA = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
const OLD = "0000000000000000000000000000000000000001";
const opts = { gracePeriodMs: 120_000, timeoutMs: 1_800_000 };
const start: RolloutWatchState = {
  mergeSha: SHA,
  startedAt: 0,
  degradedSince: null,
  lastReport: null,
  imagesBefore: ["shop/checkout:1.4.1"],
};

const obs = (health: string, revision = SHA, rolloutPhase?: string, sync = "Synced"): AppObservation => ({
  app: "argocd/checkout",
  ok: true,
  syncStatus: sync,
  revision,
  health: health as "Healthy",
  rollouts: rolloutPhase
    ? [
        {
          name: "checkout",
          phase: rolloutPhase,
          message: "RolloutAborted: Rollout aborted update to revision 3",
        },
      ]
    : [],
  images: ["shop/checkout:1.4.2"],
});
const fault = (kind: "unreachable" | "forbidden" | "throttled" | "crd-absent"): AppObservation => ({
  app: "argocd/checkout",
  ok: false,
  fault: kind,
  message: `${kind} (test)`,
});

describe("evaluateRolloutWatch", () => {
  it.each([
    ["waiting for sync (older revision)", obs("Degraded", OLD), 10_000, "pending", "in_progress"],
    [
      "OutOfSync at the merged SHA",
      obs("Progressing", SHA, undefined, "OutOfSync"),
      10_000,
      "pending",
      "in_progress",
    ],
    ["Progressing at the merged SHA", obs("Progressing"), 10_000, "pending", "in_progress"],
    ["Healthy at the merged SHA", obs("Healthy"), 10_000, "healthy", "success"],
    ["Healthy app but Rollout Paused", obs("Healthy", SHA, "Paused"), 10_000, "pending", "in_progress"],
    [
      "Rollout Degraded under a Healthy app",
      obs("Healthy", SHA, "Degraded"),
      10_000,
      "degraded-grace",
      "in_progress",
    ],
    ["API down", fault("unreachable"), 10_000, "unknown", "in_progress"],
    ["403", fault("forbidden"), 10_000, "unknown", "in_progress"],
    ["429", fault("throttled"), 10_000, "unknown", "in_progress"],
    ["CRDs absent", fault("crd-absent"), 10_000, "disabled", "error"],
    ["past the timeout", obs("Progressing"), 1_800_000, "timed-out", "error"],
  ])("%s", (_name, o, now, verdict, state) => {
    const step = evaluateRolloutWatch(start, [o], now, opts);
    expect(step.verdict).toBe(verdict);
    expect(step.report?.state).toBe(state);
  });

  it("Degraded past the grace period at the merged SHA ⇒ degraded, with the new images and Argo's words", () => {
    const a = evaluateRolloutWatch(start, [obs("Degraded", SHA, "Degraded")], 1_000, opts);
    expect(a.verdict).toBe("degraded-grace");
    expect(a.state.degradedSince).toBe(1_000);
    const b = evaluateRolloutWatch(a.state, [obs("Degraded", SHA, "Degraded")], 121_000, opts);
    expect(b.verdict).toBe("degraded");
    expect(b.report).toEqual({
      state: "failure",
      description:
        "Degraded for 2m at a1b2c3d: argocd/checkout: Synced a1b2c3d, Degraded; Rollout checkout Degraded: RolloutAborted: Rollout aborted update to revision 3",
    });
    expect(b.newImages).toEqual(["shop/checkout:1.4.2"]);
  });

  it("Degraded then Healthy inside the grace period resets the clock", () => {
    const a = evaluateRolloutWatch(start, [obs("Degraded")], 1_000, opts);
    const b = evaluateRolloutWatch(a.state, [obs("Progressing")], 60_000, opts);
    expect(b.state.degradedSince).toBeNull();
    const c = evaluateRolloutWatch(b.state, [obs("Degraded")], 130_000, opts);
    expect(c.verdict).toBe("degraded-grace");
  });

  it("a fault keeps the Degraded clock but never gives the degraded verdict", () => {
    const a = evaluateRolloutWatch(start, [obs("Degraded")], 1_000, opts);
    const b = evaluateRolloutWatch(a.state, [fault("unreachable")], 200_000, opts);
    expect(b.verdict).toBe("unknown");
    expect(b.state.degradedSince).toBe(1_000);
  });

  it("reports only changes", () => {
    const a = evaluateRolloutWatch(start, [obs("Progressing")], 1_000, opts);
    const b = evaluateRolloutWatch(a.state, [obs("Progressing")], 2_000, opts);
    expect(a.report).toBeDefined();
    expect(b.report).toBeUndefined();
  });
});

describe("decideAutoRevert", () => {
  const base = {
    enabled: true,
    isRevert: false,
    applications: ["argocd/checkout"],
    recentReverts: [],
    now: 10_000_000,
  };
  it.each([
    ["first revert", {}, { ok: true }],
    ["a revert of a revert", { isRevert: true }, { ok: false, reason: "revert-of-revert" }],
    ["disabled", { enabled: false }, { ok: false, reason: "disabled" }],
    [
      "one 30 minutes ago",
      { recentReverts: [{ application: "argocd/checkout", at: 10_000_000 - 1_800_000, pr: 9 }] },
      { ok: false, reason: "rate-limited" },
    ],
    [
      "one 61 minutes ago",
      { recentReverts: [{ application: "argocd/checkout", at: 10_000_000 - 3_660_000 }] },
      { ok: true },
    ],
    [
      "another app",
      { recentReverts: [{ application: "argocd/cart", at: 10_000_000 - 60_000 }] },
      { ok: true },
    ],
  ])("%s", (_n, patch, expected) => {
    expect(decideAutoRevert({ ...base, ...patch })).toMatchObject(expected);
  });
});

describe("evaluateTerraformApply", () => {
  it.each([
    [[], [], "missing"],
    [[{ name: "atlantis/apply", status: "in_progress", conclusion: null }], [], "pending"],
    [[{ name: "atlantis/apply", status: "completed", conclusion: "success" }], [], "success"],
    [[{ name: "atlantis/apply", status: "completed", conclusion: "failure" }], [], "failure"],
    [[{ name: "atlantis/apply", status: "completed", conclusion: "skipped" }], [], "pending"],
    [[], [{ context: "atlantis/apply", state: "pending" }], "pending"],
    [[], [{ context: "atlantis/apply", state: "error", description: "1 project failed" }], "failure"],
    [[], [{ context: "atlantis/plan", state: "success" }], "missing"],
  ])("runs %j statuses %j ⇒ %s", (runs, statuses, state) => {
    expect(evaluateTerraformApply("atlantis/apply", runs, statuses).state).toBe(state);
  });
});

describe("findApplicationsForPaths", () => {
  const app = (name: string, repoURL: string, path: string) =>
    ArgoApplication.parse({ metadata: { name, namespace: "argocd" }, spec: { source: { repoURL, path } } });
  const apps = [
    app("checkout", "git@github.com:acme/gitops.git", "apps/checkout"),
    app("cart", "https://github.com/acme/gitops", "apps/cart"),
    app("other", "https://github.com/acme/elsewhere.git", "apps/checkout"),
  ];
  it.each([
    [["apps/checkout/values.yaml"], [], ["argocd/checkout"]],
    [["apps/cart/deploy.yaml", "apps/checkout/x.yaml"], [], ["argocd/cart", "argocd/checkout"]],
    [["apps/checkoutx/a.yaml"], [], []],
    [
      ["apps/checkout/values.yaml"],
      [{ path: "apps/checkout", name: "shop-checkout", namespace: "argo" }],
      ["argo/shop-checkout"],
    ],
  ])("%j with mapping %j", (paths, mapping, expected) => {
    const found = findApplicationsForPaths({
      repoUrl: "https://github.com/Acme/gitops.git",
      changedPaths: paths,
      mapping,
      applications: apps,
    });
    expect(found.map((a) => `${a.namespace}/${a.name}`)).toEqual(expected);
  });
  it.each([
    ["https://github.com/acme/gitops.git", "github.com/acme/gitops"],
    ["git@github.com:acme/gitops.git", "github.com/acme/gitops"],
    ["ssh://git@github.com/acme/gitops", "github.com/acme/gitops"],
  ])("normalizes %s", (url, out) => expect(normalizeRepoUrl(url)).toBe(out));
});

describe("revert helpers", () => {
  it("refuses a file changed again after the merge", () => {
    expect(planRevertFiles([{ path: "a.yaml", before: "1", merged: "2", current: "3" }])).toMatchObject({
      ok: false,
      reason: "changed-since",
      paths: ["a.yaml"],
    });
    expect(planRevertFiles([{ path: "a.yaml", before: null, merged: "2", current: "2" }])).toEqual({
      ok: true,
      files: [{ path: "a.yaml", content: null }],
    });
  });
  it("round-trips the revert marker and refuses two", () => {
    const m = {
      incidentKey: "KubePodCrashLooping/shop/checkout",
      originalPr: 7,
      mergeSha: SHA,
      applications: ["argocd/checkout"],
      at: 5,
      reason: "degraded" as const,
    };
    const body = `x\n${formatRevertMarker(m)}\n`;
    expect(parseRevertMarker(body)).toEqual(m);
    expect(parseRevertMarker(body + body)).toBeNull();
  });
  it("appends quarantine entries once and refuses a broken file", () => {
    const entry = {
      image: "shop/checkout:1.4.2",
      revision: SHA,
      application: "argocd/checkout",
      at: "2026-01-01T00:00:00.000Z",
      reason: "Degraded",
    };
    const a = addQuarantineEntries(null, [entry]);
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    const b = addQuarantineEntries(a.text, [entry]);
    expect(b).toMatchObject({ ok: true, added: 0 });
    const parsed = parseQuarantine(a.text);
    expect(parsed.ok && quarantinedImages(parsed.quarantine)).toEqual(["shop/checkout:1.4.2"]);
    expect(parseQuarantine("entries: 3\n")).toMatchObject({ ok: false, field: "entries" });
  });
});
