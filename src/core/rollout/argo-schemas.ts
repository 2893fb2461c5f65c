import { z } from "zod";

/**
 * The fields of Argo CD `Application` (`argoproj.io/v1alpha1`) and Argo Rollouts `Rollout` objects the
 * watch reads. Loose objects: the CRDs carry far more, and a newer Argo version adding fields must not
 * break the bot. Status strings are kept as Argo writes them (its words are reported verbatim).
 */

const Meta = z.looseObject({
  /** Object name. */
  name: z.string(),
  /** Namespace (Applications usually live in `argocd`). */
  namespace: z.string().optional(),
  /** Opaque version for list-then-watch. */
  resourceVersion: z.string().optional(),
});

/** One source of an Application (`spec.source` or an entry of `spec.sources`). */
export const ArgoSource = z.looseObject({
  /** Git or Helm repository URL. */
  repoURL: z.string().optional(),
  /** Directory in the repository (Git sources). */
  path: z.string().optional(),
  /** Branch, tag or SHA to track. */
  targetRevision: z.string().optional(),
});
export type ArgoSource = z.infer<typeof ArgoSource>;

/** A resource the Application manages, with its health (`status.resources[]`). */
export const ArgoResourceStatus = z.looseObject({
  /** API group, e.g. `argoproj.io`. */
  group: z.string().optional(),
  /** Kind, e.g. `Rollout`, `Deployment`. */
  kind: z.string(),
  /** Object name. */
  name: z.string(),
  /** Object namespace. */
  namespace: z.string().optional(),
  /** `Synced` | `OutOfSync`. */
  status: z.string().optional(),
  /** Health as Argo CD assessed it. */
  health: z.looseObject({ status: z.string().optional(), message: z.string().optional() }).optional(),
});

/** An Argo CD Application, reduced to what the rollout watch uses. */
export const ArgoApplication = z.looseObject({
  /** Name, namespace, resourceVersion. */
  metadata: Meta,
  /** Desired state. */
  spec: z
    .looseObject({
      /** Single source. */
      source: ArgoSource.optional(),
      /** Multi-source Applications. */
      sources: z.array(ArgoSource).optional(),
      /** Where it deploys. */
      destination: z
        .looseObject({ namespace: z.string().optional(), server: z.string().optional() })
        .optional(),
    })
    .prefault({}),
  /** Observed state. */
  status: z
    .looseObject({
      /** `Synced` | `OutOfSync` | `Unknown`, and the Git revision the live state was compared to. */
      sync: z
        .looseObject({
          status: z.string().optional(),
          revision: z.string().optional(),
          revisions: z.array(z.string()).optional(),
        })
        .optional(),
      /** `Healthy` | `Progressing` | `Degraded` | `Suspended` | `Missing` | `Unknown` and a message. */
      health: z.looseObject({ status: z.string().optional(), message: z.string().optional() }).optional(),
      /** The last sync operation: `Running` | `Succeeded` | `Failed` | `Error` | `Terminating`. */
      operationState: z
        .looseObject({
          phase: z.string().optional(),
          message: z.string().optional(),
          syncResult: z.looseObject({ revision: z.string().optional() }).optional(),
        })
        .optional(),
      /** Previously deployed revisions, oldest first. */
      history: z
        .array(
          z.looseObject({
            id: z.number().optional(),
            revision: z.string().optional(),
            deployedAt: z.string().optional(),
          }),
        )
        .optional(),
      /** `summary.images`: the images the live resources run. */
      summary: z.looseObject({ images: z.array(z.string()).optional() }).optional(),
      /** Managed resources with their health. */
      resources: z.array(ArgoResourceStatus).optional(),
    })
    .prefault({}),
});
export type ArgoApplication = z.infer<typeof ArgoApplication>;

/** An Argo Rollout, reduced to its phase. */
export const ArgoRollout = z.looseObject({
  /** Name, namespace, resourceVersion. */
  metadata: Meta,
  /** Observed state. */
  status: z
    .looseObject({
      /** `Healthy` | `Progressing` | `Paused` | `Degraded` (absent on very old controllers). */
      phase: z.string().optional(),
      /** Why, e.g. `RolloutAborted: Rollout aborted update to revision 3`. */
      message: z.string().optional(),
      /** Set when the update was aborted. */
      abort: z.boolean().optional(),
      /** Pod template hash of the current (newest) ReplicaSet. */
      currentPodHash: z.string().optional(),
      /** Pod template hash of the stable ReplicaSet. */
      stableRS: z.string().optional(),
    })
    .prefault({}),
});
export type ArgoRollout = z.infer<typeof ArgoRollout>;

/** A `metav1.Status` as the API server sends it on errors (and inside watch `ERROR` events). */
export const KubeStatus = z.looseObject({
  /** Always `Status`. */
  kind: z.literal("Status").optional(),
  /** HTTP-like code: 410 Gone means the watch's resourceVersion is too old. */
  code: z.number().optional(),
  /** `Expired`, `Gone`, `NotFound`, `Forbidden`, `TooManyRequests`… */
  reason: z.string().optional(),
  /** Human-readable message. */
  message: z.string().optional(),
});
export type KubeStatus = z.infer<typeof KubeStatus>;

/** One line of a watch stream. */
export const WatchEvent = z.looseObject({
  /** `ADDED` | `MODIFIED` | `DELETED` | `BOOKMARK` | `ERROR`. */
  type: z.enum(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]),
  /** The object, or a `Status` for `ERROR`. */
  object: z.looseObject({}),
});
export type WatchEvent = z.infer<typeof WatchEvent>;

/** Argo CD health words. */
export const ARGO_HEALTH = ["Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown"] as const;
export type ArgoHealth = (typeof ARGO_HEALTH)[number];

/** Reads a health word as Argo wrote it; anything else (or nothing) is `Unknown`. */
export function toArgoHealth(s: string | undefined): ArgoHealth {
  return (ARGO_HEALTH as readonly string[]).includes(s ?? "") ? (s as ArgoHealth) : "Unknown";
}
