import { addTfJsonResource } from "../../manifest/add-tf-json-resource.js";
import { readTfvarsNumber } from "../../manifest/read-tfvars-number.js";
import { setHclTfvarsNumber } from "../../manifest/set-hcl-tfvars-number.js";
import { setTfvarsJsonNumber } from "../../manifest/set-tfvars-json-number.js";
import { checkRepoPath } from "../validate-parameter.js";
import { type ActionContext, type ActionResult, done, fail, need } from "./action.js";

const INSTANCE = "openstack_compute_instance_v2";

/**
 * Adds OpenStack worker VMs in Terraform under `with.path`, within `limits.maxWorkers`: raises the worker
 * count variable (`*.auto.tfvars.json`, else an HCL `*.tfvars`), or — when workers are separate
 * resources without a count — adds one more `openstack_compute_instance_v2` to the `*.tf.json` file.
 */
export function addWorker(ctx: ActionContext): ActionResult {
  const dirInput = need(ctx, "path");
  if (typeof dirInput !== "string") return dirInput;
  const dir = checkRepoPath(dirInput);
  if (!dir.ok) return fail("invalid", `step "${ctx.step.id}": with.path: ${dir.reason}`);
  const variable = ctx.input["variable"] ?? "worker_count";
  const add = Number(ctx.input["add"] ?? "1");
  if (!Number.isInteger(add) || add < 1 || add > 10)
    return fail("invalid", `step "${ctx.step.id}": with.add must be 1–10`);
  const under = ctx.files
    .paths()
    .filter((p) => p.startsWith(`${dir.value}/`) && !p.slice(dir.value.length + 1).includes("/"));
  if (under.length === 0) return fail("not-found", `no files in ${dir.value}/`);
  const max = ctx.runbook.limits.maxWorkers;

  const jsonVars = under.filter((p) => p.endsWith(".auto.tfvars.json") || p.endsWith(".tfvars.json")).sort();
  const hclVars = under.filter((p) => p.endsWith(".tfvars")).sort();
  for (const [paths, format] of [
    [jsonVars, "json"],
    [hclVars, "hcl"],
  ] as const) {
    for (const path of paths) {
      const text = ctx.files.read(path)!;
      const cur = readTfvarsNumber(text, variable, format, path);
      if (!cur.ok) continue;
      const next = cur.value + add;
      const bounded = bound(ctx, cur.value, next, max, path);
      if (!bounded.ok) return bounded.result;
      const patched =
        format === "json"
          ? setTfvarsJsonNumber(text, variable, next, path)
          : setHclTfvarsNumber(text, variable, next, path);
      if (!patched.ok) return fail("refused", patched.reason);
      const summary = `${variable} ${cur.value} → ${next} in ${path}`;
      ctx.files.write(path, patched.text, ctx.step.id, summary);
      return done({
        evidence: [
          {
            source: "repository",
            label: "workers",
            detail: `${summary}${max !== undefined ? ` (limits.maxWorkers ${max})` : ""}; applied by the team's Terraform automation after merge`,
          },
        ],
        undo: [
          `set ${variable} back to ${cur.value} in ${path} after draining the extra worker (Terraform destroys the highest-numbered VM)`,
        ],
      });
    }
  }

  // No count variable: workers are individual resources in a *.tf.json file.
  for (const path of under.filter((p) => p.endsWith(".tf.json")).sort()) {
    const text = ctx.files.read(path)!;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      continue;
    }
    const instances = (doc as { resource?: Record<string, Record<string, Record<string, unknown>>> })
      .resource?.[INSTANCE];
    if (!instances || Object.keys(instances).length === 0) continue;
    const names = Object.keys(instances);
    if (names.some((n) => "count" in (instances[n] ?? {}) || "for_each" in (instances[n] ?? {}))) {
      return fail(
        "not-found",
        `${path}: ${INSTANCE} uses count/for_each but no *.tfvars in ${dir.value}/ sets ${variable}; set with.variable`,
      );
    }
    const bounded = bound(ctx, names.length, names.length + add, max, path);
    if (!bounded.ok) return bounded.result;
    const last = names[names.length - 1]!;
    let text2 = text;
    const added: string[] = [];
    for (let i = 0; i < add; i++) {
      const name = nextName(last, [...names, ...added]);
      const body = structuredClone(instances[last]!) as Record<string, unknown>;
      if (typeof body["name"] === "string") body["name"] = nextName(body["name"], []);
      const patched = addTfJsonResource(text2, INSTANCE, name, body, path);
      if (!patched.ok) return fail("refused", patched.reason);
      text2 = patched.text;
      added.push(name);
    }
    const summary = `new ${INSTANCE} ${added.join(", ")} (copy of ${last}) in ${path}`;
    ctx.files.write(path, text2, ctx.step.id, summary);
    return done({
      evidence: [
        { source: "repository", label: "workers", detail: `${names.length} worker resource(s); ${summary}` },
      ],
      undo: [`remove ${added.join(", ")} from ${path} after draining the node(s)`],
    });
  }
  return fail(
    "not-found",
    `no ${variable} in a *.tfvars(.json) file and no ${INSTANCE} resources in a *.tf.json file under ${dir.value}/`,
  );
}

function bound(
  ctx: ActionContext,
  current: number,
  next: number,
  max: number | undefined,
  path: string,
): { ok: true } | { ok: false; result: ActionResult } {
  if (max !== undefined && next > max) {
    return {
      ok: false,
      result: fail(
        "limit",
        `${path}: ${current} worker(s) + ${next - current} would exceed limits.maxWorkers ${max} of runbook ${ctx.runbook.id}`,
      ),
    };
  }
  return { ok: true };
}

/** `worker-3` ⇒ `worker-4`; a name without a number gets `-2`. */
function nextName(name: string, taken: string[]): string {
  const m = /^(.*?)(\d+)$/.exec(name);
  let candidate = m ? `${m[1]}${Number(m[2]) + 1}` : `${name}-2`;
  while (taken.includes(candidate)) {
    const k = /^(.*?)(\d+)$/.exec(candidate)!;
    candidate = `${k[1]}${Number(k[2]) + 1}`;
  }
  return candidate;
}
