import { z } from "zod";
import { Duration } from "../../util/duration.js";

/** How alerts become incident issues. */
export const IncidentsConfig = z.strictObject({
  /** Labels that make up the incident key, after `alertname`; the first present of each group is used. */
  keyLabels: z
    .array(z.string().min(1))
    .default([
      "namespace",
      "deployment",
      "rollout",
      "statefulset",
      "pod",
      "node",
      "persistentvolumeclaim",
      "ingress",
    ]),
  /** What to do with the issue when the incident resolves: close it, or keep it open and add a label. */
  onResolve: z.enum(["close", "label"]).default("close"),
  /** A recurrence within this window after closing reopens the issue; later ones open a new linked issue. */
  reopenWindow: Duration.default("24h"),
  /** At most one comment per issue within this period (body updates are not limited). */
  commentCooldown: Duration.default("5m"),
  /** Allow an alert label `medic_repo: owner/name` to route the incident to another repository. */
  allowRepoLabel: z.boolean().default(false),
  /** Repositories an alert label may route to when `allowRepoLabel` is on. */
  allowedRepos: z.array(z.string().regex(/^[\w.-]+\/[\w.-]+$/)).default([]),
  /** Extra labels put on every incident issue. */
  labels: z.array(z.string().min(1).max(50)).default([]),
});
export type IncidentsConfig = z.infer<typeof IncidentsConfig>;
