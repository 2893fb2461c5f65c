import { type LocateTarget, locateWorkload } from "../../manifest/locate-workload.js";
import type { WorkloadLocation } from "../../manifest/types.js";
import { type ActionContext, type ActionResult, fail } from "./action.js";

/**
 * Finds where the workload is declared, from `.github/medic.yml` mappings first, then by scanning the
 * repository. Not found and ambiguous are failures that list what was found.
 */
export function locateTarget(
  ctx: ActionContext,
  target: LocateTarget,
): { ok: true; location: WorkloadLocation } | { ok: false; result: ActionResult } {
  const res = locateWorkload(ctx.files.files(), target, ctx.config.workloads.mappings);
  if (res.ok) return { ok: true, location: res.location };
  const what = `${target.kind ?? "workload"} ${target.namespace ? `${target.namespace}/` : ""}${target.name}`;
  if (res.candidates.length > 1) {
    return {
      ok: false,
      result: fail(
        "ambiguous",
        `${what} is declared in more than one place (${res.candidates.join(", ")}); add a workloads.mappings entry in .github/medic.yml`,
        res.candidates,
      ),
    };
  }
  return { ok: false, result: fail("not-found", `${what}: ${res.reason}`, res.candidates) };
}
