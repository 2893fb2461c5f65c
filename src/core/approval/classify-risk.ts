import { parseYaml } from "../yaml/parse-yaml.js";
import { findTerraformBlocks, type TerraformBlock } from "./find-terraform-blocks.js";
import { CODEOWNERS_PATHS, compilePattern } from "./parse-codeowners.js";
import { parseQuantity } from "./parse-quantity.js";

export type Risk = "safe" | "destructive";

/** One file of a pull request's diff, with its text on both sides. */
export interface FileChange {
  /** POSIX path relative to the repository root (the new path for a rename). */
  path: string;
  /** The old path of a renamed file. */
  previousPath?: string;
  /** As GitHub's "list pull request files" reports it (`copied` counts as added, `changed` as modified). */
  status: "added" | "modified" | "removed" | "renamed" | "copied" | "changed" | "unchanged";
  /** Text at the base revision; `null` when the file did not exist or could not be read. */
  before: string | null;
  /** Text at the head revision; `null` when the file was removed or could not be read. */
  after: string | null;
}

/** An imperative step a RemediationPlan will run outside Git (e.g. `drain` of a node). */
export interface PlannedStep {
  /** What it does: `drain`, `cordon`, `delete-pod`, `restart`… */
  kind: string;
  /** What it acts on, for messages: `node/worker-3`. */
  target?: string;
}

export type RiskReasonCode =
  | "file-deleted"
  | "file-renamed"
  | "resource-deleted"
  | "namespace-deleted"
  | "crd-deleted"
  | "replicas-to-zero"
  | "replicas-drop"
  | "volume-shrink"
  | "volume-removed"
  | "rbac-wildcard"
  | "rbac-widened"
  | "rbac-cluster-binding"
  | "rbac-cluster-admin"
  | "terraform-resource-removed"
  | "terraform-count-drop"
  | "terraform-prevent-destroy-dropped"
  | "imperative-step"
  | "guardrail"
  | "unclassified";

/** Why a change is destructive: always with the file (when there is one) and a sentence for people. */
export interface RiskReason {
  code: RiskReasonCode;
  /** The file that carries the change; absent for imperative steps. */
  path?: string;
  message: string;
}

export interface RiskVerdict {
  risk: Risk;
  /** Every destructive finding; empty when safe. */
  reasons: RiskReason[];
  /** Files whose change is destructive (both paths of a rename) — the paths whose owners must approve. */
  destructivePaths: string[];
}

export interface ClassifyRiskOptions {
  /** Relative replica drop (0–1) above which a scale-down is destructive (a drop to 0 always is). */
  replicaDropThreshold: number;
  /** Extra gitignore-style patterns of files that guard the bot itself. */
  guardrailPaths?: readonly string[];
}

/** Files that configure the bot's own guardrails: changing them changes what the gate enforces. */
export const GUARDRAIL_PATTERNS = [
  "/.github/medic.yml",
  "/.github/medic.yaml",
  "/.github/medic/",
  "/runbooks/",
  "/policies/",
  ...CODEOWNERS_PATHS.map((p) => `/${p}`),
] as const;

/** Text files that cannot change what runs (documentation). Anything else unknown is unclassifiable. */
const INERT_FILE = /\.(md|markdown|txt|adoc|rst)$|(^|\/)(LICENSE|NOTICE|AUTHORS|OWNERS)$/;
const YAML_FILE = /\.(ya?ml|json)$/;
const TERRAFORM_FILE = /\.tf$/;

/**
 * Classifies a pull request's actual diff (not only what the runbook claims) plus the imperative steps a
 * plan will run. Fail closed: a file or document it cannot read or understand is destructive.
 */
