import { CustomObjectsApi, type KubeConfig, Watch } from "@kubernetes/client-node";
import { ArgoApplication, KubeStatus } from "../../core/rollout/argo-schemas.js";
import type { Logger } from "../../workflows/ports/logger.js";
import type { Scheduler } from "../../workflows/ports/rollout-watch.js";
import { statusOfKubeError, toClusterFault } from "../kubernetes/to-cluster-fault.js";

const PATH = "/apis/argoproj.io/v1alpha1/applications";

export interface ApplicationWatchOptions {
  logger: Logger;
  /** Every ADDED/MODIFIED/DELETED Application (after validation). */
  onEvent(type: "ADDED" | "MODIFIED" | "DELETED", app: ArgoApplication): void;
  /** After each (re)list, with the full list (the watch starts from its resourceVersion). */
  onList?(apps: ArgoApplication[]): void;
  /** Back-off between failed attempts. */
  scheduler: Scheduler;
  /** First retry delay; doubled per consecutive failure up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export type ApplicationWatchStatus = "running" | "disabled" | "stopped";

/**
 * List-then-watch of Argo CD Applications, as the API concepts prescribe: list, watch from the list's
 * resourceVersion, and on `410 Gone` (an `ERROR` event whose Status has code 410, or a 410 answer) forget
 * the version and list again. Other failures (API down, 403, 429) back off and re-watch from the last seen
 * version. A 404 on the group means the CRDs are absent: one log line, and the watch stops for good.
 */
export function watchArgoApplications(kc: KubeConfig, opts: ApplicationWatchOptions) {
  const api = kc.makeApiClient(CustomObjectsApi);
  const watcher = new Watch(kc);
  let status: ApplicationWatchStatus = "running";
  let resourceVersion: string | null = null;
  let failures = 0;
  let relists = 0;
  let current: AbortController | null = null;
  const base = opts.backoffMs ?? 1_000;
  const max = opts.maxBackoffMs ?? 60_000;

  const disable = () => {
    status = "disabled";
    opts.logger.warn(
      { group: "argoproj.io" },
      "Argo CD CRDs (applications.argoproj.io) absent: rollout watching disabled",
    );
  };
  const retry = (why: string) => {
    if (status !== "running") return;
    failures++;
    const delay = Math.min(max, base * 2 ** (failures - 1));
    opts.logger.warn({ why, delayMs: delay, failures }, "Argo CD Application watch interrupted; retrying");
    opts.scheduler.after(delay, run);
  };

  async function list(): Promise<boolean> {
    try {
      const res = (await api.listClusterCustomObject({
        group: "argoproj.io",
        version: "v1alpha1",
        plural: "applications",
      })) as { items?: unknown[]; metadata?: { resourceVersion?: string } };
      const apps = (res.items ?? []).flatMap((i) => {
        const p = ArgoApplication.safeParse(i);
        return p.success ? [p.data] : [];
      });
      resourceVersion = res.metadata?.resourceVersion ?? null;
      relists++;
      opts.onList?.(apps);
      return true;
    } catch (err) {
      if (statusOfKubeError(err) === 404) disable();
      else retry(toClusterFault(err, "list applications.argoproj.io").message);
      return false;
    }
  }

  async function run(): Promise<void> {
    if (status !== "running") return;
    if (resourceVersion === null && !(await list())) return;
    let gone = false;
    const controller = await watcher.watch(
      PATH,
      { resourceVersion: resourceVersion ?? undefined, allowWatchBookmarks: true },
      (type: string, obj: unknown) => {
        if (type === "ERROR") {
          const st = KubeStatus.safeParse(obj);
          if (st.success && st.data.code === 410) gone = true;
          return;
        }
        const rv = (obj as { metadata?: { resourceVersion?: string } } | null)?.metadata?.resourceVersion;
        if (rv) resourceVersion = rv;
        if (type === "BOOKMARK") return;
        if (type !== "ADDED" && type !== "MODIFIED" && type !== "DELETED") return;
        const app = ArgoApplication.safeParse(obj);
        if (app.success) {
          failures = 0;
          opts.onEvent(type, app.data);
        }
      },
      (err: unknown) => {
        current = null;
        if (status !== "running") return;
        const code = statusOfKubeError(err);
        if (gone || code === 410) {
          // The version is too old for the API server's watch cache: list again, never resume from it.
          opts.logger.info({ resourceVersion }, "Argo CD Application watch expired (410 Gone); relisting");
          resourceVersion = null;
          opts.scheduler.after(0, run);
          return;
        }
        if (code === 404) {
          disable();
          return;
        }
        if (err) {
          retry(toClusterFault(err, "watch applications.argoproj.io").message);
          return;
        }
        // The server closed the stream normally (its timeout): watch again from where we were.
        opts.scheduler.after(0, run);
      },
    );
    current = controller;
  }

  opts.scheduler.after(0, run);
  return {
    status: () => status,
    /** How many times the list was read (1 + relists after 410). */
    lists: () => relists,
    stop(): void {
      status = "stopped";
      current?.abort();
    },
  };
}
