import { type ActionContext, type ActionResult, fail } from "./action.js";

/**
 * The new replica count: `with.to`, or the current count times `with.factor` (default 1.5, at least +1),
 * capped at `limits.maxReplicas`. Already at the limit ⇒ a limit failure naming it.
 */
export function scaledCount(
  ctx: ActionContext,
  current: number,
  what: string,
): { ok: true; value: number; note?: string } | { ok: false; result: ActionResult } {
  const max = ctx.runbook.limits.maxReplicas;
  let wanted: number;
  const to = ctx.input["to"];
  if (to) {
    if (!/^\d{1,5}$/.test(to))
      return { ok: false, result: fail("invalid", `step "${ctx.step.id}": with.to must be a whole number`) };
    wanted = Number(to);
  } else {
    const factor = Number(ctx.input["factor"] ?? "1.5");
    if (!Number.isFinite(factor) || factor <= 1 || factor > 10) {
      return {
        ok: false,
        result: fail("invalid", `step "${ctx.step.id}": with.factor must be a number in (1, 10]`),
      };
    }
    wanted = Math.max(current + 1, Math.ceil(current * factor));
  }
  if (max !== undefined && current >= max) {
    return {
      ok: false,
      result: fail(
        "limit",
        `${what} is ${current}, already at limits.maxReplicas ${max} of runbook ${ctx.runbook.id}; not scaling further`,
      ),
    };
  }
  if (max !== undefined && wanted > max) {
    return { ok: true, value: max, note: `capped from ${wanted} by limits.maxReplicas ${max}` };
  }
  return { ok: true, value: wanted };
}
