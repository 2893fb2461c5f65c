import type { PatchResult } from "./types.js";
import { applyYamlOps, type YamlOp } from "./yaml-text/apply-yaml-ops.js";
import { selectKustomization } from "./yaml-text/select-kustomization.js";

const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
const NAME_RE = /^[a-z0-9]+(?:[._:/-]+[a-z0-9]+)*$/;

/** One `images:` entry of a kustomization.yaml. */
export interface KustomizeImage {
  /** The image name as written in the base manifests (without tag). */
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/**
 * Sets `newTag`, `digest` and/or `newName` of the `images:` entry named `name` in a kustomization.yaml,
 * adding the entry (and the `images:` list) when missing. Setting a tag without a digest removes an
 * existing `digest`: Kustomize prefers the digest, so the new tag would otherwise never be deployed.
 */
export function setKustomizeImage(text: string, image: KustomizeImage, file = "<input>"): PatchResult {
  if (!NAME_RE.test(image.name))
    return { ok: false, reason: `${file}: "${image.name}" is not an image name` };
  if (image.newTag === undefined && image.digest === undefined && image.newName === undefined) {
    return { ok: false, reason: `${file}: give newTag, digest or newName for image ${image.name}` };
  }
  if (image.newTag !== undefined && !TAG_RE.test(image.newTag)) {
    return { ok: false, reason: `${file}: "${image.newTag}" is not a valid image tag` };
  }
  if (image.digest !== undefined && !DIGEST_RE.test(image.digest)) {
    return { ok: false, reason: `${file}: "${image.digest}" is not a sha256 digest` };
  }
  if (image.newName !== undefined && !NAME_RE.test(image.newName)) {
    return { ok: false, reason: `${file}: "${image.newName}" is not an image name` };
  }
  const k = selectKustomization(text, file);
  if (!k.ok) return k;
  const images = k.value["images"];
  if (images !== undefined && images !== null && !Array.isArray(images)) {
    return { ok: false, reason: `${file}: images is not a list` };
  }
  const list = (images ?? []) as Record<string, unknown>[];
  const matches = list.flatMap((e, i) => (e && typeof e === "object" && e["name"] === image.name ? [i] : []));
  if (matches.length > 1) {
    return { ok: false, reason: `${file}: images has ${matches.length} entries named ${image.name}` };
  }
  const fields = (["newName", "newTag", "digest"] as const).filter((f) => image[f] !== undefined);
  const index = matches[0];
  if (index === undefined) {
    const item: Record<string, string> = { name: image.name };
    for (const f of fields) item[f] = image[f] as string;
    return applyYamlOps(text, file, 0, [{ op: "append", path: ["images"], item }]);
  }
  const ops: YamlOp[] = fields.map((f) => ({
    op: "set",
    path: ["images", index, f],
    value: image[f] as string,
  }));
  if (
    image.newTag !== undefined &&
    image.digest === undefined &&
    (list[index] as Record<string, unknown>)["digest"]
  ) {
    ops.push({ op: "delete", path: ["images", index, "digest"] });
  }
  return applyYamlOps(text, file, 0, ops);
}
