import { z } from "zod";
import { Duration } from "../util/duration.js";

const LabelList = z.array(z.string().min(1)).min(1);

/**
 * A correlation rule: a child alert that shares a root with an open incident (joined on labels, within a
 * time window) is attached to that incident as a child signal instead of opening its own issue.
 */
export const CorrelationRule = z.strictObject({
  /** Stable id, shown in the timeline (`child-attached … by rule <id>`). */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase letters, digits and dashes"),
  /** Why the rule exists, for the docs and the issue body. */
  description: z.string().default(""),
  /** The root side: an open incident with a firing signal of one of these alert names. */
  root: z.strictObject({
    /** Alert names that can be a root. */
    alertnames: LabelList,
    /** Labels the root signal must carry with exactly these values (e.g. `status: "true"`). */
    matchLabels: z.record(z.string(), z.string()).default({}),
  }),
  /** The child side: alert names that get attached. */
  children: z.strictObject({
    /** Alert names that can be a child. */
    alertnames: LabelList,
  }),
  /**
   * All pairs must be equal. Each side lists label names; the first one present is used. `workload` is
   * derived from deployment/rollout/statefulset/daemonset or the pod name; `instance` loses its `:port`.
   * A side with no label present means no correlation (never a guess).
   */
  join: z
    .array(
      z.strictObject({
        /** Label names on the child signal, first present wins. */
        child: LabelList,
        /** Label names on the root signal, first present wins. */
        root: LabelList,
      }),
    )
    .min(1),
  /** The child must start within this time of the root signal (either side). */
  window: Duration.default("10m"),
});
export type CorrelationRule = z.infer<typeof CorrelationRule>;

/** The bundled rule set (documented in docs/incidents.md). */
export const DEFAULT_CORRELATION_RULES: CorrelationRule[] = [
  {
    id: "pods-on-pressured-node",
    description:
      "Pods crash-looping or not ready on a node under memory/disk/PID pressure (or not ready) are symptoms of the node.",
    root: { alertnames: ["KubeNodePressure", "KubeNodeNotReady", "KubeNodeUnreachable"], matchLabels: {} },
    children: { alertnames: ["KubePodCrashLooping", "KubePodNotReady", "KubeContainerWaiting"] },
    join: [{ child: ["node", "instance"], root: ["node", "instance"] }],
    window: "10m",
  },
  {
    id: "pods-of-stuck-rollout",
    description: "Pods of a deployment whose rollout is stuck belong to the rollout incident.",
    root: { alertnames: ["KubeDeploymentRolloutStuck"], matchLabels: {} },
    children: { alertnames: ["KubePodCrashLooping", "KubePodNotReady", "KubeContainerWaiting"] },
    join: [
      { child: ["namespace"], root: ["namespace"] },
      { child: ["workload"], root: ["workload"] },
    ],
    window: "30m",
  },
];