export function classifyRisk(
  changes: readonly FileChange[],
  steps: readonly PlannedStep[],
  options: ClassifyRiskOptions,
): RiskVerdict {
  const reasons: RiskReason[] = [];
  const guard = [...GUARDRAIL_PATTERNS, ...(options.guardrailPaths ?? [])].map((p) => compilePattern(p));
  for (const change of changes) {
    for (const path of [change.path, change.previousPath].filter((p): p is string => !!p)) {
      if (guard.some((re) => re.test(path))) {
        reasons.push({
          code: "guardrail",
          path,
          message: `${path} configures gitops-medic's own guardrails`,
        });
      }
    }
    reasons.push(...classifyFile(change, options));
  }
  for (const step of steps) {
    reasons.push({
      code: "imperative-step",
      message: `imperative step \`${step.kind}\`${step.target ? ` on ${step.target}` : ""} runs outside Git`,
    });
  }
  const destructivePaths = new Set<string>();
  for (const r of reasons) if (r.path) destructivePaths.add(r.path);
  for (const c of changes) {
    if (c.previousPath && destructivePaths.has(c.path)) destructivePaths.add(c.previousPath);
  }
  return {
    risk: reasons.length > 0 ? "destructive" : "safe",
    reasons,
    destructivePaths: [...destructivePaths].sort(),
  };
}

function classifyFile(change: FileChange, options: ClassifyRiskOptions): RiskReason[] {
  const { path } = change;
  const out: RiskReason[] = [];
  const status =
    change.status === "copied" ? "added" : change.status === "changed" ? "modified" : change.status;
  if (status === "unchanged") return out;
  if (status === "removed") {
    out.push({ code: "file-deleted", path, message: `${path} is deleted` });
  }
  if (status === "renamed") {
    out.push({
      code: "file-renamed",
      path,
      message: `${change.previousPath ?? "a file"} is moved to ${path}: tools that sync by path prune the old one`,
    });
  }
  if (INERT_FILE.test(path) && (!change.previousPath || INERT_FILE.test(change.previousPath))) return out;
  const before = status === "added" ? "" : change.before;
  const after = status === "removed" ? "" : change.after;
  if (before === null || after === null) {
    out.push({
      code: "unclassified",
      path,
      message: `${path}: its content could not be read, so its risk is unknown`,
    });
    return out;
  }
  if (YAML_FILE.test(path)) out.push(...classifyManifests(path, before, after, options));
  else if (TERRAFORM_FILE.test(path)) out.push(...classifyTerraform(path, before, after));
  else
    out.push({
      code: "unclassified",
      path,
      message: `${path}: medic cannot tell what a change to this kind of file does`,
    });
  return out;
}

// ---------------------------------------------------------------- Kubernetes manifests

interface Resource {
  key: string;
  kind: string;
  label: string;
  obj: Record<string, unknown>;
}

type ReadResult =
  | { ok: true; resources: Map<string, Resource>; kustomize: string[] | null }
  | { ok: false; message: string };

const REPLICA_KINDS = new Set([
  "Deployment",
  "StatefulSet",
  "ReplicaSet",
  "ReplicationController",
  "Rollout",
]);

function classifyManifests(
  path: string,
  beforeText: string,
  afterText: string,
  options: ClassifyRiskOptions,
): RiskReason[] {
  const before = readManifests(beforeText, path);
  const after = readManifests(afterText, path);
  const bad = [before, after].find((r) => !r.ok);
  if (bad && !bad.ok) return [{ code: "unclassified", path, message: `${path}: ${bad.message}` }];
  if (!before.ok || !after.ok) return [];
  const out: RiskReason[] = [];
  if (before.kustomize || after.kustomize) {
    const kept = new Set(after.kustomize ?? []);
    for (const entry of before.kustomize ?? []) {
      if (!kept.has(entry)) {
        out.push({
          code: "resource-deleted",
          path,
          message: `${path} no longer includes \`${entry}\`: its resources are pruned`,
        });
      }
    }
  }
  for (const [key, res] of before.resources) {
    const next = after.resources.get(key);
    if (!next) {
      out.push(deletedReason(path, res));
      continue;
    }
    out.push(...compareResource(path, res, next, options));
  }
  for (const [key, res] of after.resources) {
    if (!before.resources.has(key)) out.push(...compareResource(path, null, res, options));
  }
  return out;
}

