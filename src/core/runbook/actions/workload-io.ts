import { readContainerImages } from "../../manifest/read-container-images.js";
import { readHelmValue } from "../../manifest/read-helm-value.js";
import { readKustomization } from "../../manifest/read-kustomization.js";
import { readReplicas } from "../../manifest/read-replicas.js";
import {
  readArgoApplicationHelmValue,
  setArgoApplicationHelmValue,
} from "../../manifest/set-argo-application-helm-value.js";
import { setContainerImage } from "../../manifest/set-container-image.js";
import { setHelmValue } from "../../manifest/set-helm-value.js";
import { setKustomizeImage } from "../../manifest/set-kustomize-image.js";
import { setKustomizeReplicas } from "../../manifest/set-kustomize-replicas.js";
import { setReplicas } from "../../manifest/set-replicas.js";
import type { PatchResult, ReadResult, WorkloadLocation } from "../../manifest/types.js";
import { formatImageRef, type ImageRef, parseImageRef } from "../parse-image-ref.js";

/**
 * Reading and writing a workload's image and replicas wherever the locator found it declared: a plain
 * manifest, a Kustomize overlay, a Helm values file or an Argo CD Application's inline Helm values.
 */

/** The container's image as declared at `location` in `text` (a file version). */
export function readWorkloadImage(
  location: WorkloadLocation,
  text: string,
  container: string | undefined,
): ReadResult<{ image: ImageRef; container: string }> {
  switch (location.kind) {
    case "manifest": {
      const res = readContainerImages(text, location.ref, location.path);
      if (!res.ok) return res;
      const list = res.value.filter((c) => !c.init);
      const c = container ? list.find((x) => x.name === container) : list.length === 1 ? list[0] : undefined;
      if (!c) {
        return {
          ok: false,
          reason: container
            ? `${location.path}: ${location.ref.kind} ${location.ref.name} has no container "${container}" (has ${list.map((x) => x.name).join(", ")})`
            : `${location.path}: ${location.ref.kind} ${location.ref.name} has ${list.length} containers; name one (${list.map((x) => x.name).join(", ")})`,
        };
      }
      return { ok: true, value: { image: parseImageRef(c.image), container: c.name } };
    }
    case "kustomize": {
      const k = readKustomization(text, location.path);
      if (!k.ok) return k;
      const base = location.baseImages?.filter((c) => !c.init) ?? [];
      const c = container ? base.find((x) => x.name === container) : base.length === 1 ? base[0] : undefined;
      const baseImage = c ? parseImageRef(c.image) : undefined;
      const name = location.imageName ?? baseImage?.repository;
      const entry = k.value.images.find((i) => i.name === name);
      if (!entry && !baseImage) {
        return {
          ok: false,
          reason: `${location.path}: no images[] entry and no base image for the workload`,
        };
      }
      const repository = entry?.newName ?? baseImage?.repository ?? name ?? "";
      const tag = entry?.newTag ?? (entry?.digest ? undefined : baseImage?.tag);
      const digest = entry?.digest ?? (entry?.newTag ? undefined : baseImage?.digest);
      return {
        ok: true,
        value: {
          image: { repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) },
          container: c?.name ?? container ?? location.ref.name,
        },
      };
    }
    case "helm-values":
    case "argo-application": {
      const keys = location.helmKeys;
      const repo = readValue(location, text, keys.imageRepository);
      const tag = readValue(location, text, keys.imageTag);
      if (!tag.ok) return tag;
      if (!tag.value.found) return { ok: false, reason: `${location.path}: no value at ${keys.imageTag}` };
      const repository = repo.ok && repo.value.found ? String(repo.value.value ?? "") : "";
      const t =
        tag.value.value === undefined || tag.value.value === null ? undefined : String(tag.value.value);
      return {
        ok: true,
        value: {
          image: { repository, ...(t ? { tag: t } : {}) },
          container: container ?? location.ref.name,
        },
      };
    }
  }
}

/** Writes the image (only the parts the location declares: a tag for Helm and Kustomize). */
export function writeWorkloadImage(
  location: WorkloadLocation,
  text: string,
  container: string,
  image: ImageRef,
): PatchResult {
  switch (location.kind) {
    case "manifest":
      return setContainerImage(
        text,
        location.ref,
        { container, image: formatImageRef(image) },
        location.path,
      );
    case "kustomize": {
      const name = location.imageName ?? image.repository;
      return setKustomizeImage(
        text,
        {
          name,
          ...(image.tag ? { newTag: image.tag } : {}),
          ...(image.digest ? { digest: image.digest } : {}),
        },
        location.path,
      );
    }
    case "helm-values":
      return setHelmValue(text, location.helmKeys.imageTag, image.tag ?? "latest", location.path);
    case "argo-application":
      return setArgoApplicationHelmValue(
        text,
        location.ref,
        location.helmKeys.imageTag,
        image.tag ?? "latest",
        location.path,
      );
  }
}

/** Declared replicas; `null` when the manifest relies on the default (or an HPA owns it). */
export function readWorkloadReplicas(location: WorkloadLocation, text: string): ReadResult<number | null> {
  switch (location.kind) {
    case "manifest":
      return readReplicas(text, location.ref, location.path);
    case "kustomize": {
      // Only the overlay's replicas[] entry: without one the base manifest decides (the caller reads it).
      const k = readKustomization(text, location.path);
      if (!k.ok) return k;
      const entry = k.value.replicas.find((r) => r.name === location.ref.name);
      return { ok: true, value: entry ? entry.count : null };
    }
    case "helm-values":
    case "argo-application": {
      const v = readValue(location, text, location.helmKeys.replicas);
      if (!v.ok) return v;
      return { ok: true, value: typeof v.value.value === "number" ? v.value.value : null };
    }
  }
}

export function writeWorkloadReplicas(
  location: WorkloadLocation,
  text: string,
  replicas: number,
): PatchResult {
  switch (location.kind) {
    case "manifest":
      return setReplicas(text, location.ref, replicas, location.path);
    case "kustomize":
      return setKustomizeReplicas(text, { name: location.ref.name, count: replicas }, location.path);
    case "helm-values":
      return setHelmValue(text, location.helmKeys.replicas, replicas, location.path);
    case "argo-application":
      return setArgoApplicationHelmValue(
        text,
        location.ref,
        location.helmKeys.replicas,
        replicas,
        location.path,
      );
  }
}

/** A Helm value of a chart-deployed workload (values file or the Application's inline values). */
export function readWorkloadHelmValue(
  location: WorkloadLocation,
  text: string,
  key: string,
): ReadResult<{ found: boolean; value: unknown }> | null {
  if (location.kind !== "helm-values" && location.kind !== "argo-application") return null;
  return readValue(location, text, key);
}

/** Sets a Helm value of a chart-deployed workload; `null` for other locations. */
export function writeWorkloadHelmValue(
  location: WorkloadLocation,
  text: string,
  key: string,
  value: number | string | boolean,
): PatchResult | null {
  if (location.kind === "helm-values") return setHelmValue(text, key, value, location.path);
  if (location.kind === "argo-application") {
    return setArgoApplicationHelmValue(text, location.ref, key, value, location.path);
  }
  return null;
}

function readValue(
  location: Extract<WorkloadLocation, { kind: "helm-values" | "argo-application" }>,
  text: string,
  key: string,
): ReadResult<{ found: boolean; value: unknown }> {
  return location.kind === "argo-application"
    ? readArgoApplicationHelmValue(text, location.ref, key, location.path)
    : readHelmValue(text, key, location.path);
}
