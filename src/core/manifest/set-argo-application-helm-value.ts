import { parseDottedKey } from "./parse-dotted-key.js";
import { getPath } from "./read-helm-value.js";
import type { PatchResult, ReadResult, ResourceRef, ScalarValue } from "./types.js";
import { applyYamlOps, type YamlPath } from "./yaml-text/apply-yaml-ops.js";
import { selectDocument } from "./yaml-text/select-document.js";

/** Where an Application keeps a Helm value. */
type HelmTarget =
  | { mode: "parameter"; path: YamlPath; index: number }
  | { mode: "append-parameter"; path: YamlPath }
  | { mode: "valuesObject"; path: YamlPath };

/**
 * Sets a Helm value of an Argo CD Application, where the Application takes it from. Argo CD merges, in
 * increasing precedence, `valueFiles` < `values` < `valuesObject` < `parameters`, so:
 * 1. a `parameters` entry with this name is updated (it would override anything else);
 * 2. otherwise `valuesObject` gets the key (created when missing);
 * 3. an Application that lists `parameters` but has no `valuesObject` gets a new parameter;
 * an Application with an inline `values` string is refused (an embedded YAML string cannot be edited
 * in place without reformatting it; move it to `valuesObject`).
 * With `spec.sources`, the one source that has `helm` (or a `chart`) is used; several is ambiguous.
 */
export function setArgoApplicationHelmValue(
  text: string,
  ref: ResourceRef,
  dottedKey: string,
  value: ScalarValue,
  file = "<input>",
): PatchResult {
  const key = parseDottedKey(dottedKey);
  if (!key.ok) return { ok: false, reason: `${file}: ${key.reason}` };
  const sel = selectDocument(text, { ...ref, kind: "Application" }, file);
  if (!sel.ok) return sel;
  const target = findHelmTarget(sel.selected.object, dottedKey, file);
  if (!target.ok) return target;
  const base = [...sel.selected.basePath, ...target.value.path];
  const t = target.value;
  if (t.mode === "parameter") {
    // Parameters are strings; Argo CD passes them to `helm --set` (or `--set-string` with forceString).
    return applyYamlOps(text, file, sel.selected, [
      { op: "set", path: [...base, "parameters", t.index, "value"], value: String(value), quoted: true },
    ]);
  }
  if (t.mode === "append-parameter") {
    return applyYamlOps(text, file, sel.selected, [
      { op: "append", path: [...base, "parameters"], item: { name: dottedKey, value: String(value) } },
    ]);
  }
  return applyYamlOps(text, file, sel.selected, [
    { op: "set", path: [...base, "valuesObject", ...key.path], value },
  ]);
}

/** The effective inline Helm value of an Application (parameters first, then valuesObject). */
export function readArgoApplicationHelmValue(
  text: string,
  ref: ResourceRef,
  dottedKey: string,
  file = "<input>",
): ReadResult<{ found: boolean; value: unknown; from?: "parameters" | "valuesObject" }> {
  const key = parseDottedKey(dottedKey);
  if (!key.ok) return { ok: false, reason: `${file}: ${key.reason}` };
  const sel = selectDocument(text, { ...ref, kind: "Application" }, file);
  if (!sel.ok) return sel;
  const source = findHelmSource(sel.selected.object, file);
  if (!source.ok) return source;
  const helm = (source.value.source["helm"] ?? {}) as Record<string, unknown>;
  const params = Array.isArray(helm["parameters"]) ? (helm["parameters"] as Record<string, unknown>[]) : [];
  const p = params.find((e) => e?.["name"] === dottedKey);
  if (p) return { ok: true, value: { found: true, value: p["value"], from: "parameters" } };
  const v = getPath(helm["valuesObject"], key.path);
  return { ok: true, value: v.found ? { ...v, from: "valuesObject" } : v };
}

function findHelmTarget(
  app: Record<string, unknown>,
  dottedKey: string,
  file: string,
): ReadResult<HelmTarget> {
  const source = findHelmSource(app, file);
  if (!source.ok) return source;
  const helmPath = [...source.value.path, "helm"];
  const helm = source.value.source["helm"] as Record<string, unknown> | undefined;
  const params =
    helm && Array.isArray(helm["parameters"]) ? (helm["parameters"] as Record<string, unknown>[]) : [];
  const index = params.findIndex((e) => e?.["name"] === dottedKey);
  if (index !== -1) return { ok: true, value: { mode: "parameter", path: helmPath, index } };
  if (helm && typeof helm["values"] === "string" && helm["values"].trim() !== "") {
    return {
      ok: false,
      reason: `${file}: Application ${String((app["metadata"] as Record<string, unknown>)["name"])} keeps its Helm values in the \`values\` string; move them to \`valuesObject\` so ${dottedKey} can be changed`,
    };
  }
  if (helm && params.length > 0 && helm["valuesObject"] === undefined) {
    return { ok: true, value: { mode: "append-parameter", path: helmPath } };
  }
  return { ok: true, value: { mode: "valuesObject", path: helmPath } };
}

function findHelmSource(
  app: Record<string, unknown>,
  file: string,
): ReadResult<{ source: Record<string, unknown>; path: YamlPath }> {
  if (app["apiVersion"] !== undefined && !String(app["apiVersion"]).startsWith("argoproj.io/")) {
    return {
      ok: false,
      reason: `${file}: Application is not an Argo CD Application (apiVersion ${String(app["apiVersion"])})`,
    };
  }
  const spec = (app["spec"] ?? {}) as Record<string, unknown>;
  const isObj = (x: unknown): x is Record<string, unknown> =>
    typeof x === "object" && x !== null && !Array.isArray(x);
  if (isObj(spec["source"])) {
    const s = spec["source"];
    if (!isObj(s["helm"]) && typeof s["chart"] !== "string") {
      return { ok: false, reason: `${file}: spec.source is not a Helm source (no chart, no helm)` };
    }
    return { ok: true, value: { source: s, path: ["spec", "source"] } };
  }
  if (Array.isArray(spec["sources"])) {
    const helmSources = spec["sources"].flatMap((s, i) =>
      isObj(s) && (isObj(s["helm"]) || typeof s["chart"] === "string")
        ? [{ source: s, path: ["spec", "sources", i] }]
        : [],
    );
    if (helmSources.length === 1)
      return { ok: true, value: helmSources[0] as { source: Record<string, unknown>; path: YamlPath } };
    if (helmSources.length > 1) {
      const names = helmSources.map(
        (h) =>
          `sources[${h.path[2]}] (${String(h.source["chart"] ?? h.source["path"] ?? h.source["repoURL"])})`,
      );
      return { ok: false, reason: `${file}: several Helm sources: ${names.join(", ")}` };
    }
  }
  return { ok: false, reason: `${file}: the Application has no Helm source` };
}
