// Kubernetes names generated suffixes from this alphabet (no vowels, no look-alikes): `rand.SafeEncodeString`.
const SAFE = "[bcdfghjklmnpqrstvwxz2456789]";
const DEPLOYMENT_POD = new RegExp(`^(.+)-${SAFE}{6,10}-${SAFE}{5}$`);
const DAEMONSET_OR_JOB_POD = new RegExp(`^(.+)-${SAFE}{5}$`);
const STATEFULSET_POD = /^(.+)-\d+$/;

/**
 * The workload a signal is about: an explicit workload label, else the name the pod was generated from
 * (`checkout-7d9f8b6c5-x2x9z` → `checkout`, `db-2` → `db`, `node-exporter-x2x9z` → `node-exporter`).
 * kubernetes-mixin's pod alerts carry no workload label, so without this every replica would be its own
 * incident.
 */
export function deriveWorkload(labels: Record<string, string>): string | undefined {
  for (const name of ["deployment", "rollout", "statefulset", "daemonset", "job_name", "cronjob"]) {
    const v = labels[name];
    if (v) return v;
  }
  const pod = labels["pod"];
  if (!pod) return undefined;
  return workloadOfPod(pod);
}

/** The generating workload's name from a pod name; the pod name itself when no pattern applies. */
export function workloadOfPod(pod: string): string {
  return (
    DEPLOYMENT_POD.exec(pod)?.[1] ??
    STATEFULSET_POD.exec(pod)?.[1] ??
    DAEMONSET_OR_JOB_POD.exec(pod)?.[1] ??
    pod
  );
}
