import type { Workspace } from "./action.js";
import { findObjects, findOne, get } from "./find-in-repo.js";

const WORKLOAD_KINDS = ["Deployment", "Rollout", "StatefulSet"];

/**
 * The workload behind an Ingress: its first backend Service, then the workload whose pod template labels
 * carry the Service's selector. Returns the chain it followed, for the evidence.
 */
export function findIngressBackend(
  files: Workspace,
  namespace: string,
  ingress: string,
): { ok: true; kind: string; name: string; service: string; via: string } | { ok: false; reason: string } {
  const ing = findOne(files, "Ingress", namespace, ingress);
  if (!ing.ok) {
    return {
      ok: false,
      reason:
        ing.candidates.length > 1
          ? `Ingress ${namespace}/${ingress} is declared more than once: ${ing.candidates.join(", ")}`
          : `Ingress ${namespace}/${ingress} is not declared in the repository`,
    };
  }
  const services = new Set<string>();
  const def = get(ing.object, "spec", "defaultBackend", "service", "name");
  if (typeof def === "string") services.add(def);
  for (const rule of asArray(get(ing.object, "spec", "rules"))) {
    for (const p of asArray(get(rule, "http", "paths"))) {
      const s = get(p, "backend", "service", "name");
      if (typeof s === "string") services.add(s);
    }
  }
  const service = [...services][0];
  if (!service) return { ok: false, reason: `Ingress ${namespace}/${ingress} has no backend service` };
  const svc = findOne(files, "Service", namespace, service);
  const selector = svc.ok
    ? (get(svc.object, "spec", "selector") as Record<string, unknown> | undefined)
    : undefined;
  if (selector && Object.keys(selector).length > 0) {
    const matches = WORKLOAD_KINDS.flatMap((k) => findObjects(files, k, namespace)).filter((w) => {
      const labels = (get(w.object, "spec", "template", "metadata", "labels") ?? {}) as Record<
        string,
        unknown
      >;
      return Object.entries(selector).every(([k, v]) => labels[k] === v);
    });
    const names = [...new Set(matches.map((m) => `${m.found.kind}/${m.found.name}`))];
    if (names.length === 1) {
      const m = matches[0]!;
      return {
        ok: true,
        kind: m.found.kind,
        name: m.found.name,
        service,
        via: `Ingress ${ingress} → Service ${service} (selector ${Object.entries(selector)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(",")}) → ${m.found.kind} ${m.found.name} in ${m.found.path}`,
      };
    }
    if (names.length > 1) {
      return {
        ok: false,
        reason: `Service ${namespace}/${service} selects several workloads: ${names.join(", ")}`,
      };
    }
  }
  // Templated charts hide their workloads from a scan; the Service name is the usual workload name.
  return {
    ok: true,
    kind: "Deployment",
    name: service,
    service,
    via: `Ingress ${ingress} → Service ${service} → workload named like the Service (no selector match in the repository)`,
  };
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
