/** An image reference split into its parts: `registry.example.com/shop/checkout:1.4.2@sha256:…`. */
export interface ImageRef {
  /** Everything before the tag/digest: registry and path. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits an image reference; the tag is after the last `:` that follows the last `/` (a registry port is not a tag). */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  let tag: string | undefined;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { repository: rest, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** Joins parts back into a reference. */
export function formatImageRef(img: ImageRef): string {
  return `${img.repository}${img.tag ? `:${img.tag}` : ""}${img.digest ? `@${img.digest}` : ""}`;
}

/** The part people read: `1.4.2`, or a short digest. */
export function imageVersion(img: ImageRef): string {
  return img.tag ?? (img.digest ? img.digest.slice(0, 19) : "latest");
}

/** Same image when repository and version agree (a digest, when both have one, decides). */
export function sameImage(a: ImageRef, b: ImageRef): boolean {
  if (a.digest && b.digest) return a.digest === b.digest;
  return lastPath(a.repository) === lastPath(b.repository) && (a.tag ?? "latest") === (b.tag ?? "latest");
}

/**
 * Repository comparison on the path without the registry host, because a Helm chart may write the
 * registry in a separate value and the pod status shows the resolved `docker.io/library/…` form.
 */
function lastPath(repo: string): string {
  const parts = repo.split("/");
  const first = parts[0] ?? "";
  const hasHost = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  const path = hasHost ? parts.slice(1) : parts;
  return (path[0] === "library" ? path.slice(1) : path).join("/");
}