function readManifests(text: string, path: string): ReadResult {
  const resources = new Map<string, Resource>();
  if (text.trim() === "") return { ok: true, resources, kustomize: null };
  const parsed = parseYaml(text, path);
  if (!parsed.ok) return { ok: false, message: `not readable YAML (${parsed.error.message})` };
  let kustomize: string[] | null = null;
  const isKustomizationFile = /(^|\/)kustomization\.ya?ml$/.test(path);
  const queue: unknown[] = parsed.documents.map((d) => d.value);
  while (queue.length > 0) {
    const value = queue.shift();
    if (value === null || value === undefined) continue;
    if (!isRecord(value))
      return { ok: false, message: "a document is not a mapping, so not a Kubernetes resource" };
    const kind = value["kind"];
    if (kind === "Kustomization" || (isKustomizationFile && kind === undefined)) {
      kustomize = ["resources", "bases", "components"].flatMap((f) =>
        Array.isArray(value[f]) ? (value[f] as unknown[]).map(String) : [],
      );
      continue;
    }
    if (kind === "List" && Array.isArray(value["items"])) {
      queue.push(...(value["items"] as unknown[]));
      continue;
    }
    const apiVersion = value["apiVersion"];
    const meta = value["metadata"];
    if (typeof kind !== "string" || typeof apiVersion !== "string" || !isRecord(meta)) {
      return {
        ok: false,
        message: "a document is not a Kubernetes resource (no apiVersion, kind and metadata)",
      };
    }
    const name = meta["name"];
    if (typeof name !== "string" || name === "") {
      return { ok: false, message: `a ${kind} has no metadata.name, so changes to it cannot be followed` };
    }
    const ns = typeof meta["namespace"] === "string" ? (meta["namespace"] as string) : "";
    const group = apiVersion.includes("/") ? apiVersion.split("/")[0]! : "";
    const key = `${group}/${kind}/${ns}/${name}`;
    if (resources.has(key)) return { ok: false, message: `${kind} ${name} is declared twice` };
    resources.set(key, { key, kind, label: `${kind} ${ns ? `${ns}/` : ""}${name}`, obj: value });
  }
  return { ok: true, resources, kustomize };
}

function deletedReason(path: string, res: Resource): RiskReason {
  if (res.kind === "Namespace")
    return { code: "namespace-deleted", path, message: `${res.label} is removed (and everything in it)` };
  if (res.kind === "CustomResourceDefinition") {
    return { code: "crd-deleted", path, message: `${res.label} is removed (and every object of that type)` };
  }
  if (res.kind === "PersistentVolumeClaim" || res.kind === "PersistentVolume") {
    return { code: "volume-removed", path, message: `${res.label} is removed (its data may be lost)` };
  }
  return { code: "resource-deleted", path, message: `${res.label} is removed` };
}

function compareResource(
  path: string,
  before: Resource | null,
  after: Resource,
  options: ClassifyRiskOptions,
): RiskReason[] {
  const out: RiskReason[] = [];
  const label = after.label;
  if (before && REPLICA_KINDS.has(after.kind)) {
    out.push(
      ...compareReplicas(
        path,
        label,
        "spec.replicas",
        replicasOf(before.obj, "replicas"),
        replicasOf(after.obj, "replicas"),
        options,
      ),
    );
  }
  if (before && after.kind === "HorizontalPodAutoscaler") {
    out.push(
      ...compareReplicas(
        path,
        label,
        "spec.maxReplicas",
        replicasOf(before.obj, "maxReplicas"),
        replicasOf(after.obj, "maxReplicas"),
        options,
      ),
    );
  }
  if (before && after.kind === "PersistentVolumeClaim") {
    out.push(
      ...compareSize(
        path,
        label,
        get(before.obj, ["spec", "resources", "requests", "storage"]),
        get(after.obj, ["spec", "resources", "requests", "storage"]),
      ),
    );
  }
  if (before && after.kind === "PersistentVolume") {
    out.push(
      ...compareSize(
        path,
        label,
        get(before.obj, ["spec", "capacity", "storage"]),
        get(after.obj, ["spec", "capacity", "storage"]),
      ),
    );
  }
  if (before && after.kind === "StatefulSet")
    out.push(...compareClaimTemplates(path, label, before.obj, after.obj));
  if (after.kind === "Role" || after.kind === "ClusterRole")
    out.push(...compareRules(path, label, before?.obj ?? null, after.obj));
  if (after.kind === "RoleBinding" || after.kind === "ClusterRoleBinding")
    out.push(...compareBinding(path, label, after.kind, before?.obj ?? null, after.obj));
  return out;
}

/** `spec.replicas` absent means Kubernetes' default of 1. */
function replicasOf(obj: Record<string, unknown>, field: string): number | null | undefined {
  const v = get(obj, ["spec", field]);
  if (v === undefined) return field === "replicas" ? 1 : undefined;
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : null;
}

