import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadMedicConfig } from "../../../src/core/config/medic-config.js";
import { locateWorkload, type RepoFile } from "../../../src/core/manifest/index.js";
import { exampleFile, readExampleRepo } from "./example-repo.js";

const repo = readExampleRepo();

function exampleMappings() {
  const loaded = loadMedicConfig(parse(exampleFile(".github/medic.yml")));
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded.config.workloads.mappings;
}

describe("locateWorkload on examples/gitops", () => {
  it.each([
    [
      { kind: "Deployment", name: "checkout", namespace: "shop" },
      "manifest",
      "apps/checkout/deployment.yaml",
    ],
    [{ name: "checkout", namespace: "shop" }, "manifest", "apps/checkout/deployment.yaml"],
    [{ kind: "deployment", name: "checkout" }, "manifest", "apps/checkout/deployment.yaml"],
    [{ kind: "Rollout", name: "payments", namespace: "payments" }, "manifest", "apps/payments/rollout.yaml"],
    [{ name: "payments" }, "manifest", "apps/payments/rollout.yaml"],
    [
      { kind: "StatefulSet", name: "orders-db", namespace: "data" },
      "manifest",
      "apps/orders-db/statefulset.yaml",
    ],
    [
      { kind: "PersistentVolumeClaim", name: "pgdata-orders-db", namespace: "data" },
      "manifest",
      "apps/orders-db/pvc.yaml",
    ],
    [{ kind: "Ingress", name: "checkout", namespace: "shop" }, "manifest", "apps/checkout/ingress.yaml"],
    [
      { kind: "HorizontalPodAutoscaler", name: "checkout", namespace: "shop" },
      "manifest",
      "apps/checkout/hpa.yaml",
    ],
    [
      { kind: "Deployment", name: "catalog", namespace: "shop" },
      "kustomize",
      "apps/catalog/overlays/prod/kustomization.yaml",
    ],
    [
      { kind: "Deployment", name: "frontend", namespace: "web" },
      "helm-values",
      "apps/frontend/values-prod.yaml",
    ],
    [
      { kind: "Deployment", name: "recommendations", namespace: "shop" },
      "argo-application",
      "argocd/apps/recommendations.yaml",
    ],
  ] as const)("%j ⇒ %s %s", (target, kind, path) => {
    const res = locateWorkload(repo, target, []);
    expect(res).toMatchObject({ ok: true, location: { kind, path, via: "scan" } });
  });

  it("returns the Kustomize overlay with the base manifest, its images and the images[] entry", () => {
    expect(locateWorkload(repo, { kind: "Deployment", name: "catalog", namespace: "shop" }, [])).toEqual({
      ok: true,
      location: {
        kind: "kustomize",
        path: "apps/catalog/overlays/prod/kustomization.yaml",
        ref: { kind: "Deployment", name: "catalog", namespace: "shop" },
        basePath: "apps/catalog/base/deployment.yaml",
        imageName: "registry.example.com/shop/catalog",
        baseImages: [{ name: "catalog", image: "registry.example.com/shop/catalog:latest", init: false }],
        via: "scan",
      },
    });
  });

  it("returns the Helm values file with the keys and the Application that uses it", () => {
    expect(locateWorkload(repo, { kind: "Deployment", name: "frontend", namespace: "web" }, [])).toEqual({
      ok: true,
      location: {
        kind: "helm-values",
        path: "apps/frontend/values-prod.yaml",
        ref: { kind: "Deployment", name: "frontend", namespace: "web" },
        helmKeys: { imageRepository: "image.repository", imageTag: "image.tag", replicas: "replicaCount" },
        application: { path: "argocd/apps/frontend.yaml", name: "frontend" },
        via: "scan",
      },
    });
  });

  it("returns the Argo CD Application for inline valuesObject", () => {
    expect(
      locateWorkload(repo, { kind: "Deployment", name: "recommendations", namespace: "shop" }, []),
    ).toMatchObject({
      ok: true,
      location: {
        kind: "argo-application",
        ref: { kind: "Application", name: "recommendations", namespace: "argocd" },
        workload: { kind: "Deployment", name: "recommendations", namespace: "shop" },
      },
    });
  });

  it("uses the repository's own .github/medic.yml mapping first", () => {
    expect(
      locateWorkload(repo, { kind: "Deployment", name: "frontend", namespace: "web" }, exampleMappings()),
    ).toEqual({
      ok: true,
      location: {
        kind: "helm-values",
        path: "apps/frontend/values-prod.yaml",
        ref: { kind: "Deployment", name: "frontend", namespace: "web" },
        helmKeys: { imageRepository: "image.repository", imageTag: "image.tag", replicas: "replicaCount" },
        via: "mapping",
      },
    });
  });

  it.each([
    [
      { kind: "Deployment", name: "checkuot", namespace: "shop" },
      "similar: Deployment shop/checkout (apps/checkout/deployment.yaml:3)",
    ],
    [{ kind: "Deployment", name: "checkout", namespace: "payments" }, "no Deployment payments/checkout"],
    [{ kind: "Deployment", name: "catalog", namespace: "staging" }, "no Deployment staging/catalog"],
    [{ kind: "Deployment", name: "nothing-like-it" }, "no Deployment nothing-like-it in"],
  ] as const)("%j is not found: %s", (target, fragment) => {
    const res = locateWorkload(repo, target, []);
    expect(res.ok).toBe(false);
    expect(res.ok ? "" : res.reason).toContain(fragment);
    expect(res.ok ? null : res.candidates).toEqual([]);
  });

  it("never offers a Kustomize patch file as a place", () => {
    const res = locateWorkload(repo, { kind: "Deployment", name: "catalog" }, []);
    expect(res.ok && res.location.path).toBe("apps/catalog/overlays/prod/kustomization.yaml");
  });
});

