import { describe, expect, it } from "vitest";
import {
  appendDocument,
  findResources,
  formatQuantity,
  readArgoApplicationHelmValue,
  readContainerImages,
  readHelmValue,
  readHpaBounds,
  readKustomization,
  readPvcStorage,
  readReplicas,
  readResource,
  readTfvarsNumber,
  setContainerImage,
  setHelmValue,
} from "../../../src/core/manifest/index.js";
import { exampleFile, readExampleRepo } from "./example-repo.js";

describe("findResources on the example repository", () => {
  const { resources, problems } = findResources(readExampleRepo());
  const ids = resources.map((r) => `${r.path}#${r.docIndex} ${r.kind} ${r.namespace ?? "-"}/${r.name}`);

  it("reports no unreadable files (Helm templates are skipped, not reported)", () => {
    expect(problems).toEqual([]);
    expect(resources.some((r) => r.path.includes("/templates/"))).toBe(false);
  });

  it.each([
    "apps/checkout/deployment.yaml#0 Deployment shop/checkout",
    "apps/checkout/service.yaml#1 ServiceAccount shop/checkout",
    "apps/checkout/hpa.yaml#0 HorizontalPodAutoscaler shop/checkout",
    "apps/catalog/base/deployment.yaml#0 Deployment shop/catalog",
    "apps/payments/rollout.yaml#0 Rollout payments/payments",
    "apps/payments/rollout.yaml#2 Service payments/payments-canary",
    "apps/orders-db/pvc.yaml#1 PersistentVolumeClaim data/orders-db-archive",
    "argocd/apps/frontend.yaml#0 Application argocd/frontend",
    "infra/storage/storageclasses.yaml#1 StorageClass -/cinder-hdd",
  ])("finds %s", (id) => {
    expect(ids).toContain(id);
  });

  it("skips values files, kustomizations without metadata, Terraform and config files", () => {
    const paths = new Set(resources.map((r) => r.path));
    for (const p of [
      "apps/frontend/values-prod.yaml",
      "apps/catalog/overlays/prod/kustomization.yaml",
      "infra/openstack/terraform.auto.tfvars.json",
      ".github/medic.yml",
    ]) {
      expect(paths.has(p)).toBe(false);
    }
  });

  it("gives the 1-based line where each object starts", () => {
    const pvc = resources.find((r) => r.name === "orders-db-archive");
    const text = exampleFile("apps/orders-db/pvc.yaml").split("\n");
    expect(text[(pvc?.line ?? 0) - 1]).toBe("apiVersion: v1");
  });
});

describe("findResources on inline files", () => {
  it("expands kind: List items and reports broken files without stopping", () => {
    const list =
      "apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n";
    const res = findResources([
      { path: "list.yaml", text: list },
      { path: "broken.yaml", text: "a: [\n" },
      {
        path: "ok.json",
        text: '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "x"}}',
      },
      { path: "README.md", text: "kind: Deployment" },
    ]);
    expect(res.resources).toEqual([
      {
        path: "list.yaml",
        docIndex: 0,
        itemIndex: 0,
        kind: "ConfigMap",
        apiVersion: "v1",
        name: "a",
        line: 1,
      },
      { path: "ok.json", docIndex: 0, kind: "Secret", apiVersion: "v1", name: "s", namespace: "x", line: 1 },
    ]);
    expect(res.problems).toHaveLength(1);
    expect(res.problems[0]).toMatchObject({ path: "broken.yaml" });
  });
});

