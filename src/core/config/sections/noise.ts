import { z } from "zod";
import { Duration } from "../../util/duration.js";

/** Alert-noise analysis thresholds. */
export const NoiseConfig = z.strictObject({
  /** How far back the analysis looks (the dashboard's noise report and `medic noise`). */
  period: Duration.default("30d"),
  /** A reopen within this window after resolving counts as a flap. */
  flapWindow: Duration.default("1h"),
  /** Resolving by itself within this time with no action counts as self-resolving. */
  selfResolveWithin: Duration.default("10m"),
  /** An alert is noisy when it fired at least this many times in the analysed period… */
  minFirings: z.number().int().min(1).default(5),
  /** …and this share (0–1) of its firings flapped or resolved by themselves. */
  noisyRatio: z.number().min(0).max(1).default(0.6),
  /** Two alerts are paired when one starts within this time of the other. */
  pairWindow: Duration.default("5m"),
  /** An alert "always accompanies" another when at least this share (0–1) of its firings were paired with it. */
  pairRatio: z.number().min(0).max(1).default(0.9),
  /** Propose lowering the severity of a noisy alert none of whose incidents was ever remediated. */
  proposeSeverity: z.boolean().default(true),
  /** Longest `for:` a tuning PR proposes (a larger suggestion is capped). */
  maxFor: Duration.default("30m"),
  /**
   * Where the Prometheus rules live: files or globs (`**` allowed) holding `PrometheusRule` resources or plain
   * rule files. Empty: every YAML file of the repository is searched for the alert.
   */
  ruleFiles: z.array(z.string().min(1)).max(50).default([]),
  /** The Alertmanager configuration file inhibition rules are added to (`alertmanager.yml`, a Secret's `alertmanager.yaml`, or an `AlertmanagerConfig`). */
  alertmanagerConfig: z.string().min(1).nullable().default(null),
});
export type NoiseConfig = z.infer<typeof NoiseConfig>;

/** The operations dashboard issue. */
export const DashboardConfig = z.strictObject({
  /** Keep a dashboard issue in this repository. */
  enabled: z.boolean().default(true),
  /** Title of the dashboard issue (found by its hidden marker, so renaming it is safe). */
  title: z.string().min(1).max(200).default("gitops-medic dashboard"),
  /** Label the dashboard issue carries; the issues list by this label is how the bot finds it again. */
  label: z.string().min(1).max(50).default("medic:dashboard"),
  /** How long an automatic revert stays listed. */
  revertsFor: Duration.default("7d"),
  /** Updates within this time are merged into one edit of the issue. */
  coalesce: Duration.default("30s"),
});
export type DashboardConfig = z.infer<typeof DashboardConfig>;