const deployment = (
  name: string,
  ns?: string,
  image = `registry.example.com/${name}:1.0.0`,
) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${ns ? `  namespace: ${ns}\n` : ""}spec:
  template:
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;

const overlay = (ns: string, tag: string) => `resources:
  - ../../base
namespace: ${ns}
images:
  - name: registry.example.com/api
    newTag: "${tag}"
`;

const kustomizeRepo: RepoFile[] = [
  { path: "apps/api/base/kustomization.yaml", text: "resources:\n  - deployment.yaml\n" },
  { path: "apps/api/base/deployment.yaml", text: deployment("api") },
  { path: "apps/api/overlays/staging/kustomization.yaml", text: overlay("staging", "1.1.0") },
  { path: "apps/api/overlays/prod/kustomization.yaml", text: overlay("prod", "1.0.0") },
];

const app = (name: string, ns: string, source: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
${source}
  destination:
    namespace: ${ns}
`;

describe("locateWorkload on inline repositories", () => {
  it("picks the overlay whose namespace matches", () => {
    const res = locateWorkload(kustomizeRepo, { kind: "Deployment", name: "api", namespace: "prod" }, []);
    expect(res).toMatchObject({
      ok: true,
      location: {
        kind: "kustomize",
        path: "apps/api/overlays/prod/kustomization.yaml",
        basePath: "apps/api/base/deployment.yaml",
      },
    });
  });

  it("lists both overlays when the namespace does not decide", () => {
    expect(locateWorkload(kustomizeRepo, { kind: "Deployment", name: "api" }, [])).toEqual({
      ok: false,
      reason: "Deployment api is declared in 2 places; add a workloads.mappings entry to .github/medic.yml",
      candidates: [
        "apps/api/overlays/staging/kustomization.yaml (Kustomize overlay of apps/api/base/deployment.yaml)",
        "apps/api/overlays/prod/kustomization.yaml (Kustomize overlay of apps/api/base/deployment.yaml)",
      ],
    });
  });

  it("lists two plain manifests declaring the same object", () => {
    const files = [
      { path: "apps/a/deploy.yaml", text: deployment("api", "shop") },
      { path: "legacy/api.yaml", text: deployment("api", "shop") },
    ];
    const res = locateWorkload(files, { kind: "Deployment", name: "api", namespace: "shop" }, []);
    expect(res).toEqual({
      ok: false,
      reason:
        "Deployment shop/api is declared in 2 places; add a workloads.mappings entry to .github/medic.yml",
      candidates: ["apps/a/deploy.yaml:1 (Deployment api)", "legacy/api.yaml:1 (Deployment api)"],
    });
  });

  it("edits the manifest when its own kustomization only lists files", () => {
    const files = [
      { path: "apps/web/kustomization.yaml", text: "resources:\n  - deployment.yaml\n" },
      { path: "apps/web/deployment.yaml", text: deployment("web") },
    ];
    expect(locateWorkload(files, { kind: "Deployment", name: "web" }, [])).toMatchObject({
      ok: true,
      location: { kind: "manifest", path: "apps/web/deployment.yaml" },
    });
  });

  it("uses the Argo CD destination namespace for manifests without one", () => {
    const files = [
      { path: "apps/web/deployment.yaml", text: deployment("web") },
      {
        path: "argocd/web.yaml",
        text: app(
          "web",
          "frontend",
          "  source:\n    repoURL: https://github.com/acme/gitops\n    path: apps/web",
        ),
      },
    ];
    expect(
      locateWorkload(files, { kind: "Deployment", name: "web", namespace: "frontend" }, []),
    ).toMatchObject({
      ok: true,
      location: { kind: "manifest", path: "apps/web/deployment.yaml", ref: { namespace: "frontend" } },
    });
    expect(locateWorkload(files, { kind: "Deployment", name: "web", namespace: "shop" }, []).ok).toBe(false);
  });

  it("follows a multi-source Application's $values reference to the values file", () => {
    const source = `  sources:
    - repoURL: https://github.com/acme/gitops
      targetRevision: main
      ref: values
    - repoURL: https://charts.acme.example
      chart: web-app
      targetRevision: 1.9.2
      helm:
        releaseName: search
        valueFiles:
          - $values/apps/search/values-prod.yaml
          - $values/apps/search/values-missing.yaml`;
    const files = [
      { path: "argocd/search.yaml", text: app("search", "shop", source) },
      { path: "apps/search/values-prod.yaml", text: "image:\n  tag: 4.2.0\n" },
    ];
    expect(
      locateWorkload(files, { kind: "Deployment", name: "search", namespace: "shop" }, []),
    ).toMatchObject({
      ok: true,
      location: {
        kind: "helm-values",
        path: "apps/search/values-prod.yaml",
        application: { name: "search" },
      },
    });
  });

  it("prefers Application parameters that set the image tag over value files (they win in Argo CD)", () => {
    const source = `  source:
    repoURL: https://github.com/acme/gitops
    path: charts/search
    helm:
      valueFiles: [values-prod.yaml]
      parameters:
        - name: image.tag
          value: "4.2.0"`;
    const files = [
      { path: "argocd/search.yaml", text: app("search", "shop", source) },
      { path: "charts/search/values-prod.yaml", text: "image:\n  tag: 4.1.0\n" },
    ];
    expect(
      locateWorkload(files, { kind: "Deployment", name: "search", namespace: "shop" }, []),
    ).toMatchObject({
      ok: true,
      location: { kind: "argo-application", path: "argocd/search.yaml" },
    });
  });

  it("matches the `<release>-<chart>` naming of Helm charts", () => {
    const source =
      "  source:\n    repoURL: https://charts.example\n    chart: redis\n    helm:\n      releaseName: cache";
    const files = [{ path: "argocd/cache.yaml", text: app("cache", "shop", source) }];
    expect(
      locateWorkload(files, { kind: "StatefulSet", name: "cache-redis", namespace: "shop" }, []),
    ).toMatchObject({
      ok: true,
      location: { kind: "argo-application", workload: { kind: "StatefulSet", name: "cache-redis" } },
    });
  });

  it.each([
    [
      [{ kind: "Deployment", name: "api", path: "apps/missing.yaml" }],
      ".github/medic.yml workloads.mappings (Deployment api) points to apps/missing.yaml, which does not exist",
    ],
    [
      [
        { kind: "Deployment", name: "api", path: "a.yaml" },
        { kind: "Deployment", name: "api", path: "b.yaml" },
      ],
      "Deployment api has 2 mappings in .github/medic.yml",
    ],
    [
      [{ kind: "Deployment", name: "api", path: "apps/api/base/kustomization.yaml.bak" }],
      "points to apps/api/base/kustomization.yaml.bak, which does not exist",
    ],
    [[{ kind: "Deployment", name: "other", path: "apps/api/base/deployment.yaml" }], "no Deployment other"],
  ])("a broken mapping is an error, not a fall-through: %#", (mappings, fragment) => {
    const target = { kind: "Deployment", name: mappings[0]?.name ?? "api" };
    const res = locateWorkload(kustomizeRepo, target, mappings);
    expect(res.ok).toBe(false);
    expect(res.ok ? "" : res.reason).toContain(fragment);
  });

  it("a mapping to an overlay finds the base manifest for context", () => {
    const mappings = [
      {
        kind: "Deployment",
        name: "api",
        namespace: "prod",
        path: "apps/api/overlays/prod/kustomization.yaml",
      },
    ];
    expect(
      locateWorkload(kustomizeRepo, { kind: "Deployment", name: "api", namespace: "prod" }, mappings),
    ).toEqual({
      ok: true,
      location: {
        kind: "kustomize",
        path: "apps/api/overlays/prod/kustomization.yaml",
        ref: { kind: "Deployment", name: "api", namespace: "prod" },
        basePath: "apps/api/base/deployment.yaml",
        imageName: "registry.example.com/api",
        baseImages: [{ name: "api", image: "registry.example.com/api:1.0.0", init: false }],
        via: "mapping",
      },
    });
  });
});

describe("Argo CD directory sources", () => {
  const files = (recurse: boolean) => [
    { path: "apps/web/prod/deployment.yaml", text: deployment("web") },
    {
      path: "argocd/web.yaml",
      text: app(
        "web",
        "frontend",
        `  source:\n    path: apps/web\n    directory:\n      recurse: ${recurse}`,
      ),
    },
  ];

  it("puts manifests in subdirectories in the destination namespace only with recurse", () => {
    const target = { kind: "Deployment", name: "web", namespace: "shop" };
    expect(locateWorkload(files(true), target, []).ok).toBe(false);
    // Without recurse nothing says where the manifest ends up, so it stays a candidate.
    expect(locateWorkload(files(false), target, []).ok).toBe(true);
  });
});