function compareReplicas(
  path: string,
  label: string,
  field: string,
  before: number | null | undefined,
  after: number | null | undefined,
  options: ClassifyRiskOptions,
): RiskReason[] {
  if (before === after) return [];
  if (before === null || after === null || before === undefined || after === undefined) {
    if (before === undefined && after !== null) return [];
    return [
      {
        code: "unclassified",
        path,
        message: `${label}: ${field} is not a plain number, so the change cannot be judged`,
      },
    ];
  }
  if (after === 0 && before > 0)
    return [{ code: "replicas-to-zero", path, message: `${label}: ${field} goes from ${before} to 0` }];
  if (after < before && (before - after) / before > options.replicaDropThreshold) {
    const pct = Math.round(((before - after) / before) * 100);
    return [
      {
        code: "replicas-drop",
        path,
        message: `${label}: ${field} drops from ${before} to ${after} (${pct}%, above the ${Math.round(options.replicaDropThreshold * 100)}% threshold)`,
      },
    ];
  }
  return [];
}

function compareSize(path: string, label: string, before: unknown, after: unknown): RiskReason[] {
  if (before === after) return [];
  const b = parseQuantity(before);
  const a = parseQuantity(after);
  if (before !== undefined && after === undefined) {
    return [
      { code: "volume-shrink", path, message: `${label}: its storage size (${String(before)}) is removed` },
    ];
  }
  if (before === undefined) return [];
  if (a === null || b === null)
    return [
      { code: "unclassified", path, message: `${label}: storage size ${String(after)} is not a quantity` },
    ];
  if (a < b)
    return [
      {
        code: "volume-shrink",
        path,
        message: `${label}: storage shrinks from ${String(before)} to ${String(after)}`,
      },
    ];
  return [];
}

function compareClaimTemplates(
  path: string,
  label: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): RiskReason[] {
  const list = (o: Record<string, unknown>) => {
    const v = get(o, ["spec", "volumeClaimTemplates"]);
    const m = new Map<string, unknown>();
    if (Array.isArray(v)) for (const t of v) if (isRecord(t)) m.set(String(get(t, ["metadata", "name"])), t);
    return m;
  };
  const b = list(before);
  const a = list(after);
  const out: RiskReason[] = [];
  for (const [name, tpl] of b) {
    const next = a.get(name);
    if (!next) {
      out.push({
        code: "volume-removed",
        path,
        message: `${label}: volume claim template ${name} is removed`,
      });
      continue;
    }
    const sb = get(tpl, ["spec", "resources", "requests", "storage"]);
    const sa = get(next, ["spec", "resources", "requests", "storage"]);
    out.push(...compareSize(path, `${label} volume claim template ${name}`, sb, sa));
  }
  return out;
}

/** Grants as `group|resource|verb` triples (and `url|verb` for non-resource URLs). */
function grants(obj: Record<string, unknown> | null): { set: Set<string>; wildcards: Set<string> } {
  const set = new Set<string>();
  const wildcards = new Set<string>();
  const rules = obj ? get(obj, ["rules"]) : undefined;
  if (!Array.isArray(rules)) return { set, wildcards };
  for (const rule of rules) {
    if (!isRecord(rule)) continue;
    const arr = (f: string) => (Array.isArray(rule[f]) ? (rule[f] as unknown[]).map(String) : []);
    const groups = arr("apiGroups");
    const resources = arr("resources");
    const verbs = arr("verbs");
    for (const f of ["apiGroups", "resources", "verbs", "nonResourceURLs"]) {
      for (const v of arr(f)) if (v.includes("*")) wildcards.add(`${f}: ${v}`);
    }
    for (const g of groups.length ? groups : [""])
      for (const r of resources) for (const v of verbs) set.add(`${g}|${r}|${v}`);
    for (const u of arr("nonResourceURLs")) for (const v of verbs) set.add(`url:${u}|${v}`);
  }
  return { set, wildcards };
}

