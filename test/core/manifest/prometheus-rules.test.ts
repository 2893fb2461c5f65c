import { readFileSync } from "node:fs";
import { join } from "node:path";
import { diffLines } from "diff";
import { describe, expect, it } from "vitest";
import { addInhibitRule } from "../../../src/core/manifest/add-inhibit-rule.js";
import { findAlertRules } from "../../../src/core/manifest/find-alert-rules.js";
import { setPrometheusRuleFor } from "../../../src/core/manifest/set-prometheus-rule-for.js";
import { setPrometheusRuleSeverity } from "../../../src/core/manifest/set-prometheus-rule-severity.js";
import type { PatchResult } from "../../../src/core/manifest/types.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/patchers");
const read = (patcher: string, name: string, side: "in" | "out") =>
  readFileSync(join(FIXTURES, patcher, `${name}.${side}.yaml`), "utf8");

const CASES: {
  patcher: string;
  name: string;
  run: (text: string, file: string) => PatchResult;
  changedLines: number;
}[] = [
  {
    patcher: "set-prometheus-rule-for",
    name: "prometheusrule-raise",
    run: (t, f) => setPrometheusRuleFor(t, "CheckoutLatencyHigh", "15m", f),
    changedLines: 1,
  },
  {
    patcher: "set-prometheus-rule-for",
    name: "rule-file-add-for",
    run: (t, f) => setPrometheusRuleFor(t, "NodeFilesystemAlmostFull", "10m", f),
    changedLines: 0,
  },
  {
    // Two thresholds of one alert: only the shorter `for:` is raised; the 30m one already waits longer.
    patcher: "set-prometheus-rule-for",
    name: "multi-document",
    run: (t, f) => setPrometheusRuleFor(t, "QueueBacklog", "10m", f),
    changedLines: 1,
  },
  {
    patcher: "set-prometheus-rule-severity",
    name: "prometheusrule-lower",
    run: (t, f) =>
      setPrometheusRuleSeverity(t, "CheckoutLatencyHigh", { from: "critical", to: "warning" }, f),
    changedLines: 1,
  },
  {
    patcher: "set-prometheus-rule-severity",
    name: "quoted-two-thresholds",
    run: (t, f) => setPrometheusRuleSeverity(t, "DiskFillingUp", { from: "warning", to: "info" }, f),
    changedLines: 1,
  },
  {
    patcher: "add-inhibit-rule",
    name: "alertmanager-yml",
    run: (t, f) =>
      addInhibitRule(t, { source: "KubeNodeNotReady", target: "KubePodNotReady", equal: ["node"] }, f),
    changedLines: 0,
  },
  {
    patcher: "add-inhibit-rule",
    name: "alertmanagerconfig",
    run: (t, f) =>
      addInhibitRule(t, { source: "KubeNodeNotReady", target: "KubePodNotReady", equal: ["node"] }, f),
    changedLines: 0,
  },
];

describe("Prometheus rule and Alertmanager patchers: golden pairs", () => {
  it.each(CASES.map((c) => [`${c.patcher}/${c.name}`, c] as const))("%s", (_l, c) => {
    expect(c.run(read(c.patcher, c.name, "in"), `${c.name}.in.yaml`)).toEqual({
      ok: true,
      text: read(c.patcher, c.name, "out"),
      changed: true,
    });
  });

  it.each(CASES.map((c) => [`${c.patcher}/${c.name}`, c] as const))(
    "%s: a second run changes nothing",
    (_l, c) => {
      const out = read(c.patcher, c.name, "out");
      expect(c.run(out, `${c.name}.out.yaml`)).toEqual({ ok: true, text: out, changed: false });
    },
  );

  it.each(CASES.map((c) => [`${c.patcher}/${c.name}`, c] as const))("%s: minimal diff", (_l, c) => {
    const removed = diffLines(read(c.patcher, c.name, "in"), read(c.patcher, c.name, "out"))
      .filter((p) => p.removed)
      .reduce((n, p) => n + (p.count ?? 0), 0);
    expect(removed).toBe(c.changedLines);
  });
});

describe("Prometheus rule patchers: refusals", () => {
  const rules = read("set-prometheus-rule-for", "prometheusrule-raise", "in");
  it.each([
    [
      "unknown alert",
      () => setPrometheusRuleFor(rules, "Nope", "10m", "r.yaml"),
      "r.yaml: no alerting rule named Nope",
    ],
    [
      "not a duration",
      () => setPrometheusRuleFor(rules, "CheckoutLatencyHigh", "soon", "r.yaml"),
      'r.yaml: "soon" is not a positive duration such as 5m',
    ],
    [
      "raising severity",
      () =>
        setPrometheusRuleSeverity(
          rules,
          "CheckoutLatencyHigh",
          { from: "warning", to: "critical" },
          "r.yaml",
        ),
      "r.yaml: warning → critical does not lower the severity",
    ],
    [
      "severity not as expected",
      () =>
        setPrometheusRuleSeverity(rules, "KubePodCrashLooping", { from: "critical", to: "info" }, "r.yaml"),
      "r.yaml: alert KubePodCrashLooping has severity warning, not critical",
    ],
    [
      "inhibit rule in a Secret",
      () =>
        addInhibitRule(
          "apiVersion: v1\nkind: Secret\nmetadata:\n  name: alertmanager-main\nstringData:\n  alertmanager.yaml: |\n    route: {}\n",
          { source: "A", target: "B", equal: [] },
          "s.yaml",
        ),
      "s.yaml: the Alertmanager configuration is embedded in a Secret; point noise.alertmanagerConfig at the alertmanager.yml it is generated from",
    ],
    [
      "matcher injection in an alert name",
      () => addInhibitRule("route: {}\n", { source: 'A",x="', target: "B", equal: [] }, "a.yml"),
      'a.yml: invalid source alert name "A",x=""',
    ],
    [
      "not an Alertmanager file",
      () => addInhibitRule("foo: 1\n", { source: "A", target: "B", equal: [] }, "a.yml"),
      "a.yml: no Alertmanager configuration or AlertmanagerConfig resource",
    ],
  ] as const)("%s", (_n, run, reason) => {
    expect(run()).toEqual({ ok: false, reason });
  });

  it("lowering for: is never done (a rule waiting longer is left alone)", () => {
    expect(setPrometheusRuleFor(rules, "KubePodCrashLooping", "2m", "r.yaml")).toEqual({
      ok: true,
      text: rules,
      changed: false,
    });
  });

  it("an existing legacy source_match rule for the pair counts as present", () => {
    const text =
      'route: {}\ninhibit_rules:\n  - source_match:\n      alertname: A\n    target_matchers: [alertname="B"]\n';
    expect(addInhibitRule(text, { source: "A", target: "B", equal: [] }, "a.yml")).toEqual({
      ok: true,
      text,
      changed: false,
    });
  });

  it("finds rules in PrometheusRule resources and rule files, skipping recording rules", () => {
    const res = findAlertRules(
      read("set-prometheus-rule-for", "rule-file-add-for", "in"),
      "NodeFilesystemAlmostFull",
    );
    expect(res.ok && res.value.rules.map((r) => ({ path: r.path, group: r.group, form: r.form }))).toEqual([
      { path: ["groups", 0, "rules", 0], group: "node.rules", form: "rule-file" },
    ]);
  });
});