describe("readers on the example repository", () => {
  it("reads container images of a Rollout, in order", () => {
    expect(
      readContainerImages(exampleFile("apps/payments/rollout.yaml"), { kind: "Rollout", name: "payments" }),
    ).toEqual({
      ok: true,
      value: [
        { name: "payments", image: "registry.example.com/payments/payments-api:5.3.0", init: false },
        { name: "audit-shipper", image: "registry.example.com/platform/audit-shipper:0.9.4", init: false },
      ],
    });
  });

  it("reads replicas, and null when a manifest relies on the default", () => {
    expect(
      readReplicas(exampleFile("apps/checkout/deployment.yaml"), { kind: "Deployment", name: "checkout" }),
    ).toEqual({
      ok: true,
      value: 3,
    });
    const noReplicas = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: {}\n";
    expect(readReplicas(noReplicas, { kind: "Deployment", name: "a" })).toEqual({ ok: true, value: null });
  });

  it("reads HPA bounds with the scale target", () => {
    expect(
      readHpaBounds(exampleFile("apps/checkout/hpa.yaml"), {
        kind: "HorizontalPodAutoscaler",
        name: "checkout",
      }),
    ).toEqual({
      ok: true,
      value: { min: 3, max: 10, target: { kind: "Deployment", name: "checkout" } },
    });
  });

  it("reads PVC storage as a quantity with the storage class", () => {
    const res = readPvcStorage(exampleFile("apps/orders-db/pvc.yaml"), {
      kind: "PersistentVolumeClaim",
      name: "pgdata-orders-db",
      namespace: "data",
    });
    expect(res.ok && formatQuantity(res.value.storage)).toBe("50Gi");
    expect(res.ok && res.value.storageClassName).toBe("cinder-ssd");
  });

  it("reads Helm values by dotted key", () => {
    const text = exampleFile("apps/frontend/values-prod.yaml");
    expect(readHelmValue(text, "image.tag")).toEqual({ ok: true, value: { found: true, value: "3.12.0" } });
    expect(
      readHelmValue(text, "ingress.annotations.nginx\\.ingress\\.kubernetes\\.io/proxy-body-size"),
    ).toEqual({
      ok: true,
      value: { found: true, value: "1m" },
    });
    expect(readHelmValue(text, "image.digest")).toEqual({
      ok: true,
      value: { found: false, value: undefined },
    });
    expect(readHelmValue(text, "image.constructor")).toEqual({
      ok: true,
      value: { found: false, value: undefined },
    });
  });

  it("reads an Argo CD Application's inline Helm value", () => {
    const text = exampleFile("argocd/apps/recommendations.yaml");
    expect(
      readArgoApplicationHelmValue(text, { kind: "Application", name: "recommendations" }, "image.tag"),
    ).toEqual({
      ok: true,
      value: { found: true, value: "0.21.4", from: "valuesObject" },
    });
  });

  it("reads a kustomization's images, replicas, resources and patches", () => {
    expect(readKustomization(exampleFile("apps/catalog/overlays/prod/kustomization.yaml"))).toEqual({
      ok: true,
      value: {
        namespace: "shop",
        resources: ["../../base"],
        images: [{ name: "registry.example.com/shop/catalog", newTag: "2.8.1" }],
        replicas: [{ name: "catalog", count: 4 }],
        patches: ["patch-resources.yaml"],
      },
    });
  });

  it("reads Terraform worker counts from JSON and HCL tfvars", () => {
    expect(
      readTfvarsNumber(exampleFile("infra/openstack/terraform.auto.tfvars.json"), "worker_count", "json"),
    ).toEqual({
      ok: true,
      value: 3,
    });
    expect(
      readTfvarsNumber(exampleFile("infra/openstack-legacy/workers.tfvars"), "worker_count", "hcl"),
    ).toEqual({
      ok: true,
      value: 3,
    });
  });

  it("reads a whole object with its document and line", () => {
    const res = readResource(exampleFile("apps/payments/rollout.yaml"), {
      kind: "Service",
      name: "payments-canary",
    });
    expect(res.ok && [res.value.docIndex, res.value.line, res.value.object["kind"]]).toEqual([
      2,
      95,
      "Service",
    ]);
  });
});

