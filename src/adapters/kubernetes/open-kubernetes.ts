import type { KubeConfig } from "@kubernetes/client-node";
import type { EnvConfig } from "../../core/config/env-config.js";
import type { Cluster } from "../../workflows/ports/cluster.js";
import type { Logger } from "../../workflows/ports/logger.js";
import type { ArgoReader } from "../../workflows/ports/rollout-watch.js";
import { createArgoReader } from "../argo/create-argo-reader.js";
import { createKubernetesCluster } from "./create-kubernetes-cluster.js";
import { loadKubeConfig } from "./load-kube-config.js";

export interface KubernetesAccess {
  kubeConfig: KubeConfig | null;
  argo: ArgoReader | null;
  /** Read-only facts for diagnosis and planning; null when no cluster is configured. */
  cluster: Cluster | null;
}

/**
 * One read-only view of the cluster for the whole app, so planning (runbook matching, the pod → workload
 * chain of KubePodCrashLooping) and the rollout watch see the same facts. No cluster is an expected
 * shape: everything still runs from the repository and the alert, and this says so once.
 */
export function openKubernetes(env: Pick<EnvConfig, "KUBECONFIG">, logger: Logger): KubernetesAccess {
  const loaded = loadKubeConfig(env.KUBECONFIG ? { path: env.KUBECONFIG } : {});
  if (!loaded.ok) {
    logger.warn(
      { reason: loaded.message },
      "no Kubernetes cluster: planning uses the repository and the alert only; rollout watching of Argo CD is disabled",
    );
    return { kubeConfig: null, argo: null, cluster: null };
  }
  const argo = createArgoReader(loaded.config, { logger });
  const cluster = createKubernetesCluster(loaded.config, { logger, argo });
  return { kubeConfig: loaded.config, argo, cluster };
}
