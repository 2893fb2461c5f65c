import { posix } from "node:path";
import type { WorkloadMapping } from "../config/sections/workloads.js";
import { parseYamlDocument } from "../yaml/parse-yaml.js";
import { findResources } from "./find-resources.js";
import { parseDottedKey } from "./parse-dotted-key.js";
import { listContainers } from "./read-container-images.js";
import { getPath } from "./read-helm-value.js";
import { type KustomizationSummary, readKustomization } from "./read-kustomization.js";
import type {
  ContainerImage,
  FoundResource,
  HelmKeys,
  LocateResult,
  RepoFile,
  ResourceRef,
  WorkloadLocation,
} from "./types.js";
import { findPodSpec } from "./yaml-text/find-pod-spec.js";
import { selectDocument } from "./yaml-text/select-document.js";

/** Kinds a Helm chart is assumed to render for a release (we cannot render templates). */
const WORKLOAD_KINDS = ["deployment", "statefulset", "daemonset", "replicaset", "job", "cronjob", "rollout"];

const DEFAULT_HELM_KEYS: HelmKeys = {
  imageRepository: "image.repository",
  imageTag: "image.tag",
  replicas: "replicaCount",
};

/** What the locator is asked for: the kind is optional when an alert only names the workload. */
export interface LocateTarget {
  kind?: string;
  name: string;
  namespace?: string;
}

interface Kustomization {
  path: string;
  dir: string;
  summary: KustomizationSummary;
  /** Kustomization files this one includes through `resources`. */
  children: string[];
  /** Manifest files it includes directly. */
  manifests: string[];
}

interface ArgoApp {
  path: string;
  name: string;
  ref: ResourceRef;
  namespace?: string;
  sources: Record<string, unknown>[];
}

/** A place found by the scan, with a label for error messages. */
interface Found {
  location: WorkloadLocation;
  label: string;
}

/**
 * Finds the one place in the repository where a workload's image and replica count are declared.
 *
 * Resolution order (docs/patchers.md):
 * 1. `.github/medic.yml` `workloads.mappings` (kind, name, namespace ⇒ path); a mapping to a missing
 *    file or object is an error, never a silent fall-through to scanning.
 * 2. Kubernetes manifests by kind, name and namespace (a manifest without a namespace matches when
 *    Kustomize or an Argo CD Application puts it in the target namespace, or when nothing says otherwise).
 *    A manifest rendered through a Kustomize overlay is edited in the overlay's kustomization.yaml
 *    (`images:` / `replicas:`), with the base manifest as context; Kustomize patch files are not places.
 * 3. Helm releases of Argo CD Applications whose destination namespace and release name match: the
 *    inline `parameters`/`valuesObject` when they set the image tag, else the last existing `valueFiles`
 *    entry (the one that wins), else the Application itself.
 * Two equally good places are an error listing both.
 */