describe("edge cases of the text edits", () => {
  it("keeps CRLF line endings when inserting", () => {
    const text = "image:\r\n  tag: '1.0'\r\n";
    expect(setHelmValue(text, "image.pullPolicy", "Always", "v.yaml")).toEqual({
      ok: true,
      text: "image:\r\n  tag: '1.0'\r\n  pullPolicy: Always\r\n",
      changed: true,
    });
  });

  it("writes into an empty values file", () => {
    expect(setHelmValue("", "image.tag", "1.2.3", "v.yaml")).toEqual({
      ok: true,
      text: "image:\n  tag: 1.2.3\n",
      changed: true,
    });
    expect(setHelmValue("# only a comment\n", "replicaCount", 2, "v.yaml")).toEqual({
      ok: true,
      text: "# only a comment\nreplicaCount: 2\n",
      changed: true,
    });
  });

  it("appends to a file without a final newline", () => {
    expect(setHelmValue("a: 1", "b", 2, "v.yaml")).toEqual({ ok: true, text: "a: 1\nb: 2\n", changed: true });
  });

  it("quotes strings that YAML 1.1 (go-yaml, Helm) would read as something else", () => {
    const res = setHelmValue("a: 1\n", "feature", "on", "v.yaml");
    expect(res).toEqual({ ok: true, text: 'a: 1\nfeature: "on"\n', changed: true });
    const tag = setHelmValue("image:\n  tag: 1.4.2\n", "image.tag", "1.10", "v.yaml");
    expect(tag).toEqual({ ok: true, text: 'image:\n  tag: "1.10"\n', changed: true });
  });

  it("edits the right document when several objects share a file", () => {
    const text = exampleFile("apps/payments/rollout.yaml");
    const res = setContainerImage(
      text,
      { kind: "Rollout", name: "payments" },
      { container: "audit-shipper", image: "registry.example.com/platform/audit-shipper:0.9.5" },
    );
    expect(res.ok && res.text).toBe(text.replace("audit-shipper:0.9.4", "audit-shipper:0.9.5"));
  });

  it("creates a new file for a new document, with the comment first", () => {
    const job = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "vacuum" } };
    expect(appendDocument(null, job, { comment: "Added by gitops-medic" })).toEqual({
      ok: true,
      text: "# Added by gitops-medic\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: vacuum\n",
      changed: true,
    });
    expect(appendDocument("a: 1\n---\n", job)).toEqual({
      ok: true,
      text: "a: 1\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: vacuum\n",
      changed: true,
    });
  });
});

describe("insertions land next to their siblings", () => {
  it.each([
    [
      "before a blank line that separates sections",
      'image:\n  tag: "1"\n\nreplicaCount: 3\n',
      "image.pullPolicy",
      'image:\n  tag: "1"\n  pullPolicy: Always\n\nreplicaCount: 3\n',
    ],
    [
      "after a trailing comment on the last line",
      "image:\n  tag: '1' # pinned\nreplicaCount: 3\n",
      "image.pullPolicy",
      "image:\n  tag: '1' # pinned\n  pullPolicy: Always\nreplicaCount: 3\n",
    ],
    [
      "after a nested block",
      "image:\n  tag: '1'\n  extra:\n    a: 1\nreplicaCount: 3\n",
      "image.pullPolicy",
      "image:\n  tag: '1'\n  extra:\n    a: 1\n  pullPolicy: Always\nreplicaCount: 3\n",
    ],
    [
      "into an empty key with a comment",
      "image: # set per environment\nreplicaCount: 3\n",
      "image.pullPolicy",
      "image: # set per environment\n  pullPolicy: Always\nreplicaCount: 3\n",
    ],
    [
      "a value for an empty key with a comment",
      "pullPolicy: # set per environment\nreplicaCount: 3\n",
      "pullPolicy",
      "pullPolicy: Always # set per environment\nreplicaCount: 3\n",
    ],
  ])("%s", (_what, text, key, expected) => {
    expect(setHelmValue(text, key, "Always", "v.yaml")).toEqual({ ok: true, text: expected, changed: true });
  });
});
