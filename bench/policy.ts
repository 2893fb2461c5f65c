// `npm run bench -- policy`: 10,000 resources in one tree × the bundled policies. Evaluation time is reported
// as a ratio to the time of parsing the same YAML in the same run (target ≤ 2), with peak RSS.
import { readdirSync, readFileSync } from "node:fs";
import { compilePolicies } from "../src/core/policy/evaluate-policies.js";
import { loadPolicies, type TextFile } from "../src/core/policy/load-policies.js";
import { loadResources, type PolicyResource } from "../src/core/policy/load-resources.js";
import { selectPolicies } from "../src/core/policy/select-policies.js";
import { parseYaml } from "../src/core/yaml/parse-yaml.js";

const RESOURCES = 10_000;
const PER_FILE = 10;

const containers = (i: number, indent: string) => {
  const image =
    i % 7 === 0
      ? "nginx:latest"
      : i % 5 === 0
        ? "ghcr.io/acme/web@sha256:0123456789abcdef"
        : `ghcr.io/acme/app-${i}:1.${i % 9}.0`;
  const probes =
    i % 4 === 0
      ? ""
      : `\n${indent}  livenessProbe:\n${indent}    httpGet: { path: /healthz, port: 8080 }\n${indent}  readinessProbe:\n${indent}    httpGet: { path: /ready, port: 8080 }`;
  const resources =
    i % 6 === 0
      ? ""
      : `\n${indent}  resources:\n${indent}    requests: { cpu: 100m, memory: 128Mi }\n${indent}    limits: { memory: 256Mi }`;
  const sc = i % 11 === 0 ? `\n${indent}  securityContext:\n${indent}    privileged: true` : "";
  return `${indent}- name: app\n${indent}  image: ${image}${probes}${resources}${sc}\n${indent}- name: sidecar\n${indent}  image: ghcr.io/acme/envoy:1.30.${i % 3}${resources}`;
};

function resource(i: number): string {
  const ns = `team-${i % 20}`;
  const labels = i % 3 === 0 ? "" : `\n  labels:\n    team: t${i % 20}\n    app.kubernetes.io/name: app-${i}`;
  switch (i % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
      return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: ${ns}${labels}\nspec:\n  replicas: ${i % 60}\n  selector:\n    matchLabels: { app: app-${i} }\n  template:\n    metadata:\n      labels: { app: app-${i} }\n    spec:${i % 13 === 0 ? "\n      hostNetwork: true" : ""}\n      containers:\n${containers(i, "        ")}\n`;
    case 4:
      return `apiVersion: v1\nkind: Service\nmetadata:\n  name: app-${i}\n  namespace: ${ns}${labels}\nspec:\n  selector: { app: app-${i} }\n  ports:\n    - port: 80\n      targetPort: 8080\n`;
    case 5:
      return `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db-${i}\n  namespace: ${ns}${labels}\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n${containers(i, "        ")}\n  volumeClaimTemplates:\n    - metadata: { name: data }\n      spec:\n        resources:\n          requests: { storage: ${i % 4 === 0 ? "1Ti" : "100Gi"} }\n`;
    case 6:
      return `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: job-${i}\n  namespace: ${ns}${labels}\nspec:\n  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n${containers(i, "            ")}\n`;
    case 7:
      return `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: pvc-${i}\n  namespace: ${ns}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: ${i % 3 === 0 ? "600Gi" : "20Gi"}\n`;
    case 8:
      return `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: hpa-${i}\n  namespace: ${ns}\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: app-${i} }\n  minReplicas: 2\n  maxReplicas: ${i % 2 === 0 ? 80 : 20}\n`;
    default:
      return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-${i}\n  namespace: ${ns}\ndata:\n  LOG_LEVEL: info\n  FEATURE_X: "true"\n`;
  }
}

function generateTree(): TextFile[] {
  const files: TextFile[] = [];
  for (let f = 0; f < RESOURCES / PER_FILE; f++) {
    const docs = Array.from({ length: PER_FILE }, (_, k) => resource(f * PER_FILE + k));
    files.push({ file: `clusters/prod/team-${f % 20}/app-${f}.yaml`, text: docs.join("---\n") });
  }
  return files;
}

function bundledPolicies() {
  const dir = new URL("../policies/", import.meta.url);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => ({ file: `policies/${f}`, text: readFileSync(new URL(f, dir), "utf8") }));
  const loaded = loadPolicies(files);
  if (loaded.errors.length > 0) throw new Error(`bundled policies invalid: ${JSON.stringify(loaded.errors)}`);
  // Every bundled policy on, the registry list set as a repository would.
  return selectPolicies(loaded.policies, [], { allowedRegistries: ["ghcr.io/acme"], disabledPolicies: [] })
    .policies;
}

export async function run(): Promise<string> {
  const files = generateTree();
  const policies = bundledPolicies();
  const rounds = 3;
  let parseMs = Number.POSITIVE_INFINITY;
  let evalMs = Number.POSITIVE_INFINITY;
  let evaluations = 0;
  let resources: PolicyResource[] = [];
  // Best of three rounds for both sides, so a GC pause or JIT warm-up does not decide the ratio.
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    const parsed = files.map((f) => {
      const r = parseYaml(f.text, f.file);
      if (!r.ok) throw new Error(r.error.message);
      return { f, r };
    });
    parseMs = Math.min(parseMs, performance.now() - t0);
    resources = parsed.flatMap(({ f, r }) => loadResources(r.documents, f.file, r.lineCounter));
    const t1 = performance.now();
    const out = compilePolicies(policies).evaluate(resources);
    evalMs = Math.min(evalMs, performance.now() - t1);
    evaluations = out.length;
    process.stderr.write(
      `policy bench round ${round + 1}: parse ${Math.round(performance.now() - t0)} ms total, ${out.length} evaluations\n`,
    );
  }
  if (resources.length !== RESOURCES)
    throw new Error(`expected ${RESOURCES} resources, got ${resources.length}`);
  process.stderr.write(`policy bench: ${files.length} files, ${evaluations} evaluations\n`);
  const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const ratio = (evalMs / parseMs).toFixed(2);
  return `policy: resources=${resources.length} policies=${policies.length} parse_ms=${Math.round(parseMs)} eval_ms=${Math.round(evalMs)} ratio=${ratio} rss_mb=${rssMb}`;
}
