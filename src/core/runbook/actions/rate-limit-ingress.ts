import { setIngressAnnotations } from "../../manifest/set-ingress-annotations.js";
import { type ActionContext, type ActionResult, done, fail, need } from "./action.js";
import { findOne, get, refOf } from "./find-in-repo.js";

const PREFIX = "nginx.ingress.kubernetes.io/";

/**
 * Adds ingress-nginx rate limits to an Ingress: requests per second and concurrent connections per client
 * IP, with a burst multiplier. An existing stricter limit is kept — the action never loosens one. Refused
 * for an Ingress served by another controller, whose annotations these are not.
 */
export function rateLimitIngress(ctx: ActionContext): ActionResult {
  const namespace = need(ctx, "namespace");
  if (typeof namespace !== "string") return namespace;
  const ingress = need(ctx, "ingress");
  if (typeof ingress !== "string") return ingress;
  const wanted: Record<string, number> = {};
  for (const [key, input, dflt] of [
    ["limit-rps", "rps", 20],
    ["limit-connections", "connections", 20],
    ["limit-burst-multiplier", "burstMultiplier", 5],
  ] as const) {
    const raw = ctx.input[input];
    const n = raw === undefined ? dflt : Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) {
      return fail("invalid", `step "${ctx.step.id}": with.${input} must be a whole number ≥ 1`);
    }
    wanted[key] = n;
  }
  const found = findOne(ctx.files, "Ingress", namespace, ingress);
  if (!found.ok) {
    return found.candidates.length > 1
      ? fail("ambiguous", `Ingress ${namespace}/${ingress} is declared more than once`, found.candidates)
      : fail("not-found", `Ingress ${namespace}/${ingress} is not declared in the repository`);
  }
  const cls = String(
    get(found.object, "spec", "ingressClassName") ??
      get(found.object, "metadata", "annotations", "kubernetes.io/ingress.class") ??
      "",
  );
  if (cls && !/nginx/.test(cls)) {
    return fail(
      "refused",
      `Ingress ${namespace}/${ingress} uses ingress class "${cls}"; these are ingress-nginx annotations`,
    );
  }
  const existing = (get(found.object, "metadata", "annotations") ?? {}) as Record<string, unknown>;
  const set: Record<string, string> = {};
  const kept: string[] = [];
  for (const [key, n] of Object.entries(wanted)) {
    const cur = Number(existing[PREFIX + key]);
    // A burst multiplier is a ceiling too: a lower existing one is stricter.
    if (Number.isFinite(cur) && cur > 0 && cur <= n) kept.push(`${key}=${cur}`);
    else set[PREFIX + key] = String(n);
  }
  if (Object.keys(set).length === 0) {
    return fail(
      "nothing-to-do",
      `Ingress ${namespace}/${ingress} already has limits at least as strict (${kept.join(", ")})`,
    );
  }
  const path = found.found.path;
  const patched = setIngressAnnotations(ctx.files.read(path)!, refOf(found.found), set, path);
  if (!patched.ok) return fail("refused", patched.reason);
  if (!patched.changed) return fail("nothing-to-do", `${path} already has these annotations`);
  const summary = `rate limits on Ingress ${namespace}/${ingress}: ${Object.entries(set)
    .map(([k, v]) => `${k.slice(PREFIX.length)}=${v}`)
    .join(", ")}${kept.length ? ` (kept stricter ${kept.join(", ")})` : ""}`;
  ctx.files.write(path, patched.text, ctx.step.id, summary);
  return done({
    target: `Ingress ${namespace}/${ingress}`,
    evidence: [{ source: "repository", label: "rate limit", detail: `${path}: ${summary}` }],
    undo: [
      `remove the ${Object.keys(set).join(", ")} annotations from Ingress ${namespace}/${ingress} once traffic is normal`,
    ],
  });
}
