import { KubeConfig } from "@kubernetes/client-node";

export type LoadKubeConfigResult =
  | { ok: true; config: KubeConfig; name: string }
  | { ok: false; message: string };

/**
 * The Kubernetes client configuration: a kubeconfig file when `path` is given (or `KUBECONFIG` is set),
 * else the in-cluster service account when running in a pod, else `~/.kube/config`. No cluster is an
 * expected outcome (the bot runs without one and says so), not an error.
 */
export function loadKubeConfig(opts: { path?: string; env?: NodeJS.ProcessEnv } = {}): LoadKubeConfigResult {
  const env = opts.env ?? process.env;
  const kc = new KubeConfig();
  try {
    if (opts.path) kc.loadFromFile(opts.path);
    else kc.loadFromDefault();
  } catch (err) {
    return { ok: false, message: `kubeconfig unreadable: ${(err as Error).message.split("\n")[0]}` };
  }
  const cluster = kc.getCurrentCluster();
  // With nothing found, client-node falls back to an unauthenticated http://localhost:8080: that is
  // "no cluster", not a cluster to poll.
  const fallback = !opts.path && cluster?.name === "cluster" && cluster.server === "http://localhost:8080";
  if (!cluster || fallback) {
    const where =
      opts.path ?? env["KUBECONFIG"] ?? (env["KUBERNETES_SERVICE_HOST"] ? "in-cluster" : "~/.kube/config");
    return { ok: false, message: `no Kubernetes cluster configured (${where})` };
  }
  return { ok: true, config: kc, name: kc.getCurrentContext() || cluster.name };
}

/** A config for one API server with a bearer token (tests against nock, and `--server` style use). */
export function kubeConfigFor(server: string, token = "test-token"): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "c", server, skipTLSVerify: false }],
    users: [{ name: "u", token }],
    contexts: [{ name: "medic", cluster: "c", user: "u" }],
    currentContext: "medic",
  });
  return kc;
}
