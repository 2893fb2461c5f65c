import { z } from "zod";
import { Duration } from "../../util/duration.js";

/** Watching Argo CD / Argo Rollouts after a merge. */
export const RolloutConfig = z.strictObject({
  /** Degraded for longer than this after a merge ⇒ revert PR. */
  gracePeriod: Duration.default("120s"),
  /** Give up watching after this long (health becomes a timeline entry, no revert). */
  timeout: Duration.default("30m"),
  /** Open revert PRs automatically. */
  autoRevert: z.boolean().default(true),
  /** Check-run or commit-status name that reports Terraform applies on the merge commit. */
  terraformApplyCheck: z.string().default("atlantis/apply"),
  /** Argo CD Applications per repository path prefix, when not discovered from the cluster. */
  applications: z
    .array(
      z.strictObject({
        path: z.string().min(1),
        name: z.string().min(1),
        namespace: z.string().default("argocd"),
      }),
    )
    .default([]),
});
export type RolloutConfig = z.infer<typeof RolloutConfig>;
