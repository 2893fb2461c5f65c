import { describe, expect, it } from "vitest";
import { classifyRisk, type FileChange } from "../../../src/core/approval/classify-risk.js";

const opts = { replicaDropThreshold: 0.5 };

const deploy = (replicas: number | null, image = "shop:1.0") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
${replicas === null ? "" : `  replicas: ${replicas}\n`}  template:
    spec:
      containers:
        - name: web
          image: ${image}
`;

const pvc = (size: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: shop}
spec:
  resources:
    requests:
      storage: ${size}
`;

const sts = (size: string | null) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  replicas: 3
${size === null ? "" : `  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec:\n        resources:\n          requests:\n            storage: ${size}\n`}`;

const role = (verbs: string, resources = "[pods]") => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules:
  - apiGroups: [""]
    resources: ${resources}
    verbs: ${verbs}
`;

const crb = (subjects: string[], role = "reader") => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: readers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}
subjects:
${subjects.map((s) => `  - {kind: User, name: ${s}}`).join("\n")}
`;

const ns = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
const crd =
  "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\n";

const tf = (body: string) => `resource "aws_instance" "web" {\n${body}\n}\n`;

const mod = (path: string, before: string | null, after: string | null): FileChange => ({
  path,
  status: before === null ? "added" : after === null ? "removed" : "modified",
  before,
  after,
});

describe("classifyRisk: destructive changes, one reason each", () => {
  it.each<[string, FileChange, string]>([
    ["a file is deleted", mod("apps/shop/web.yaml", deploy(3), null), "file-deleted"],
    [
      "a resource is removed from a file",
      mod("apps/shop/all.yaml", `${deploy(3)}---\n${pvc("1Gi")}`, deploy(3)),
      "volume-removed",
    ],
    [
      "a Deployment is removed, file stays",
      mod("apps/shop/all.yaml", `${ns}---\n${deploy(3)}`, ns),
      "resource-deleted",
    ],
    ["replicas go to 0", mod("apps/shop/web.yaml", deploy(3), deploy(0)), "replicas-to-zero"],
    ["replicas drop sharply (10 → 2)", mod("apps/shop/web.yaml", deploy(10), deploy(2)), "replicas-drop"],
    [
      "replicas field removed from 10 (default 1)",
      mod("apps/shop/web.yaml", deploy(10), deploy(null)),
      "replicas-drop",
    ],
    ["a PVC shrinks", mod("apps/shop/pvc.yaml", pvc("10Gi"), pvc("5Gi")), "volume-shrink"],
    [
      "a PVC shrinks across units (1Ti → 900Gi)",
      mod("apps/shop/pvc.yaml", pvc("1Ti"), pvc("900Gi")),
      "volume-shrink",
    ],
    ["a volume claim template shrinks", mod("apps/shop/db.yaml", sts("10Gi"), sts("1Gi")), "volume-shrink"],
    [
      "a volume claim template is removed",
      mod("apps/shop/db.yaml", sts("10Gi"), sts(null)),
      "volume-removed",
    ],
    ["a namespace is removed", mod("cluster/ns.yaml", `${ns}---\n${crd}`, crd), "namespace-deleted"],
    ["a CRD is removed", mod("cluster/crds.yaml", `${crd}---\n${ns}`, ns), "crd-deleted"],
    [
      "RBAC gains a wildcard verb",
      mod("rbac/role.yaml", role("[get, list]"), role('["*"]')),
      "rbac-wildcard",
    ],
    [
      "RBAC gains a wildcard resource",
      mod("rbac/role.yaml", role("[get]"), role("[get]", '["*"]')),
      "rbac-wildcard",
    ],
    ["RBAC gains a verb", mod("rbac/role.yaml", role("[get]"), role("[get, delete]")), "rbac-widened"],
    ["a new ClusterRoleBinding", mod("rbac/crb.yaml", null, crb(["alice"])), "rbac-cluster-binding"],
    [
      "a ClusterRoleBinding gains a subject",
      mod("rbac/crb.yaml", crb(["alice"]), crb(["alice", "mallory"])),
      "rbac-cluster-binding",
    ],
    [
      "a binding to cluster-admin",
      mod("rbac/crb.yaml", crb(["alice"]), crb(["alice"], "cluster-admin")),
      "rbac-cluster-admin",
    ],
    [
      "kustomization drops a resource",
      mod(
        "apps/shop/kustomization.yaml",
        "resources:\n  - web.yaml\n  - pvc.yaml\n",
        "resources:\n  - web.yaml\n",
      ),
      "resource-deleted",
    ],
    [
      "a Terraform resource is removed",
      mod(
        "infra/main.tf",
        `${tf('  ami = "x"')}resource "aws_s3_bucket" "logs" {\n  bucket = "l"\n}\n`,
        tf('  ami = "x"'),
      ),
      "terraform-resource-removed",
    ],
    [
      "a Terraform count drops",
      mod("infra/main.tf", tf("  count = 3"), tf("  count = 1")),
      "terraform-count-drop",
    ],
    [
      "prevent_destroy is dropped",
      mod(
        "infra/main.tf",
        tf("  lifecycle {\n    prevent_destroy = true\n  }"),
        tf("  lifecycle {\n    prevent_destroy = false\n  }"),
      ),
      "terraform-prevent-destroy-dropped",
    ],
    [
      "a Terraform count becomes an expression",
      mod("infra/main.tf", tf("  count = 2"), tf("  count = var.n")),
      "unclassified",
    ],
    [
      "a runbook changes (guardrail)",
      mod(".github/medic/runbooks/restart.yaml", "a: 1\n", "a: 2\n"),
      "guardrail",
    ],
    ["CODEOWNERS changes (guardrail)", mod(".github/CODEOWNERS", "* @a\n", "* @b\n"), "guardrail"],
    [
      ".github/medic.yml changes (guardrail)",
      mod(".github/medic.yml", "approval: {}\n", "{}\n"),
      "guardrail",
    ],
    ["a bundled policy changes (guardrail)", mod("policies/no-latest.yaml", "x: 1\n", "x: 2\n"), "guardrail"],
    ["broken YAML", mod("apps/shop/web.yaml", deploy(3), "kind: [\n"), "unclassified"],
    [
      "a Helm values file (not a resource)",
      mod("apps/shop/values.yaml", "replicaCount: 3\n", "replicaCount: 0\n"),
      "unclassified",
    ],
    ["an unknown file type", mod("scripts/fix.sh", "echo a\n", "rm -rf /\n"), "unclassified"],
    [
      "unreadable content",
      { path: "apps/x.yaml", status: "modified", before: null, after: "a: 1\n" },
      "unclassified",
    ],
    [
      "a manifest renamed",
      {
        path: "apps/shop/web2.yaml",
        previousPath: "apps/shop/web.yaml",
        status: "renamed",
        before: deploy(3),
        after: deploy(3),
      },
      "file-renamed",
    ],
    [
      "replicas set to a string",
      mod("apps/shop/web.yaml", deploy(3), deploy(3).replace("replicas: 3", 'replicas: "3"')),
      "unclassified",
    ],
  ])("%s", (_name, change, code) => {
    const v = classifyRisk([change], [], opts);
    expect(v.risk).toBe("destructive");
    expect(v.reasons.map((r) => r.code)).toContain(code);
    expect(v.destructivePaths).toContain(change.path);
    for (const r of v.reasons) expect(r.message.length).toBeGreaterThan(10);
  });

  it("a planned drain is destructive, without a path", () => {
    const v = classifyRisk([], [{ kind: "drain", target: "node/worker-3" }], opts);
    expect(v).toMatchObject({ risk: "destructive", destructivePaths: [] });
    expect(v.reasons).toEqual([
      { code: "imperative-step", message: "imperative step `drain` on node/worker-3 runs outside Git" },
    ]);
  });

  it("a rename lists both paths as destructive", () => {
    const v = classifyRisk(
      [{ path: "b.yaml", previousPath: "a.yaml", status: "renamed", before: deploy(1), after: deploy(1) }],
      [],
      opts,
    );
    expect(v.destructivePaths).toEqual(["a.yaml", "b.yaml"]);
  });

  it("the threshold is configurable", () => {
    const c = mod("apps/shop/web.yaml", deploy(10), deploy(7));
    expect(classifyRisk([c], [], opts).risk).toBe("safe");
    expect(classifyRisk([c], [], { replicaDropThreshold: 0.2 }).reasons[0]?.code).toBe("replicas-drop");
  });

  it("extra guardrail paths from config", () => {
    const c = mod("clusters/prod/argocd/app.yaml", deploy(1), deploy(2));
    expect(classifyRisk([c], [], opts).risk).toBe("safe");
    expect(classifyRisk([c], [], { ...opts, guardrailPaths: ["/clusters/*/argocd/"] }).reasons[0]?.code).toBe(
      "guardrail",
    );
  });
});

describe("classifyRisk: safe look-alikes", () => {
  it.each<[string, FileChange]>([
    ["an image bump", mod("apps/shop/web.yaml", deploy(3), deploy(3, "shop:1.1"))],
    ["replicas go up", mod("apps/shop/web.yaml", deploy(3), deploy(6))],
    ["replicas drop a little (4 → 3)", mod("apps/shop/web.yaml", deploy(4), deploy(3))],
    ["replicas drop exactly at the threshold (4 → 2)", mod("apps/shop/web.yaml", deploy(4), deploy(2))],
    ["replicas from 0 to 0 with another edit", mod("apps/shop/web.yaml", deploy(0), deploy(0, "shop:2"))],
    ["a PVC grows", mod("apps/shop/pvc.yaml", pvc("5Gi"), pvc("10Gi"))],
    ["a PVC rewritten in other units, same size", mod("apps/shop/pvc.yaml", pvc("1Gi"), pvc("1024Mi"))],
    ["a new Deployment", mod("apps/shop/web.yaml", null, deploy(2))],
    [
      "a new namespaced Role with no wildcard",
      mod("rbac/role.yaml", null, role("[get]").replace("ClusterRole", "Role")),
    ],
    [
      "an existing wildcard role gets a label",
      mod(
        "rbac/role.yaml",
        role('["*"]'),
        role('["*"]').replace("{name: reader}", "{name: reader, labels: {a: b}}"),
      ),
    ],
    ["RBAC narrows", mod("rbac/role.yaml", role("[get, delete]"), role("[get]"))],
    ["a ClusterRoleBinding loses a subject", mod("rbac/crb.yaml", crb(["alice", "bob"]), crb(["alice"]))],
    [
      "a namespace gets a label",
      mod("cluster/ns.yaml", ns, `${ns.trimEnd().replace("{name: shop}", "{name: shop, labels: {a: b}}")}\n`),
    ],
    [
      "documents reordered in a file",
      mod("apps/shop/all.yaml", `${deploy(3)}---\n${pvc("1Gi")}`, `${pvc("1Gi")}---\n${deploy(3)}`),
    ],
    ["a comment-only YAML edit", mod("apps/shop/web.yaml", deploy(3), `# scaled for the sale\n${deploy(3)}`)],
    [
      "kustomization adds a resource",
      mod(
        "apps/shop/kustomization.yaml",
        "resources:\n  - web.yaml\n",
        "resources:\n  - web.yaml\n  - pvc.yaml\n",
      ),
    ],
    ["Terraform count grows", mod("infra/main.tf", tf("  count = 1"), tf("  count = 3"))],
    [
      "Terraform reformatted, prevent_destroy kept",
      mod(
        "infra/main.tf",
        tf("  lifecycle { prevent_destroy = true }"),
        tf("  # keep it\n  lifecycle {\n    prevent_destroy = true\n  }"),
      ),
    ],
    [
      "Terraform: a comment mentions a removed resource",
      mod("infra/main.tf", tf('  ami = "x"'), `# resource "aws_instance" "old" {}\n${tf('  ami = "y"')}`),
    ],
    ["a README edit", mod("docs/README.md", "a\n", "b\n")],
    ["a text note edited", mod("docs/notes.txt", "a\n", "b\n")],
    ["a path that only looks like a guardrail", mod("apps/runbooks-ui/web.yaml", deploy(1), deploy(2))],
    ["a CODEOWNERS look-alike", mod("apps/CODEOWNERS.md", "a\n", "b\n")],
  ])("%s", (_name, change) => {
    const v = classifyRisk([change], [], opts);
    expect(v.reasons).toEqual([]);
    expect(v.risk).toBe("safe");
  });

  it("no changes and no steps is safe", () => {
    expect(classifyRisk([], [], opts)).toEqual({ risk: "safe", reasons: [], destructivePaths: [] });
  });
});
