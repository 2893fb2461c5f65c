import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { ArgoApplication, ArgoRollout } from "../../core/rollout/argo-schemas.js";
import type { Logger } from "../../workflows/ports/logger.js";
import { type ArgoReader, ClusterFault } from "../../workflows/ports/rollout-watch.js";
import { statusOfKubeError, toClusterFault } from "../kubernetes/to-cluster-fault.js";

const GROUP = "argoproj.io";
const VERSION = "v1alpha1";
/** Listing stops here: a cluster with more Applications than this is paged no further (bounded memory). */
const MAX_APPLICATIONS = 5_000;
const PAGE = 500;

/**
 * Argo CD Applications and Argo Rollouts through `CustomObjectsApi`, validated with zod. A 404 on the
 * Application list means the CRD is not installed: one clear log line, then `ClusterFault("crd-absent")`
 * on every call. A 404 for one named object is `null`. An object that fails validation is skipped with a
 * log line (a newer Argo must not stop the bot).
 */
export function createArgoReader(kc: KubeConfig, opts: { logger: Logger; name?: string }): ArgoReader {
  const api = kc.makeApiClient(CustomObjectsApi);
  const name = opts.name ?? (kc.getCurrentContext() || "kubernetes");
  let crdAbsentLogged = false;
  const crdAbsent = (plural: string) => {
    if (!crdAbsentLogged) {
      crdAbsentLogged = true;
      opts.logger.warn(
        { cluster: name, group: GROUP, plural },
        "Argo CD CRDs (applications.argoproj.io) absent: rollout watching disabled",
      );
    }
    return new ClusterFault("crd-absent", `${plural}.${GROUP} is not installed in ${name}`, 404);
  };
  const parse = <T>(
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
    v: unknown,
    what: string,
  ): T | null => {
    const res = schema.safeParse(v);
    if (res.success) return res.data;
    opts.logger.warn({ cluster: name, object: what }, "Argo object skipped: unexpected shape");
    return null;
  };
  return {
    name,
    async listApplications() {
      const out: ArgoApplication[] = [];
      let token: string | undefined;
      do {
        let res: { items?: unknown[]; metadata?: { continue?: string } };
        try {
          res = (await api.listClusterCustomObject({
            group: GROUP,
            version: VERSION,
            plural: "applications",
            limit: PAGE,
            ...(token ? { _continue: token } : {}),
          })) as typeof res;
        } catch (err) {
          if (statusOfKubeError(err) === 404) throw crdAbsent("applications");
          throw toClusterFault(err, "list applications.argoproj.io");
        }
        for (const item of res.items ?? []) {
          const app = parse(ArgoApplication, item, "Application");
          if (app) out.push(app);
        }
        token = res.metadata?.continue || undefined;
      } while (token && out.length < MAX_APPLICATIONS);
      return out;
    },
    async getApplication(namespace, appName) {
      try {
        const res = await api.getNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace,
          plural: "applications",
          name: appName,
        });
        return parse(ArgoApplication, res, `Application ${namespace}/${appName}`);
      } catch (err) {
        if (statusOfKubeError(err) === 404) return null;
        throw toClusterFault(err, `get application ${namespace}/${appName}`);
      }
    },
    async getRollout(namespace, rolloutName) {
      try {
        const res = await api.getNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace,
          plural: "rollouts",
          name: rolloutName,
        });
        return parse(ArgoRollout, res, `Rollout ${namespace}/${rolloutName}`);
      } catch (err) {
        if (statusOfKubeError(err) === 404) return null;
        throw toClusterFault(err, `get rollout ${namespace}/${rolloutName}`);
      }
    },
  };
}
