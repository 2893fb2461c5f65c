import { describe, expect, it } from "vitest";
import {
  addTfJsonResource,
  appendDocument,
  type PatchResult,
  readTfvarsNumber,
  setArgoApplicationHelmValue,
  setContainerImage,
  setHclTfvarsNumber,
  setHelmValue,
  setHpaBounds,
  setIngressAnnotations,
  setKustomizeImage,
  setKustomizeReplicas,
  setPvcStorage,
  setReplicas,
  setTfvarsJsonNumber,
} from "../../../src/core/manifest/index.js";

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: checkout
          image: registry.example.com/shop/checkout:1.4.2
        - name: envoy
          image: docker.io/envoyproxy/envoy:v1.31.0
`;

const twoDeployments = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
`;

const pvc = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: pgdata
  namespace: data
spec:
  resources:
    requests:
      storage: 50Gi
`;

const statefulSet = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: orders-db
  namespace: data
spec:
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        resources:
          requests:
            storage: 20Gi
`;

const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: checkout
spec:
  minReplicas: 3
  maxReplicas: 10
`;

const billionLaughs = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
kind: Deployment
metadata: {name: checkout}
`;

const ref = { kind: "Deployment", name: "checkout", namespace: "shop" };
const pvcRef = { kind: "PersistentVolumeClaim", name: "pgdata", namespace: "data" };