export function locateWorkload(
  files: RepoFile[],
  target: LocateTarget,
  mappings: WorkloadMapping[],
): LocateResult {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const label = describeTarget(target);

  // 1. Explicit mappings.
  const mapped = mappings.filter(
    (m) =>
      m.name === target.name &&
      (target.kind === undefined || m.kind.toLowerCase() === target.kind.toLowerCase()) &&
      (m.namespace === undefined || target.namespace === undefined || m.namespace === target.namespace),
  );
  const exactNs = mapped.filter((m) => m.namespace !== undefined && m.namespace === target.namespace);
  const chosen = exactNs.length > 0 ? exactNs : mapped;
  if (chosen.length > 1) {
    const candidates = chosen.map((m) => `${m.path} (mapping ${m.kind} ${m.namespace ?? "*"}/${m.name})`);
    return { ok: false, reason: `${label} has ${chosen.length} mappings in .github/medic.yml`, candidates };
  }
  if (chosen.length === 1) return fromMapping(chosen[0] as WorkloadMapping, target, byPath);

  // 2 and 3. Scan.
  const { resources } = findResources(files);
  const kustomizations = loadKustomizations(files);
  const apps = loadArgoApps(files, resources);
  const patchFiles = new Set(
    kustomizations.flatMap((k) => k.summary.patches.map((p) => posix.normalize(posix.join(k.dir, p)))),
  );
  const kindOk = (kind: string): boolean =>
    target.kind === undefined
      ? WORKLOAD_KINDS.includes(kind.toLowerCase())
      : kind.toLowerCase() === target.kind.toLowerCase();
  const matches = resources.filter(
    (r) => r.name === target.name && kindOk(r.kind) && !patchFiles.has(r.path),
  );

  const found: Found[] = [];
  for (const r of matches) {
    const effective = effectiveNamespaces(r, kustomizations, apps);
    if (target.namespace !== undefined && effective.length > 0 && !effective.includes(target.namespace))
      continue;
    found.push(...placesForManifest(r, target, byPath, kustomizations, apps));
  }
  if (target.kind === undefined || WORKLOAD_KINDS.includes(target.kind.toLowerCase())) {
    found.push(...placesForHelm(target, apps, byPath));
  }

  const unique = dedupe(found);
  if (unique.length === 1) return { ok: true, location: (unique[0] as Found).location };
  if (unique.length > 1) {
    return {
      ok: false,
      reason: `${label} is declared in ${unique.length} places; add a workloads.mappings entry to .github/medic.yml`,
      candidates: unique.map((f) => f.label),
    };
  }
  const near = resources
    .filter((r) => !patchFiles.has(r.path))
    .filter(
      (r) =>
        (r.name === target.name || similar(r.name, target.name)) &&
        (kindOk(r.kind) || r.name === target.name),
    )
    .slice(0, 5)
    .map((r) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name} (${r.path}:${r.line})`);
  return {
    ok: false,
    reason: `no ${label} in ${files.length} files${near.length > 0 ? `; similar: ${near.join(", ")}` : ""}`,
    candidates: [],
  };
}

function describeTarget(t: LocateTarget): string {
  return `${t.kind ?? "workload"} ${t.namespace ? `${t.namespace}/` : ""}${t.name}`;
}

// ---------------------------------------------------------------------------------------------------
// 1. Mappings

function fromMapping(m: WorkloadMapping, target: LocateTarget, byPath: Map<string, RepoFile>): LocateResult {
  const file = byPath.get(m.path);
  const where = `.github/medic.yml workloads.mappings (${m.kind} ${m.name})`;
  if (!file)
    return { ok: false, reason: `${where} points to ${m.path}, which does not exist`, candidates: [] };
  const ref: ResourceRef = {
    kind: m.kind,
    name: m.name,
    ...((m.namespace ?? target.namespace) ? { namespace: (m.namespace ?? target.namespace) as string } : {}),
  };
  const helmKeys: HelmKeys = m.helm ? { ...DEFAULT_HELM_KEYS, ...m.helm } : DEFAULT_HELM_KEYS;
  if (isKustomizationPath(m.path)) return fromKustomizeMapping(m.path, ref, byPath);
  const { resources, problems } = findResources([file]);
  const problem = problems[0];
  if (problem) return { ok: false, reason: `${m.path}: ${problem.message}`, candidates: [] };
  const apps = resources.filter((r) => r.kind === "Application" && r.apiVersion.startsWith("argoproj.io/"));
  if (m.kind !== "Application" && apps.length === 1 && resources.length === 1) {
    const app = apps[0] as FoundResource;
    const appRef: ResourceRef = {
      kind: "Application",
      name: app.name,
      ...(app.namespace ? { namespace: app.namespace } : {}),
    };
    return {
      ok: true,
      location: {
        kind: "argo-application",
        path: m.path,
        ref: appRef,
        workload: ref,
        helmKeys,
        via: "mapping",
      },
    };
  }
  if (m.helm || resources.length === 0) {
    return { ok: true, location: { kind: "helm-values", path: m.path, ref, helmKeys, via: "mapping" } };
  }
  const sel = selectDocument(file.text, ref, m.path);
  if (!sel.ok) return { ok: false, reason: `${where}: ${sel.reason}`, candidates: [] };
  return { ok: true, location: { kind: "manifest", path: m.path, ref, via: "mapping" } };
}

/** A mapping to a kustomization.yaml: find the base manifest it renders for context. */
function fromKustomizeMapping(path: string, ref: ResourceRef, byPath: Map<string, RepoFile>): LocateResult {
  const kustomizations = loadKustomizations([...byPath.values()]);
  const k = kustomizations.find((x) => x.path === path);
  if (!k) {
    const res = readKustomization(byPath.get(path)?.text ?? "", path);
    return { ok: false, reason: res.ok ? `${path}: not a kustomization` : res.reason, candidates: [] };
  }
  const all = new Map(kustomizations.map((x) => [x.path, x]));
  const files = [...rendered(k, all)].flatMap((p) => {
    const f = byPath.get(p);
    return f ? [f] : [];
  });
  const base = findResources(files).resources.find(
    (r) => r.kind.toLowerCase() === ref.kind.toLowerCase() && r.name === ref.name,
  );
  const images = base
    ? containerImages(byPath.get(base.path)?.text ?? "", { ...ref, kind: base.kind }, base.path)
    : [];
  const entry =
    k.summary.images.find((e) => images.some((c) => imageRepository(c.image) === e.name)) ??
    (images.length === 0 && k.summary.images.length === 1 ? k.summary.images[0] : undefined);
  return {
    ok: true,
    location: {
      kind: "kustomize",
      path,
      ref,
      ...(base ? { basePath: base.path } : {}),
      ...(entry ? { imageName: entry.name } : {}),
      ...(images.length > 0 ? { baseImages: images } : {}),
      via: "mapping",
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// 2. Manifests and Kustomize

function isKustomizationPath(path: string): boolean {
  return /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(path);
}

function loadKustomizations(files: RepoFile[]): Kustomization[] {
  const paths = new Set(files.map((f) => f.path));
  const out: Kustomization[] = [];
  for (const f of files) {
    if (!isKustomizationPath(f.path)) continue;
    const k = readKustomization(f.text, f.path);
    if (!k.ok) continue;
    const dir = posix.dirname(f.path);
    const children: string[] = [];
    const manifests: string[] = [];
    for (const res of k.value.resources) {
      // Remote bases (URLs, git refs) are outside this repository.
      if (/^[a-z]+:\/\/|^github\.com\/|^git@/.test(res)) continue;
      const p = posix.normalize(posix.join(dir, res));
      if (p.startsWith("../")) continue;
      if (paths.has(p)) {
        manifests.push(p);
        continue;
      }
      const child = ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .map((n) => posix.join(p, n))
        .find((c) => paths.has(c));
      if (child) children.push(child);
    }
    out.push({ path: f.path, dir, summary: k.value, children, manifests });
  }
  return out;
}

/** Every manifest a kustomization renders, through its bases. */
function rendered(k: Kustomization, all: Map<string, Kustomization>, seen = new Set<string>()): Set<string> {
  const out = new Set(k.manifests);
  if (seen.has(k.path)) return out;
  seen.add(k.path);
  for (const c of k.children) {
    const child = all.get(c);
    if (child) for (const m of rendered(child, all, seen)) out.add(m);
  }
  return out;
}

/** Kustomizations that render `path` and are not themselves included by another one (what gets deployed). */
function leafKustomizationsFor(path: string, kustomizations: Kustomization[]): Kustomization[] {
  const all = new Map(kustomizations.map((k) => [k.path, k]));
  const included = new Set(kustomizations.flatMap((k) => k.children));
  return kustomizations.filter((k) => !included.has(k.path) && rendered(k, all).has(path));
}

/**
 * The namespaces an object ends up in: an overlay's `namespace:` overrides the manifest's, which
 * overrides the Argo CD Application's destination. Empty when nothing says.
 */
function effectiveNamespaces(r: FoundResource, kustomizations: Kustomization[], apps: ArgoApp[]): string[] {
  const leaves = leafKustomizationsFor(r.path, kustomizations);
  const dirs =
    leaves.length > 0
      ? leaves.map((k) => ({ dir: k.dir, ns: k.summary.namespace }))
      : [{ dir: posix.dirname(r.path), ns: undefined }];
  const out = new Set<string>();
  for (const { dir, ns } of dirs) {
    const effective = ns ?? r.namespace ?? argoNamespaceFor(dir, apps);
    if (effective) out.add(effective);
  }
  return [...out];
}

function placesForManifest(
  r: FoundResource,
  target: LocateTarget,
  byPath: Map<string, RepoFile>,
  kustomizations: Kustomization[],
  apps: ArgoApp[],
): Found[] {
  const ref: ResourceRef = {
    kind: r.kind,
    name: r.name,
    ...((r.namespace ?? target.namespace) ? { namespace: (r.namespace ?? target.namespace) as string } : {}),
  };
  const images = containerImages(byPath.get(r.path)?.text ?? "", ref, r.path);
  const leaves = leafKustomizationsFor(r.path, kustomizations).filter((k) => {
    if (target.namespace === undefined) return true;
    const ns = k.summary.namespace ?? argoNamespaceFor(k.dir, apps);
    return ns === undefined || ns === target.namespace;
  });
  const dir = posix.dirname(r.path);
  const overlays = leaves.filter((k) => {
    const hasEntry =
      k.summary.replicas.some((e) => e.name === r.name) ||
      k.summary.images.some((e) => images.some((c) => imageRepository(c.image) === e.name));
    // A kustomization next to the manifest without entries for it just lists files: edit the manifest.
    return hasEntry || k.dir !== dir;
  });
  if (overlays.length === 0) {
    return [
      {
        location: { kind: "manifest", path: r.path, ref, via: "scan" },
        label: `${r.path}:${r.line} (${r.kind} ${r.name})`,
      },
    ];
  }
  return overlays.map((k) => {
    const entry = k.summary.images.find((e) => images.some((c) => imageRepository(c.image) === e.name));
    return {
      location: {
        kind: "kustomize",
        path: k.path,
        ref,
        basePath: r.path,
        ...(entry ? { imageName: entry.name } : {}),
        ...(images.length > 0 ? { baseImages: images } : {}),
        via: "scan",
      },
      label: `${k.path} (Kustomize overlay of ${r.path})`,
    };
  });
}

function containerImages(text: string, ref: ResourceRef, path: string): ContainerImage[] {
  const sel = selectDocument(text, ref, path);
  if (!sel.ok) return [];
  const pod = findPodSpec(sel.selected.object);
  return pod.ok ? listContainers(pod.spec) : [];
}

/** `registry/path/name` of an image reference, without tag or digest. */
function imageRepository(image: string): string {
  const noDigest = image.split("@")[0] as string;
  const slash = noDigest.lastIndexOf("/");
  const colon = noDigest.lastIndexOf(":");
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

function argoNamespaceFor(dir: string, apps: ArgoApp[]): string | undefined {
  for (const app of apps) {
    for (const s of app.sources) {
      if (typeof s["path"] !== "string") continue;
      const path = posix.normalize(s["path"]).replace(/\/$/, "");
      // A directory source includes subdirectories only with `directory.recurse: true`.
      const recurse = isObject(s["directory"]) && s["directory"]["recurse"] === true;
      if (dir === path || (recurse && dir.startsWith(`${path}/`))) return app.namespace;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// 3. Helm through Argo CD Applications

function loadArgoApps(files: RepoFile[], resources: FoundResource[]): ArgoApp[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const out: ArgoApp[] = [];
  for (const r of resources) {
    if (r.kind !== "Application" || !r.apiVersion.startsWith("argoproj.io/")) continue;
    const ref: ResourceRef = {
      kind: "Application",
      name: r.name,
      ...(r.namespace ? { namespace: r.namespace } : {}),
    };
    const sel = selectDocument(byPath.get(r.path)?.text ?? "", ref, r.path);
    if (!sel.ok) continue;
    const spec = (sel.selected.object["spec"] ?? {}) as Record<string, unknown>;
    const dest = (spec["destination"] ?? {}) as Record<string, unknown>;
    const sources = [
      ...(isObject(spec["source"]) ? [spec["source"]] : []),
      ...(Array.isArray(spec["sources"]) ? spec["sources"].filter(isObject) : []),
    ];
    out.push({
      path: r.path,
      name: r.name,
      ref,
      ...(typeof dest["namespace"] === "string" ? { namespace: dest["namespace"] } : {}),
      sources,
    });
  }
  return out;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function placesForHelm(target: LocateTarget, apps: ArgoApp[], byPath: Map<string, RepoFile>): Found[] {
  const out: Found[] = [];
  for (const app of apps) {
    if (target.namespace !== undefined && app.namespace !== undefined && app.namespace !== target.namespace)
      continue;
    const helmSources = app.sources.filter((s) => isObject(s["helm"]) || typeof s["chart"] === "string");
    for (const s of helmSources) {
      const helm = (isObject(s["helm"]) ? s["helm"] : {}) as Record<string, unknown>;
      const release = typeof helm["releaseName"] === "string" ? helm["releaseName"] : app.name;
      const chart =
        typeof s["chart"] === "string"
          ? s["chart"]
          : typeof s["path"] === "string"
            ? posix.basename(s["path"])
            : "";
      // Charts name their objects after the release, or `<release>-<chart>` (the `fullname` helper).
      if (target.name !== release && target.name !== `${release}-${chart}`) continue;
      const keys = DEFAULT_HELM_KEYS;
      const appLabel = `${app.path} (Argo CD Application ${app.name})`;
      const tagPath = parseDottedKey(keys.imageTag);
      const params = Array.isArray(helm["parameters"])
        ? (helm["parameters"] as Record<string, unknown>[])
        : [];
      const inline =
        params.some((p) => p?.["name"] === keys.imageTag) ||
        (tagPath.ok && getPath(helm["valuesObject"], tagPath.path).found);
      const location: WorkloadLocation = {
        kind: "argo-application",
        path: app.path,
        ref: app.ref,
        workload: {
          kind: target.kind ?? "Deployment",
          name: target.name,
          ...(app.namespace ? { namespace: app.namespace } : {}),
        },
        helmKeys: keys,
        via: "scan",
      };
      if (inline) {
        out.push({ location, label: appLabel });
        continue;
      }
      const valueFiles = resolveValueFiles(s, helm, app.sources).filter((p) => byPath.has(p));
      const withTag = valueFiles.filter((p) => {
        const text = byPath.get(p)?.text ?? "";
        return tagPath.ok && /\S/.test(text) && hasKey(text, p, tagPath.path);
      });
      const chosen = withTag[withTag.length - 1] ?? valueFiles[valueFiles.length - 1];
      const ref: ResourceRef = {
        kind: target.kind ?? "Deployment",
        name: target.name,
        ...(app.namespace ? { namespace: app.namespace } : {}),
      };
      if (chosen) {
        out.push({
          location: {
            kind: "helm-values",
            path: chosen,
            ref,
            helmKeys: keys,
            application: { path: app.path, name: app.name },
            via: "scan",
          },
          label: `${chosen} (Helm values of ${app.path})`,
        });
      } else if (typeof s["chart"] === "string") {
        out.push({ location, label: appLabel });
      }
    }
  }
  return out;
}

/** `valueFiles` as repository paths: relative to the source's chart path, or `$ref/…` of another source. */
function resolveValueFiles(
  source: Record<string, unknown>,
  helm: Record<string, unknown>,
  all: Record<string, unknown>[],
): string[] {
  const list = Array.isArray(helm["valueFiles"])
    ? helm["valueFiles"].filter((v): v is string => typeof v === "string")
    : [];
  const out: string[] = [];
  for (const vf of list) {
    const ref = /^\$([A-Za-z0-9_-]+)\/(.*)$/.exec(vf);
    if (ref) {
      if (all.some((s) => s["ref"] === ref[1])) out.push(posix.normalize(ref[2] as string));
      continue;
    }
    if (typeof source["path"] !== "string") continue;
    const p = posix.normalize(posix.join(source["path"], vf));
    if (!p.startsWith("../") && !posix.isAbsolute(p)) out.push(p);
  }
  return out;
}

function hasKey(text: string, path: string, key: (string | number)[]): boolean {
  const parsed = parseYamlDocument(text, path);
  return parsed.ok && getPath(parsed.document.value, key).found;
}

function dedupe(found: Found[]): Found[] {
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = `${f.location.kind} ${f.location.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Names one or two edits apart, or sharing a 5-character prefix: enough for "did you mean". */
function similar(a: string, b: string): boolean {
  if (a.length >= 5 && b.length >= 5 && a.slice(0, 5) === b.slice(0, 5)) return true;
  if (Math.abs(a.length - b.length) > 2) return false;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] as number;
      prev[j] = Math.min(
        (prev[j] as number) + 1,
        (prev[j - 1] as number) + 1,
        diag + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diag = tmp;
    }
  }
  return (prev[b.length] as number) <= 2;
}
