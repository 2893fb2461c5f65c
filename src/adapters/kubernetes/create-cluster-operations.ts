import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from "@kubernetes/client-node";
import type { ClusterOperations } from "../../workflows/ports/rollout-watch.js";
import { statusOfKubeError, toClusterFault } from "./to-cluster-fault.js";

const MERGE = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/**
 * `ClusterOperations` over the Kubernetes API. Evictions go through `pods/eviction` (policy/v1), so a
 * PodDisruptionBudget that forbids one answers 429 and the pod stays; nothing here ever deletes a pod.
 * Argo Rollouts are patched the way the `kubectl argo rollouts` plugin does: `status.abort` on the status
 * subresource for abort/retry, `status.pauseConditions`/`spec.paused` for promote, `status.promoteFull`.
 */
export function createClusterOperations(kc: KubeConfig, opts: { name?: string } = {}): ClusterOperations {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toClusterFault(err, what);
    }
  };
  const rollout = { group: "argoproj.io", version: "v1alpha1", plural: "rollouts" };
  return {
    name: opts.name ?? (kc.getCurrentContext() || "kubernetes"),
    async setUnschedulable(node, unschedulable) {
      await call(`patch node ${node}`, () =>
        core.patchNode({ name: node, body: { spec: { unschedulable } } }, MERGE),
      );
    },
    async listPodsOnNode(node) {
      const list = await call(`list pods on ${node}`, () =>
        core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` }),
      );
      return list.items.map((p) => ({
        namespace: p.metadata?.namespace ?? "",
        name: p.metadata?.name ?? "",
        ownerKinds: (p.metadata?.ownerReferences ?? []).map((o) => o.kind),
        mirror: Boolean(p.metadata?.annotations?.["kubernetes.io/config.mirror"]),
      }));
    },
    async evictPod(namespace, name, gracePeriodSeconds) {
      try {
        await core.createNamespacedPodEviction({
          name,
          namespace,
          body: {
            apiVersion: "policy/v1",
            kind: "Eviction",
            metadata: { name, namespace },
            deleteOptions: { gracePeriodSeconds },
          },
        });
        return { ok: true };
      } catch (err) {
        const status = statusOfKubeError(err);
        if (status === 429)
          return {
            ok: false,
            reason: "disruption-budget",
            message: `${namespace}/${name}: eviction refused (429): a PodDisruptionBudget does not allow it now`,
          };
        if (status === 404)
          return { ok: false, reason: "not-found", message: `${namespace}/${name} is gone` };
        throw toClusterFault(err, `evict ${namespace}/${name}`);
      }
    },
    async restartWorkload(kind, namespace, name, at) {
      const template = {
        spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": at } } } },
      };
      const what = `restart ${kind} ${namespace}/${name}`;
      switch (kind) {
        case "Deployment":
          await call(what, () => apps.patchNamespacedDeployment({ name, namespace, body: template }, MERGE));
          return;
        case "StatefulSet":
          await call(what, () => apps.patchNamespacedStatefulSet({ name, namespace, body: template }, MERGE));
          return;
        case "DaemonSet":
          await call(what, () => apps.patchNamespacedDaemonSet({ name, namespace, body: template }, MERGE));
          return;
        case "Rollout":
          await call(what, () =>
            custom.patchNamespacedCustomObject(
              { ...rollout, namespace, name, body: { spec: { restartAt: at } } },
              MERGE,
            ),
          );
          return;
        default:
          throw new Error(`rollout restart: unsupported kind ${kind}`);
      }
    },
    async patchRollout(namespace, name, op) {
      const what = `${op} rollout ${namespace}/${name}`;
      const status = (body: object) =>
        call(what, () =>
          custom.patchNamespacedCustomObjectStatus({ ...rollout, namespace, name, body }, MERGE),
        );
      if (op === "abort") await status({ status: { abort: true } });
      else if (op === "retry") await status({ status: { abort: false } });
      else if (op === "promote-full") await status({ status: { promoteFull: true } });
      else {
        await call(what, () =>
          custom.patchNamespacedCustomObject(
            { ...rollout, namespace, name, body: { spec: { paused: false } } },
            MERGE,
          ),
        );
        await status({ status: { pauseConditions: null } });
      }
    },
  };
}
