import type { PatchResult } from "./types.js";
import { applyYamlOps } from "./yaml-text/apply-yaml-ops.js";
import { selectKustomization } from "./yaml-text/select-kustomization.js";

/** Sets `count` of the `replicas:` entry named `name` in a kustomization.yaml, adding it when missing. */
export function setKustomizeReplicas(
  text: string,
  replicas: { name: string; count: number },
  file = "<input>",
): PatchResult {
  if (!Number.isInteger(replicas.count) || replicas.count < 0) {
    return { ok: false, reason: `${file}: count must be a whole number ≥ 0, got ${replicas.count}` };
  }
  const k = selectKustomization(text, file);
  if (!k.ok) return k;
  const list = k.value["replicas"];
  if (list !== undefined && list !== null && !Array.isArray(list)) {
    return { ok: false, reason: `${file}: replicas is not a list` };
  }
  const matches = ((list ?? []) as Record<string, unknown>[]).flatMap((e, i) =>
    e && typeof e === "object" && e["name"] === replicas.name ? [i] : [],
  );
  if (matches.length > 1) {
    return { ok: false, reason: `${file}: replicas has ${matches.length} entries named ${replicas.name}` };
  }
  const index = matches[0];
  if (index === undefined) {
    const item = { name: replicas.name, count: replicas.count };
    return applyYamlOps(text, file, 0, [{ op: "append", path: ["replicas"], item }]);
  }
  return applyYamlOps(text, file, 0, [
    { op: "set", path: ["replicas", index, "count"], value: replicas.count },
  ]);
}