function compareRules(
  path: string,
  label: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
): RiskReason[] {
  const out: RiskReason[] = [];
  const b = grants(before);
  const a = grants(after);
  const newWild = [...a.wildcards].filter((w) => !b.wildcards.has(w));
  if (newWild.length)
    out.push({
      code: "rbac-wildcard",
      path,
      message: `${label} gains wildcard grants (${newWild.join(", ")})`,
    });
  if (before) {
    const added = [...a.set].filter((g) => !b.set.has(g));
    if (added.length && !newWild.length) {
      const shown = added
        .slice(0, 5)
        .map((g) => g.replace(/\|/g, " "))
        .join(", ");
      out.push({
        code: "rbac-widened",
        path,
        message: `${label} grants more: ${shown}${added.length > 5 ? ", …" : ""}`,
      });
    }
  }
  if (
    get(after, ["aggregationRule"]) !== undefined &&
    (before === null || get(before, ["aggregationRule"]) === undefined)
  ) {
    out.push({
      code: "rbac-widened",
      path,
      message: `${label} becomes an aggregated role (it inherits other roles' grants)`,
    });
  }
  return out;
}

const ADMIN_ROLES = new Set(["cluster-admin", "admin"]);

function compareBinding(
  path: string,
  label: string,
  kind: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
): RiskReason[] {
  const out: RiskReason[] = [];
  const roleA = String(get(after, ["roleRef", "name"]) ?? "");
  const roleB = before ? String(get(before, ["roleRef", "name"]) ?? "") : null;
  if (ADMIN_ROLES.has(roleA) && roleA !== roleB) {
    out.push({ code: "rbac-cluster-admin", path, message: `${label} binds the ${roleA} role` });
  }
  if (kind !== "ClusterRoleBinding") return out;
  if (!before) {
    out.push({
      code: "rbac-cluster-binding",
      path,
      message: `new cluster-wide binding ${label} (role ${roleA || "?"})`,
    });
    return out;
  }
  const subj = (o: Record<string, unknown>) => {
    const s = get(o, ["subjects"]);
    return new Set(
      Array.isArray(s)
        ? s.filter(isRecord).map((x) => `${x["kind"]}:${x["namespace"] ?? ""}:${x["name"]}`)
        : [],
    );
  };
  const sb = subj(before);
  const added = [...subj(after)].filter((s) => !sb.has(s));
  if (added.length || roleA !== roleB) {
    out.push({
      code: "rbac-cluster-binding",
      path,
      message: `${label} widens: ${added.length ? `new subjects ${added.join(", ")}` : `role changes from ${roleB} to ${roleA}`}`,
    });
  }
  return out;
}

// ---------------------------------------------------------------- Terraform

function classifyTerraform(path: string, beforeText: string, afterText: string): RiskReason[] {
  const b = findTerraformBlocks(beforeText);
  const a = findTerraformBlocks(afterText);
  if (!b.ok || !a.ok) {
    const msg = !b.ok ? b.message : !a.ok ? a.message : "";
    return [{ code: "unclassified", path, message: `${path}: cannot follow the Terraform text (${msg})` }];
  }
  const out: RiskReason[] = [];
  const after = new Map<string, TerraformBlock>(a.blocks.map((x) => [x.address, x]));
  for (const block of b.blocks) {
    const next = after.get(block.address);
    if (!next) {
      out.push({
        code: "terraform-resource-removed",
        path,
        message: `${block.address} is removed: Terraform destroys it`,
      });
      continue;
    }
    if (block.preventDestroy && !next.preventDestroy) {
      out.push({
        code: "terraform-prevent-destroy-dropped",
        path,
        message: `${block.address}: lifecycle.prevent_destroy is dropped`,
      });
    }
    if (block.count !== next.count) {
      const cb = block.count === undefined ? 1 : Number(block.count);
      const ca = next.count === undefined ? 1 : Number(next.count);
      if (!Number.isInteger(cb) || !Number.isInteger(ca)) {
        out.push({
          code: "unclassified",
          path,
          message: `${block.address}: count changes from \`${block.count ?? 1}\` to \`${next.count ?? 1}\`, which medic cannot evaluate`,
        });
      } else if (ca < cb) {
        out.push({
          code: "terraform-count-drop",
          path,
          message: `${block.address}: count drops from ${cb} to ${ca}`,
        });
      }
    }
    if (block.forEach !== next.forEach) {
      out.push({
        code: "unclassified",
        path,
        message: `${block.address}: for_each changes, which may destroy instances`,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- helpers

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function get(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (!isRecord(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}
