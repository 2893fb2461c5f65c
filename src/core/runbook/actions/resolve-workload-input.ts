import type { EvidenceItem } from "../../plan/remediation-plan.js";
import { type ActionContext, type ActionResult, fail, need } from "./action.js";
import { findIngressBackend } from "./find-ingress-backend.js";

/** The workload a scaling step acts on: `with.workload` (+ `with.kind`), or the backend of `with.ingress`. */
export function resolveWorkloadInput(
  ctx: ActionContext,
):
  | { ok: true; namespace: string; kind?: string; name: string; evidence: EvidenceItem[] }
  | { ok: false; result: ActionResult } {
  const namespace = need(ctx, "namespace");
  if (typeof namespace !== "string") return { ok: false, result: namespace };
  const workload = ctx.input["workload"];
  if (workload) {
    const kind = ctx.input["kind"] || ctx.facts.workload?.kind || undefined;
    return { ok: true, namespace, ...(kind ? { kind } : {}), name: workload, evidence: [] };
  }
  const ingress = ctx.input["ingress"];
  if (!ingress) {
    return {
      ok: false,
      result: fail("invalid", `step "${ctx.step.id}": give with.workload or with.ingress`),
    };
  }
  const backend = findIngressBackend(ctx.files, namespace, ingress);
  if (!backend.ok) return { ok: false, result: fail("not-found", backend.reason) };
  return {
    ok: true,
    namespace,
    kind: backend.kind,
    name: backend.name,
    evidence: [{ source: "repository", label: "backend", detail: backend.via }],
  };
}