/** [what, call, a fragment the reason must contain] */
const REFUSALS: [string, () => PatchResult, string][] = [
  [
    "image: two containers, none named",
    () =>
      setContainerImage(
        deployment,
        ref,
        { image: "registry.example.com/shop/checkout:1.4.1" },
        "apps/checkout/deployment.yaml",
      ),
    "apps/checkout/deployment.yaml: Deployment checkout has 2 containers (checkout, envoy)",
  ],
  [
    "image: unknown container",
    () =>
      setContainerImage(deployment, ref, { container: "api", image: "registry.example.com/x:1" }, "d.yaml"),
    'no container "api" (it has: checkout, envoy)',
  ],
  [
    "image: invalid reference",
    () =>
      setContainerImage(
        deployment,
        ref,
        { container: "checkout", image: "registry.example.com/shop/checkout:1.4.1; rm -rf /" },
        "d.yaml",
      ),
    "is not a valid image reference",
  ],
  [
    "image: object not found",
    () => setContainerImage(deployment, { kind: "Deployment", name: "cart" }, { image: "a/b:1" }, "d.yaml"),
    "d.yaml: no Deployment cart; the file has Deployment shop/checkout (document 0, line 1)",
  ],
  [
    "image: wrong namespace",
    () => setContainerImage(deployment, { ...ref, namespace: "prod" }, { image: "a/b:1" }, "d.yaml"),
    "no Deployment prod/checkout",
  ],
  [
    "image: ambiguous",
    () => setContainerImage(twoDeployments, ref, { image: "a/b:1" }, "d.yaml"),
    "Deployment shop/checkout is ambiguous: Deployment shop/checkout (document 0, line 1), Deployment shop/checkout (document 1, line 7)",
  ],
  [
    "image: a Service has no pod template",
    () =>
      setContainerImage(
        "kind: Service\napiVersion: v1\nmetadata: {name: checkout}\n",
        { kind: "Service", name: "checkout" },
        { image: "a/b:1" },
        "s.yaml",
      ),
    "Service has no pod template",
  ],
  [
    "image: Rollout with workloadRef",
    () =>
      setContainerImage(
        "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: p}\nspec:\n  workloadRef: {kind: Deployment, name: p}\n",
        { kind: "Rollout", name: "p" },
        { image: "a/b:1" },
        "r.yaml",
      ),
    "spec.workloadRef (Deployment p)",
  ],
  [
    "invalid YAML names the file and line",
    () => setReplicas("kind: Deployment\nmetadata:\n  name: [x\n", ref, 2, "apps/x/broken.yaml"),
    "apps/x/broken.yaml",
  ],
  [
    "alias bomb",
    () => setReplicas(billionLaughs, { kind: "Deployment", name: "checkout" }, 2, "apps/x/bomb.yaml"),
    "apps/x/bomb.yaml: invalid YAML: ReferenceError",
  ],
  [
    "deep nesting",
    () => setReplicas(`${"[".repeat(5000)}${"]".repeat(5000)}`, ref, 2, "apps/x/deep.yaml"),
    "apps/x/deep.yaml: invalid YAML: nesting deeper than",
  ],
  [
    "huge file",
    () => setReplicas(`# ${"x".repeat(6 * 1024 * 1024)}\n`, ref, 2, "apps/x/huge.yaml"),
    "apps/x/huge.yaml: invalid YAML: file is",
  ],
  [
    "replicas: negative",
    () => setReplicas(deployment, ref, -1, "d.yaml"),
    "replicas must be a whole number ≥ 0, got -1",
  ],
  [
    "replicas: fraction",
    () => setReplicas(deployment, ref, 1.5, "d.yaml"),
    "replicas must be a whole number",
  ],
  [
    "replicas: HPA has none",
    () => setReplicas(hpa, { kind: "HorizontalPodAutoscaler", name: "checkout" }, 2, "h.yaml"),
    "use setHpaBounds",
  ],
  [
    "replicas: DaemonSet has none",
    () =>
      setReplicas(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\n",
        { kind: "DaemonSet", name: "agent" },
        2,
        "ds.yaml",
      ),
    "DaemonSet agent has no spec.replicas",
  ],
  [
    "hpa: min above max",
    () => setHpaBounds(hpa, { kind: "HorizontalPodAutoscaler", name: "checkout" }, { min: 11 }, "h.yaml"),
    "minReplicas 11 would exceed maxReplicas 10",
  ],
  [
    "hpa: max below min",
    () => setHpaBounds(hpa, { kind: "HorizontalPodAutoscaler", name: "checkout" }, { max: 2 }, "h.yaml"),
    "minReplicas 3 would exceed maxReplicas 2",
  ],
  [
    "hpa: zero min",
    () => setHpaBounds(hpa, { kind: "HorizontalPodAutoscaler", name: "checkout" }, { min: 0 }, "h.yaml"),
    "min must be a whole number ≥ 1",
  ],
  [
    "hpa: nothing to set",
    () => setHpaBounds(hpa, { kind: "HorizontalPodAutoscaler", name: "checkout" }, {}, "h.yaml"),
    "give min, max or both",
  ],
  [
    "pvc: shrink",
    () => setPvcStorage(pvc, pvcRef, "40Gi", "p.yaml"),
    "would shrink PersistentVolumeClaim pgdata from 50Gi to 40Gi",
  ],
  ["pvc: shrink across units", () => setPvcStorage(pvc, pvcRef, "50G", "p.yaml"), "would shrink"],
  [
    "pvc: equal in other units",
    () => setPvcStorage(pvc, pvcRef, "51200Mi", "p.yaml"),
    "would not expand PersistentVolumeClaim pgdata: it already requests 50Gi",
  ],
  [
    "pvc: bad quantity",
    () => setPvcStorage(pvc, pvcRef, "60 GB", "p.yaml"),
    '"60 GB" is not a Kubernetes quantity',
  ],
  ["pvc: negative", () => setPvcStorage(pvc, pvcRef, "-60Gi", "p.yaml"), "must be positive"],
  [
    "pvc: StatefulSet templates",
    () => setPvcStorage(statefulSet, { kind: "StatefulSet", name: "orders-db" }, "40Gi", "s.yaml"),
    "Kubernetes forbids changing them",
  ],
  [
    "pvc: claim made by a template",
    () =>
      setPvcStorage(
        statefulSet,
        { kind: "PersistentVolumeClaim", name: "data-orders-db-0", namespace: "data" },
        "40Gi",
        "s.yaml",
      ),
    "PersistentVolumeClaim data-orders-db-0 comes from the volumeClaimTemplates of StatefulSet orders-db",
  ],
  [
    "ingress: bad annotation key",
    () =>
      setIngressAnnotations(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\n",
        { kind: "Ingress", name: "i" },
        { "bad key!": "1" },
        "i.yaml",
      ),
    '"bad key!" is not a valid annotation key',
  ],
  [
    "ingress: not an Ingress",
    () => setIngressAnnotations(deployment, { kind: "Ingress", name: "checkout" }, { a: "1" }, "d.yaml"),
    "no Ingress checkout",
  ],
  [
    "kustomize: no fields",
    () => setKustomizeImage("images: []\n", { name: "a/b" }, "k.yaml"),
    "give newTag, digest or newName",
  ],
  [
    "kustomize: bad tag",
    () => setKustomizeImage("images: []\n", { name: "a/b", newTag: "1.0 && x" }, "k.yaml"),
    "is not a valid image tag",
  ],
  [
    "kustomize: bad digest",
    () => setKustomizeImage("images: []\n", { name: "a/b", digest: "sha256:xyz" }, "k.yaml"),
    "is not a sha256 digest",
  ],
  [
    "kustomize: duplicate entries",
    () =>
      setKustomizeImage(
        "images:\n  - name: a/b\n    newTag: '1'\n  - name: a/b\n    newTag: '2'\n",
        { name: "a/b", newTag: "3" },
        "k.yaml",
      ),
    "images has 2 entries named a/b",
  ],
  [
    "kustomize: not a kustomization",
    () => setKustomizeReplicas(deployment, { name: "checkout", count: 2 }, "d.yaml"),
    "kind Deployment is not a Kustomization",
  ],
  [
    "kustomize: images is a map",
    () => setKustomizeImage("images: {a: b}\n", { name: "a/b", newTag: "1" }, "k.yaml"),
    "images is not a list",
  ],
  [
    "helm: key runs into a value",
    () => setHelmValue("image: nginx\n", "image.tag", "1.0", "values.yaml"),
    "values.yaml: `image` is not a mapping",
  ],
  [
    "helm: key is a map",
    () => setHelmValue("image:\n  tag: '1'\n", "image", "x", "values.yaml"),
    "`image` is a mapping, not a value",
  ],
  [
    "helm: empty segment",
    () => setHelmValue("a: 1\n", "image..tag", "1", "values.yaml"),
    "has an empty segment",
  ],
  [
    "helm: missing list index",
    () => setHelmValue("hosts: []\n", "hosts[2].host", "x", "values.yaml"),
    "`hosts[2]` is not a list item",
  ],
  [
    "helm: prototype key",
    () => setHelmValue("a: 1\n", "__proto__.polluted", "x", "values.yaml"),
    "is not allowed",
  ],
  [
    "helm: two documents",
    () => setHelmValue("a: 1\n---\nb: 2\n", "a", 2, "values.yaml"),
    "expected one YAML document, found 2",
  ],
  [
    "argo: values string",
    () =>
      setArgoApplicationHelmValue(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n  source:\n    chart: x\n    helm:\n      values: |\n        image:\n          tag: '1'\n",
        { kind: "Application", name: "a" },
        "image.tag",
        "2",
        "a.yaml",
      ),
    "keeps its Helm values in the `values` string",
  ],
  [
    "argo: not a Helm source",
    () =>
      setArgoApplicationHelmValue(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n  source:\n    path: apps/a\n",
        { kind: "Application", name: "a" },
        "image.tag",
        "2",
        "a.yaml",
      ),
    "spec.source is not a Helm source",
  ],
  [
    "argo: two Helm sources",
    () =>
      setArgoApplicationHelmValue(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n  sources:\n    - chart: x\n    - chart: y\n",
        { kind: "Application", name: "a" },
        "image.tag",
        "2",
        "a.yaml",
      ),
    "several Helm sources: sources[0] (x), sources[1] (y)",
  ],
  [
    "append: missing kind",
    () => appendDocument("", { apiVersion: "v1", metadata: { name: "x" } }, {}, "j.yaml"),
    "needs apiVersion, kind and metadata.name",
  ],
  [
    "append: different object with the same name",
    () =>
      appendDocument(
        deployment,
        { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "checkout", namespace: "shop" } },
        {},
        "d.yaml",
      ),
    "already has a different Deployment checkout",
  ],
  [
    "append: broken file",
    () =>
      appendDocument(
        "a: [\n",
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } },
        {},
        "j.yaml",
      ),
    "j.yaml:",
  ],
  [
    "tfvars.json: absent key",
    () => setTfvarsJsonNumber('{\n  "worker_flavor": "m1"\n}\n', "worker_count", 4, "t.json"),
    "t.json: no variable worker_count (variables: worker_flavor)",
  ],
  [
    "tfvars.json: duplicate key",
    () => setTfvarsJsonNumber('{"worker_count": 3, "worker_count": 4}', "worker_count", 5, "t.json"),
    "set 2 times",
  ],
  [
    "tfvars.json: string value",
    () => setTfvarsJsonNumber('{"worker_count": "3"}', "worker_count", 5, "t.json"),
    "is not a number",
  ],
  [
    "tfvars.json: invalid JSON",
    () => setTfvarsJsonNumber('{"worker_count": 3,}', "worker_count", 5, "t.json"),
    "t.json: invalid JSON",
  ],
  [
    "tfvars: absent key",
    () => setHclTfvarsNumber('# worker_count = 3\nflavor = "m1"\n', "worker_count", 4, "w.tfvars"),
    "w.tfvars: no top-level worker_count",
  ],
  [
    "tfvars: duplicated",
    () => setHclTfvarsNumber("worker_count = 3\nworker_count = 4\n", "worker_count", 5, "w.tfvars"),
    "worker_count is assigned 2 times",
  ],
  [
    "tfvars: expression",
    () => setHclTfvarsNumber("worker_count = local.n + 1\n", "worker_count", 5, "w.tfvars"),
    "worker_count is not a plain number (local.n + 1)",
  ],
  [
    "tfvars: string",
    () => setHclTfvarsNumber('worker_count = "3"\n', "worker_count", 5, "w.tfvars"),
    "is not a plain number",
  ],
  [
    "tf.json: resource exists",
    () =>
      addTfJsonResource(
        '{"resource": {"openstack_compute_instance_v2": {"worker": {}}}}',
        "openstack_compute_instance_v2",
        "worker",
        {},
        "w.tf.json",
      ),
    "resource openstack_compute_instance_v2.worker already exists",
  ],
  [
    "tf.json: bad name",
    () => addTfJsonResource("{}", "openstack_compute_instance_v2", "9 lives", {}, "w.tf.json"),
    "is not a Terraform resource name",
  ],
  [
    "tf.json: resource list layout",
    () => addTfJsonResource('{"resource": []}', "openstack_compute_instance_v2", "w", {}, "w.tf.json"),
    '"resource" is not an object',
  ],
];

