import { posix } from "node:path";
import { diffLines } from "diff";
import { describe, expect, it } from "vitest";
import {
  findResources,
  readContainerImages,
  readKustomization,
  SCALABLE_KINDS,
  setContainerImage,
  setReplicas,
} from "../../../src/core/manifest/index.js";
import { readExampleRepo } from "./example-repo.js";

const repo = readExampleRepo();
const byPath = new Map(repo.map((f) => [f.path, f.text]));
// Kustomize patch files hold partial objects (no image, no replicas): they are not workloads.
const patchFiles = new Set(
  repo.flatMap((f) => {
    if (!f.path.endsWith("kustomization.yaml")) return [];
    const k = readKustomization(f.text, f.path);
    return k.ok ? k.value.patches.map((p) => posix.join(posix.dirname(f.path), p)) : [];
  }),
);
const resources = findResources(repo).resources.filter((r) => !patchFiles.has(r.path));

function changedLines(before: string, after: string): number {
  return diffLines(before, after)
    .filter((p) => p.removed)
    .reduce((n, p) => n + (p.count ?? 0), 0);
}

const containers = resources.flatMap((r) => {
  const ref = { kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) };
  const images = readContainerImages(byPath.get(r.path) ?? "", ref, r.path);
  return images.ok
    ? images.value.map((c) => [`${r.path} ${r.kind} ${r.name} ${c.name}`, r.path, ref, c.name] as const)
    : [];
});

describe("every workload of examples/gitops can be edited with a one-line diff", () => {
  it("has workloads to edit", () => {
    expect(containers.length).toBeGreaterThanOrEqual(5);
  });

  it.each(containers)("image of %s", (_label, path, ref, container) => {
    const before = byPath.get(path) ?? "";
    const res = setContainerImage(
      before,
      ref,
      { container, image: "registry.example.com/medic/test:9.9.9" },
      path,
    );
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(changedLines(before, res.text)).toBe(1);
    const after = readContainerImages(res.text, ref, path);
    expect(after.ok && after.value.find((c) => c.name === container)?.image).toBe(
      "registry.example.com/medic/test:9.9.9",
    );
  });

  const scalable = resources.filter((r) => SCALABLE_KINDS.includes(r.kind));
  it.each(scalable.map((r) => [`${r.path} ${r.kind} ${r.name}`, r] as const))(
    "replicas of %s",
    (_label, r) => {
      const before = byPath.get(r.path) ?? "";
      const res = setReplicas(before, { kind: r.kind, name: r.name }, 7, r.path);
      expect(res.ok).toBe(true);
      if (res.ok) expect(changedLines(before, res.text)).toBe(1);
    },
  );
});
