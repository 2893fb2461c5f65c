/**
 * Shared types of the manifest patchers, readers and the workload locator.
 *
 * Every patcher is "content in, content out" (the renovate manager shape): it takes a file's text and
 * returns the new text, or a reason why it will not edit it. Nothing here reads files.
 */

/** The outcome of a patcher. `changed: false` means the file already had the requested value. */
export type PatchResult = { ok: true; text: string; changed: boolean } | { ok: false; reason: string };

/** The outcome of a reader. */
export type ReadResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Selects one Kubernetes object in a (multi-document) YAML file. `kind` is compared case-insensitively.
 * With a namespace, an object declaring that namespace wins over one declaring none (Kustomize or Argo CD
 * sets it later); an object declaring another namespace never matches.
 */
export interface ResourceRef {
  /** Kubernetes kind, e.g. `Deployment`, `Rollout`, `PersistentVolumeClaim`. */
  kind: string;
  /** `metadata.name`. */
  name: string;
  /** `metadata.namespace`; any namespace when omitted. */
  namespace?: string;
}

/** A repository file handed to the pure core by an adapter or a test. */
export interface RepoFile {
  /** POSIX path relative to the repository root. */
  path: string;
  /** The file's text. */
  text: string;
}

/** A Kubernetes object found in a repository file. */
export interface FoundResource {
  /** File path. */
  path: string;
  /** 0-based index of the YAML document inside the file. */
  docIndex: number;
  /** Index inside a `kind: List` document's `items`, when the object is a list item. */
  itemIndex?: number;
  kind: string;
  apiVersion: string;
  name: string;
  /** `metadata.namespace` as written; absent when the file leaves it to Kustomize / Argo CD. */
  namespace?: string;
  /** 1-based line where the object starts. */
  line: number;
}

/** Scalar values the YAML patchers write. */
export type ScalarValue = string | number | boolean;

/** A container of a workload's pod template. */
export interface ContainerImage {
  /** Container name. */
  name: string;
  /** Image reference as written. */
  image: string;
  /** True for `initContainers`. */
  init: boolean;
}

/** Where a workload's image and replica count are edited, as found by `locateWorkload`. */
export type WorkloadLocation =
  | {
      /** A plain manifest: edit it with `setContainerImage` / `setReplicas` and `ref`. */
      kind: "manifest";
      path: string;
      ref: ResourceRef;
      /** How the location was found. */
      via: "mapping" | "scan";
    }
  | {
      /** A Kustomize overlay: edit `path` (its kustomization.yaml) with `setKustomizeImage` / `setKustomizeReplicas`. */
      kind: "kustomize";
      path: string;
      ref: ResourceRef;
      /** The manifest in the base that declares the object (context for the reader; do not edit it). */
      basePath?: string;
      /** The `images[].name` entry that matches the workload's container image, when present. */
      imageName?: string;
      /** The container images declared in the base (to know what `images[].name` must be). */
      baseImages?: ContainerImage[];
      via: "mapping" | "scan";
    }
  | {
      /** A Helm values file: edit it with `setHelmValue` and the keys in `helmKeys`. */
      kind: "helm-values";
      path: string;
      ref: ResourceRef;
      helmKeys: HelmKeys;
      /** The Argo CD Application that uses the values file, when found through one. */
      application?: { path: string; name: string };
      via: "mapping" | "scan";
    }
  | {
      /** An Argo CD Application with inline Helm values: edit with `setArgoApplicationHelmValue`. */
      kind: "argo-application";
      path: string;
      /** The Application object (`kind: Application`) to pass to `setArgoApplicationHelmValue`. */
      ref: ResourceRef;
      /** The workload the Application renders. */
      workload: ResourceRef;
      helmKeys: HelmKeys;
      via: "mapping" | "scan";
    };

/** Dotted Helm value keys of a workload's image and replica count. */
export interface HelmKeys {
  imageRepository: string;
  imageTag: string;
  replicas: string;
}

export type LocateResult =
  | { ok: true; location: WorkloadLocation }
  | { ok: false; reason: string; candidates: string[] };