describe("patchers refuse with a reason naming the file and the problem", () => {
  it.each(REFUSALS)("%s", (_what, call, fragment) => {
    const res = call();
    expect(res.ok).toBe(false);
    expect(res.ok ? "" : res.reason).toContain(fragment);
  });

  it.each([
    ["billion laughs", billionLaughs],
    ["5,000 nested brackets", `${"[".repeat(5000)}${"]".repeat(5000)}`],
    ["10,000 documents", Array.from({ length: 10_000 }, () => "a: 1").join("\n---\n")],
  ])("answers %s in well under a second", (_what, text) => {
    const started = performance.now();
    const res = setReplicas(text, ref, 2, "hostile.yaml");
    expect(res.ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("tfvars readers", () => {
  it.each([
    ['{"worker_count": 3}', "json", 3],
    ["worker_count = 7 # note\n", "hcl", 7],
    ["tags = {\n  worker_count = 1\n}\nworker_count = 2\n", "hcl", 2],
  ] as const)("%j (%s) ⇒ %d", (text, format, expected) => {
    expect(readTfvarsNumber(text, "worker_count", format, "t")).toEqual({ ok: true, value: expected });
  });
});

describe("anchors and aliases are never edited behind the reader's back", () => {
  it("refuses to replace an alias", () => {
    const text = "defaults: &tag '1.0'\nimage:\n  tag: *tag\n";
    const res = setHelmValue(text, "image.tag", "2.0", "v.yaml");
    expect(res).toEqual({
      ok: false,
      reason: "v.yaml: `image.tag` is an alias (*tag); change the anchored value by hand",
    });
  });

  it("refuses to change an anchored value that aliases elsewhere reuse", () => {
    const text = "a: &x 1\nb: *x\n";
    const res = setHelmValue(text, "a", 2, "v.yaml");
    expect(res).toEqual({
      ok: false,
      reason: "v.yaml: cannot edit this YAML layout without side effects; edit document 0 by hand",
    });
  });
});
