import type { KustomizeImage } from "./set-kustomize-image.js";
import type { ReadResult } from "./types.js";
import { selectKustomization } from "./yaml-text/select-kustomization.js";

/** The parts of a kustomization.yaml the locator and the runbooks need. */
export interface KustomizationSummary {
  namespace?: string;
  /** `resources:` entries (files, directories, remote bases) as written. */
  resources: string[];
  images: KustomizeImage[];
  replicas: { name: string; count: number }[];
  /** Patch files (`patches[].path`, `patchesStrategicMerge`, `patchesJson6902[].path`), as written. */
  patches: string[];
}

/** Reads `namespace`, `resources`, `images` and `replicas` of a kustomization.yaml. */
export function readKustomization(text: string, file = "<input>"): ReadResult<KustomizationSummary> {
  const k = selectKustomization(text, file);
  if (!k.ok) return k;
  const v = k.value;
  const strings = (x: unknown): string[] =>
    Array.isArray(x) ? x.filter((s): s is string => typeof s === "string") : [];
  const objects = (x: unknown): Record<string, unknown>[] =>
    Array.isArray(x)
      ? x.filter((o): o is Record<string, unknown> => typeof o === "object" && o !== null)
      : [];
  const images: KustomizeImage[] = objects(v["images"])
    .filter((o) => typeof o["name"] === "string")
    .map((o) => {
      const out: KustomizeImage = { name: o["name"] as string };
      for (const f of ["newName", "newTag", "digest"] as const) if (o[f] !== undefined) out[f] = String(o[f]);
      return out;
    });
  const replicas = objects(v["replicas"])
    .filter((o) => typeof o["name"] === "string" && typeof o["count"] === "number")
    .map((o) => ({ name: o["name"] as string, count: o["count"] as number }));
  return {
    ok: true,
    value: {
      ...(typeof v["namespace"] === "string" ? { namespace: v["namespace"] } : {}),
      // `bases:` is the deprecated spelling of `resources:`; older overlays still use it.
      resources: [...strings(v["resources"]), ...strings(v["bases"])],
      images,
      replicas,
      patches: [
        ...objects(v["patches"]).flatMap((o) => (typeof o["path"] === "string" ? [o["path"]] : [])),
        ...strings(v["patchesStrategicMerge"]).filter((s) => !s.includes("\n")),
        ...objects(v["patchesJson6902"]).flatMap((o) => (typeof o["path"] === "string" ? [o["path"]] : [])),
      ],
    },
  };
}
