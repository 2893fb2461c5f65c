import { ClusterFault } from "../../workflows/ports/rollout-watch.js";

/** The HTTP status of a client-node error (`ApiException.code`, or `statusCode` from `Watch`). */
export function statusOfKubeError(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown } | null;
  if (typeof e?.code === "number") return e.code;
  if (typeof e?.statusCode === "number") return e.statusCode;
  return undefined;
}

/**
 * Maps a failed Kubernetes API call to a `ClusterFault`: 401/403 forbidden, 429 throttled, 5xx and
 * network errors unreachable. The message names the call and the status, never the request headers
 * (client-node puts them, bearer token included, into `ApiException.message`).
 */
export function toClusterFault(err: unknown, what: string): ClusterFault {
  if (err instanceof ClusterFault) return err;
  const status = statusOfKubeError(err);
  if (status === 401 || status === 403)
    return new ClusterFault("forbidden", `${what}: ${status} Forbidden`, status);
  if (status === 429) return new ClusterFault("throttled", `${what}: 429 Too Many Requests`, status);
  if (status !== undefined) return new ClusterFault("unreachable", `${what}: HTTP ${status}`, status);
  const code = (err as { code?: unknown; errno?: unknown } | null)?.code;
  const detail = typeof code === "string" ? code : "API server unreachable";
  return new ClusterFault("unreachable", `${what}: ${detail}`);
}
