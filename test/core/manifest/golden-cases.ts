import {
  addTfJsonResource,
  appendDocument,
  type PatchResult,
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

/** One golden pair: `test/fixtures/patchers/<patcher>/<name>.in.<ext>` ⇒ `.out.<ext>`. */
export interface GoldenCase {
  patcher: string;
  name: string;
  ext: "yaml" | "json" | "tfvars";
  run: (text: string, file: string) => PatchResult;
  /** Running the patcher on the output again changes nothing (false when a re-run is a refusal). */
  idempotent: boolean;
  /** How many lines of the input the change may replace or remove: the minimal diff, counted. */
  changedLines: number;
}

const vacuumJob = {
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: {
    name: "vacuum-orders-db",
    namespace: "data",
    labels: { "app.kubernetes.io/managed-by": "gitops-medic" },
  },
  spec: {
    backoffLimit: 1,
    template: {
      spec: {
        restartPolicy: "Never",
        containers: [
          {
            name: "vacuumdb",
            image: "docker.io/library/postgres:16.4",
            command: ["vacuumdb", "--all", "--analyze"],
            env: [{ name: "PGHOST", value: "orders-db.data.svc" }],
          },
        ],
      },
    },
  },
};

/** A Terraform interpolation, `${expr}`, written without tripping the template-string lint. */
const tf = (expr: string): string => ["$", "{", expr, "}"].join("");

const worker = {
  name: "k8s-prod-worker-extra-1",
  flavor_name: tf("var.worker_flavor"),
  image_name: tf("var.worker_image"),
  network: [{ name: tf("var.network_name") }],
  metadata: { cluster: "prod", role: "worker", added_by: "gitops-medic" },
};

export const GOLDEN_CASES: GoldenCase[] = [
  {
    patcher: "set-container-image",
    name: "deployment-comments",
    ext: "yaml",
    run: (t, f) =>
      setContainerImage(
        t,
        { kind: "Deployment", name: "checkout", namespace: "shop" },
        { image: "registry.example.com/shop/checkout:1.4.1" },
        f,
      ),
    idempotent: true,
    changedLines: 1,
  },
  {
    patcher: "set-container-image",
    name: "rollout-multi-doc",
    ext: "yaml",
    run: (t, f) =>
      setContainerImage(
        t,
        { kind: "Rollout", name: "payments", namespace: "payments" },
        { container: "payments", image: "registry.example.com/payments/payments-api:5.2.9" },
        f,
      ),
    idempotent: true,
    changedLines: 1,
  },
  {
    patcher: "set-container-image",
    name: "cronjob",
    ext: "yaml",
    run: (t, f) =>
      setContainerImage(
        t,
        { kind: "CronJob", name: "report" },
        { image: "registry.example.com/shop/report:2.0.1" },
        f,
      ),
    idempotent: true,
    changedLines: 1,
  },
  {
    patcher: "set-container-image",
    name: "init-container",
    ext: "yaml",
    run: (t, f) =>
      setContainerImage(
        t,
        { kind: "StatefulSet", name: "orders-db" },
        { container: "migrate", image: "registry.example.com/data/migrate:8" },
        f,
      ),
    idempotent: true,
    changedLines: 1,
  },
  {
    patcher: "set-container-image",
    name: "list-kind",
    ext: "yaml",
    run: (t, f) =>
      setContainerImage(
        t,
        { kind: "Deployment", name: "worker", namespace: "jobs" },
        { image: "registry.example.com/jobs/worker@sha256:" + "ab".repeat(32) },
        f,
      ),
    idempotent: true,
    changedLines: 1,
  },
  {
    patcher: "set-replicas",
    name: "statefulset-add-missing",
    ext: "yaml",
    run: (t, f) => setReplicas(t, { kind: "StatefulSet", name: "cache" }, 2, f),
    idempotent: true,
    changedLines: 0,
  },
  {
    patcher: "set-replicas",
    name: "four-space-unindented-lists",
    ext: "yaml",
    run: (t, f) => setReplicas(t, { kind: "Deployment", name: "api" }, 3, f),
    idempotent: true,
    changedLines: 0,
  },
  {
    patcher: "set-replicas",
    name: "rollout",
    ext: "yaml",
    run: (t, f) => setReplicas(t, { kind: "Rollout", name: "payments", namespace: "payments" }, 8, f),
    idempotent: true,
    changedLines: 1,
  },
  {
    patcher: "set-hpa-bounds",
    name: "both-bounds",
    ext: "yaml",
    run: (t, f) =>
      setHpaBounds(t, { kind: "HorizontalPodAutoscaler", name: "checkout" }, { min: 5, max: 15 }, f),
    idempotent: true,
    changedLines: 2,
  },
  {
    patcher: "set-hpa-bounds",
    name: "add-missing-min",
    ext: "yaml",
    run: (t, f) => setHpaBounds(t, { kind: "HorizontalPodAutoscaler", name: "search" }, { min: 2 }, f),
    idempotent: true,
    changedLines: 0,
  },
  {
    patcher: "set-pvc-storage",
    name: "expand-quoted",
    ext: "yaml",
    run: (t, f) =>
      setPvcStorage(
        t,
        { kind: "PersistentVolumeClaim", name: "pgdata-orders-db", namespace: "data" },
        "75Gi",
        f,
      ),
    idempotent: false, // equal size is a refusal, not a no-op
    changedLines: 1,
  },
  {
    patcher: "set-ingress-annotations",
    name: "add-and-update",
    ext: "yaml",
    run: (t, f) =>
      setIngressAnnotations(
        t,
        { kind: "Ingress", name: "checkout", namespace: "shop" },
        {
          "nginx.ingress.kubernetes.io/limit-rps": "20",
          "nginx.ingress.kubernetes.io/proxy-read-timeout": "30",
          "nginx.ingress.kubernetes.io/limit-burst-multiplier": "5",
        },
        f,
      ),
    idempotent: true,
    changedLines: 2,
  },
  {
    patcher: "set-ingress-annotations",
    name: "create-block",
    ext: "yaml",
    run: (t, f) =>
      setIngressAnnotations(
        t,
        { kind: "Ingress", name: "search" },
        {
          "nginx.ingress.kubernetes.io/limit-rps": "10",
          "nginx.ingress.kubernetes.io/limit-connections": "20",
        },
        f,
      ),
    idempotent: true,
    changedLines: 0,
  },
  {
    patcher: "set-ingress-annotations",
    name: "empty-flow-map",
    ext: "yaml",
    run: (t, f) =>
      setIngressAnnotations(
        t,
        { kind: "Ingress", name: "search" },
        { "nginx.ingress.kubernetes.io/limit-rps": "10" },
        f,
      ),
    idempotent: true,
    changedLines: 1,
  },
  {
    patcher: "set-kustomize-image",
    name: "update-tag-drops-digest",
    ext: "yaml",
    run: (t, f) => setKustomizeImage(t, { name: "registry.example.com/shop/catalog", newTag: "2.8.0" }, f),
    idempotent: true,
    changedLines: 2,
  },
  {
    patcher: "set-kustomize-image",
    name: "add-entry",
    ext: "yaml",
    run: (t, f) =>
      setKustomizeImage(t, { name: "registry.example.com/shop/catalog-worker", newTag: "1.10" }, f),
    idempotent: true,
    changedLines: 0,
  },
  {
    patcher: "set-kustomize-image",
    name: "create-images-list",
    ext: "yaml",
    run: (t, f) => setKustomizeImage(t, { name: "registry.example.com/shop/catalog", newTag: "2.8.0" }, f),
    idempotent: true,
    changedLines: 0,
  },
  {
    patcher: "set-kustomize-replicas",
    name: "update",
    ext: "yaml",
    run: (t, f) => setKustomizeReplicas(t, { name: "catalog", count: 6 }, f),
    idempotent: true,
    changedLines: 1,
  },
  {
    patcher: "set-kustomize-replicas",
    name: "add",
    ext: "yaml",
    run: (t, f) => setKustomizeReplicas(t, { name: "catalog", count: 3 }, f),
    idempotent: true,
    changedLines: 0,
  },
  {
    patcher: "set-helm-value",
    name: "existing-and-new",
    ext: "yaml",
    run: (t, f) => {
      const a = setHelmValue(t, "autoscaling.minReplicas", 6, f);
      if (!a.ok) return a;
      const b = setHelmValue(a.text, "image.tag", "3.11.9", f);
      if (!b.ok) return b;
      return setHelmValue(b.text, "podDisruptionBudget.minAvailable", 2, f);
    },
    idempotent: true,
    changedLines: 2,
  },
  {
    patcher: "set-helm-value",
    name: "escaped-dots",
    ext: "yaml",
    run: (t, f) =>
      setHelmValue(t, "ingress.annotations.nginx\\.ingress\\.kubernetes\\.io/limit-rps", "20", f),
    idempotent: true,
    changedLines: 0,
  },
  {
    patcher: "set-helm-value",
    name: "list-index",
    ext: "yaml",
    run: (t, f) => setHelmValue(t, "ingress.hosts[0].host", "shop.acme.example", f),
    idempotent: true,
    changedLines: 1,
  },
  {
    patcher: "set-helm-value",
    name: "null-parent",
    ext: "yaml",
    run: (t, f) => {
      const a = setHelmValue(t, "podAnnotations.sidecar\\.istio\\.io/inject", "false", f);
      if (!a.ok) return a;
      return setHelmValue(a.text, "resources.limits.memory", "512Mi", f);
    },
    idempotent: true,
    changedLines: 1,
  },
  {
    patcher: "set-argo-application-helm-value",
    name: "values-object",
    ext: "yaml",
    run: (t, f) =>
      setArgoApplicationHelmValue(
        t,
        { kind: "Application", name: "recommendations" },
        "image.tag",
        "0.21.3",
        f,
      ),
    idempotent: true,
    changedLines: 1,
  },
  {
    patcher: "set-argo-application-helm-value",
    name: "parameters",
    ext: "yaml",
    run: (t, f) =>
      setArgoApplicationHelmValue(t, { kind: "Application", name: "search" }, "replicaCount", 4, f),
    idempotent: true,
    changedLines: 1,
  },
  {
    patcher: "set-argo-application-helm-value",
    name: "parameters-append",
    ext: "yaml",
    run: (t, f) =>
      setArgoApplicationHelmValue(
        t,
        { kind: "Application", name: "search" },
        "autoscaling.minReplicas",
        3,
        f,
      ),
    idempotent: true,
    changedLines: 0,
  },
  {
    patcher: "set-argo-application-helm-value",
    name: "multi-source",
    ext: "yaml",
    run: (t, f) =>
      setArgoApplicationHelmValue(t, { kind: "Application", name: "search" }, "image.tag", "4.1.9", f),
    idempotent: true,
    changedLines: 0,
  },
  {
    patcher: "append-document",
    name: "add-job",
    ext: "yaml",
    run: (t, f) =>
      appendDocument(
        t,
        vacuumJob,
        { comment: "Added by gitops-medic (runbook pvc-full): reclaim dead tuples." },
        f,
      ),
    idempotent: true,
    changedLines: 0,
  },
  {
    patcher: "set-tfvars-json-number",
    name: "worker-count",
    ext: "json",
    run: (t, f) => setTfvarsJsonNumber(t, "worker_count", 4, f),
    idempotent: true,
    changedLines: 1,
  },
  {
    patcher: "set-tfvars-json-number",
    name: "compact-arrays",
    ext: "json",
    run: (t, f) => setTfvarsJsonNumber(t, "worker_count", 5, f),
    idempotent: true,
    changedLines: 1,
  },
  {
    patcher: "set-hcl-tfvars-number",
    name: "comments-and-nested",
    ext: "tfvars",
    run: (t, f) => setHclTfvarsNumber(t, "worker_count", 4, f),
    idempotent: true,
    changedLines: 1,
  },
  {
    patcher: "add-tf-json-resource",
    name: "existing-type",
    ext: "json",
    run: (t, f) => addTfJsonResource(t, "openstack_compute_instance_v2", "worker_extra_1", worker, f),
    idempotent: false, // a second add of the same name is refused
    changedLines: 0,
  },
  {
    patcher: "add-tf-json-resource",
    name: "no-resource-block",
    ext: "json",
    run: (t, f) => addTfJsonResource(t, "openstack_compute_instance_v2", "worker_extra_1", worker, f),
    idempotent: false,
    changedLines: 0,
  },
];
