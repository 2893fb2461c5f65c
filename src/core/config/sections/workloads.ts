import { z } from "zod";

/** Where a workload is declared, when scanning the repository is not enough. */
export const WorkloadMapping = z.strictObject({
  /** Kubernetes kind: Deployment, StatefulSet, Rollout, PersistentVolumeClaim, Ingress, … */
  kind: z.string().min(1),
  /** Object name. */
  name: z.string().min(1),
  /** Namespace; any namespace when omitted. */
  namespace: z.string().optional(),
  /** Repository path of the file that declares it (manifest, kustomization.yaml or Helm values file). */
  path: z.string().min(1),
  /** For Helm values files: the dotted keys of the image repository, tag and replica count. */
  helm: z
    .strictObject({
      /** Dotted key of the image tag, e.g. `image.tag`. */
      imageTag: z.string().default("image.tag"),
      /** Dotted key of the image repository, e.g. `image.repository`. */
      imageRepository: z.string().default("image.repository"),
      /** Dotted key of the replica count, e.g. `replicaCount`. */
      replicas: z.string().default("replicaCount"),
    })
    .optional(),
});
export type WorkloadMapping = z.infer<typeof WorkloadMapping>;

/** How to find workloads in the GitOps repository. */
export const WorkloadsConfig = z.strictObject({
  /** Explicit mappings, checked before scanning. */
  mappings: z.array(WorkloadMapping).default([]),
  /** Pod name rules for alerts that carry only a pod name: regex with a `workload` named group. */
  podNameRules: z.array(z.string().min(1)).default([]),
  /** Directories to scan for manifests; the whole repository when empty. */
  paths: z.array(z.string().min(1)).default([]),
});
export type WorkloadsConfig = z.infer<typeof WorkloadsConfig>;
