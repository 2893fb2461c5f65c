import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultMedicConfig, loadMedicConfig } from "../../src/core/config/medic-config.js";
import type { IncidentHistory } from "../../src/core/noise/noise-history.js";
import type { AutomationSwitch } from "../../src/workflows/ports/automation-switch.js";
import { NEVER_PAUSED } from "../../src/workflows/ports/automation-switch.js";
import type {
  BaseSnapshot,
  ChangeRequests,
  CommitChangesInput,
  PullRequestInput,
} from "../../src/workflows/ports/change-requests.js";
import { manualClock } from "../../src/workflows/ports/clock.js";
import { silentLogger } from "../../src/workflows/ports/logger.js";
import { proposeTuning } from "../../src/workflows/propose-tuning.js";

const template = readFileSync(new URL("../../templates/tuning-pr.md", import.meta.url), "utf8");
const NOW = Date.parse("2026-01-20T00:00:00Z");
const RULES = readFileSync(
  new URL("../fixtures/patchers/set-prometheus-rule-for/prometheusrule-raise.in.yaml", import.meta.url),
  "utf8",
);

/** Five 3-minute firings nobody touched: CheckoutLatencyHigh is noisy. */
const history: IncidentHistory[] = [0, 1, 2, 3, 4].map((i) => ({
  number: i + 1,
  key: `CheckoutLatencyHigh/${i}`,
  alertname: "CheckoutLatencyHigh",
  severity: "critical",
  episodes: [{ start: NOW - 86_400_000 * (i + 1), end: NOW - 86_400_000 * (i + 1) + 180_000 }],
  actions: [],
  remediated: false,
}));

function fakes(files: Record<string, string>, open: { number: number; url: string } | null = null) {
  const commits: CommitChangesInput[] = [];
  const prs: PullRequestInput[] = [];
  const labels: [number, readonly string[]][] = [];
  const cr = {
    name: "acme/gitops",
    owner: "acme",
    findOpenPullRequest: async () => (open ? { ...open } : null),
    commitChanges: async (input: CommitChangesInput) => {
      commits.push(input);
      return { ok: true, commitSha: "c".repeat(40), branch: "created" };
    },
    openOrUpdatePullRequest: async (input: PullRequestInput) => {
      prs.push(input);
      return { ok: true, number: 41, url: "https://github.com/acme/gitops/pull/41", created: true };
    },
    addLabels: async (n: number, l: readonly string[]) => {
      labels.push([n, l]);
    },
  } as unknown as ChangeRequests;
  const snapshot: BaseSnapshot = {
    name: "acme/gitops",
    revision: async () => "b".repeat(40),
    listFiles: async () => Object.keys(files),
    readFile: async (p) => files[p] ?? null,
    base: async () => ({ branch: "main", commitSha: "b".repeat(40), treeSha: "t".repeat(40) }),
    blobSha: async () => null,
  };
  return { cr, snapshot, commits, prs, labels };
}

const run = (
  f: ReturnType<typeof fakes>,
  proposalId: string,
  automation: AutomationSwitch = NEVER_PAUSED,
  config = defaultMedicConfig(),
) =>
  proposeTuning(
    {
      changeRequests: f.cr,
      openSnapshot: () => f.snapshot,
      source: { incidentHistory: async () => history },
      automation,
      config,
      clock: manualClock(NOW),
      logger: silentLogger,
      bot: { login: "gitops-medic[bot]" },
      template,
    },
    { proposalId, requester: "alice" },
  );

describe("proposeTuning", () => {
  it("raises for: in the PrometheusRule file: one commit, one PR with the statistics, labelled medic + medic:tuning", async () => {
    const f = fakes({ "monitoring/shop-rules.yaml": RULES, "apps/web.yaml": "kind: Deployment\n" });
    const res = await run(f, "for:CheckoutLatencyHigh");
    expect(res).toEqual({
      ok: true,
      message: "opened tuning pull request #41: https://github.com/acme/gitops/pull/41",
    });
    expect(f.commits).toHaveLength(1);
    expect(f.commits[0]!.branch).toBe("medic/tuning/for-checkoutlatencyhigh");
    expect(f.commits[0]!.files.map((w) => w.path)).toEqual(["monitoring/shop-rules.yaml"]);
    expect(f.commits[0]!.files[0]!.content).toContain("          for: 5m\n");
    expect(f.prs[0]!.title).toBe("Alert tuning: raise for: of CheckoutLatencyHigh to 5m");
    expect(f.prs[0]!.body).toContain("<!-- medic:tuning for%3ACheckoutLatencyHigh -->");
    expect(f.prs[0]!.body).toContain("fired 5×, flapped 0, self-resolved 5, never remediated 5/5 incidents");
    expect(f.labels).toEqual([[41, ["medic", "medic:tuning"]]]);
  });

  it("lowers severity only in the configured rule files", async () => {
    const cfg = loadMedicConfig({ noise: { ruleFiles: ["monitoring/**"] } });
    if (!cfg.ok) throw new Error(cfg.message);
    const f = fakes({ "monitoring/shop-rules.yaml": RULES, "other/copy.yaml": RULES });
    const res = await run(f, "severity:CheckoutLatencyHigh", NEVER_PAUSED, cfg.config);
    expect(res.ok).toBe(true);
    expect(f.commits[0]!.files.map((w) => w.path)).toEqual(["monitoring/shop-rules.yaml"]);
  });

  it.each([
    [
      "automation paused",
      "for:CheckoutLatencyHigh",
      { paused: async () => ({ paused: true as const, by: "olivia" }) },
      /^automation paused by @olivia/,
    ],
    ["a proposal that no longer stands", "for:SomethingElse", NEVER_PAUSED, /no longer stands/],
  ])("refused: %s, nothing written", async (_n, id, automation, message) => {
    const f = fakes({ "monitoring/shop-rules.yaml": RULES });
    const res = await run(f, id, automation);
    expect(res.ok).toBe(false);
    expect(res.message).toMatch(message);
    expect(f.commits).toEqual([]);
    expect(f.prs).toEqual([]);
  });

  it("an open PR for the proposal is reported, not duplicated", async () => {
    const f = fakes(
      { "monitoring/shop-rules.yaml": RULES },
      { number: 39, url: "https://github.com/acme/gitops/pull/39" },
    );
    expect(await run(f, "for:CheckoutLatencyHigh")).toEqual({
      ok: true,
      message: "tuning pull request #39 is already open: https://github.com/acme/gitops/pull/39",
    });
    expect(f.commits).toEqual([]);
  });

  it("no rule file defines the alert ⇒ says where to point it", async () => {
    const f = fakes({ "apps/web.yaml": "kind: Deployment\n" });
    expect(await run(f, "for:CheckoutLatencyHigh")).toEqual({
      ok: false,
      message: "nothing to change: no rule file defines CheckoutLatencyHigh (set noise.ruleFiles)",
    });
  });
});
