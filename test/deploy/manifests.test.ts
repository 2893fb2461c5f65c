import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parseYaml } from "../../src/core/yaml/parse-yaml.js";

// The manifests cannot be applied here (no cluster); this reads them the way the API server would
// judge them for what matters to us: probes, non-root, resources, and RBAC verbs exactly as intended.

const root = join(import.meta.dirname, "../..");
const deployDir = join(root, "deploy");

// Manifests are untyped trees; the assertions below are the schema.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Obj = Record<string, any>;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

function load(file: string): unknown[] {
  const res = parseYaml(readFileSync(file, "utf8"), relative(root, file));
  if (!res.ok) throw new Error(`${res.error.file}:${res.error.line ?? "?"} ${res.error.message}`);
  return res.documents.map((d) => d.value).filter((v) => v !== null);
}

/** Resources of a kustomization (and of its components), following relative paths like kustomize. */
function build(dir: string): Obj[] {
  const [k] = load(
    join(dir, existsSync(join(dir, "kustomization.yaml")) ? "kustomization.yaml" : "kustomization.yml"),
  ) as Obj[];
  const out: Obj[] = [];
  for (const r of [...(k!.resources ?? []), ...(k!.components ?? [])] as string[]) {
    const p = join(dir, r);
    if (!existsSync(p)) throw new Error(`${relative(root, dir)}/kustomization.yaml: ${r} does not exist`);
    out.push(...(statSync(p).isDirectory() ? build(p) : (load(p) as Obj[])));
  }
  for (const patch of (k!.patches ?? []) as { path: string }[]) {
    expect(existsSync(join(dir, patch.path)), `${relative(root, dir)}: patch ${patch.path}`).toBe(true);
  }
  return out;
}

const find = (objs: Obj[], kind: string, name: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata?.name === name);
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o;
};

/** RBAC rules flattened to "group/resource" → sorted verbs. */
function rulesTable(role: Obj): Record<string, string[]> {
  const t: Record<string, string[]> = {};
  for (const rule of role.rules as Obj[]) {
    for (const g of rule.apiGroups as string[]) {
      for (const r of rule.resources as string[])
        t[`${g || "core"}/${r}`] = [...(rule.verbs as string[])].sort();
    }
  }
  return t;
}

const base = build(join(deployDir, "base"));
const ha = build(join(deployDir, "overlays/ha-redis"));
const single = build(join(deployDir, "overlays/single-replica"));

describe("deploy/ manifests", () => {
  it.each(yamlFiles(deployDir).map((f) => [relative(root, f), f]))("%s parses", (_n, f) => {
    expect(load(f).length).toBeGreaterThan(0);
  });

  it("the base has the kinds a running bot needs", () => {
    expect(base.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      [
        "ClusterRole/gitops-medic-read",
        "ClusterRoleBinding/gitops-medic-read",
        "ConfigMap/gitops-medic",
        "Deployment/gitops-medic",
        "Namespace/gitops-medic",
        "NetworkPolicy/gitops-medic",
        "PodDisruptionBudget/gitops-medic",
        "Service/gitops-medic",
        "ServiceAccount/gitops-medic",
      ].sort(),
    );
    expect(single.length).toBe(base.length);
  });

  const bot = find(base, "Deployment", "gitops-medic");
  const pod = bot.spec.template.spec;
  const container = pod.containers[0];

  it("probes /healthz (startup, liveness) and /readyz (readiness) on the container's http port", () => {
    expect(container.ports).toContainEqual({ name: "http", containerPort: 3000, protocol: "TCP" });
    expect(container.startupProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
  });

  it.each([
    ["the bot", bot],
    ["Redis", find(ha, "Deployment", "gitops-medic-redis")],
  ])("%s runs as non-root with a read-only root, no privilege escalation, no capabilities", (_n, dep) => {
    const spec = dep.spec.template.spec;
    expect(spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
    for (const c of spec.containers) {
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      });
      expect(c.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(c.resources.limits).toMatchObject({ memory: expect.any(String) });
    }
  });

  it("uses its service account, reads config and secrets from outside Git, and writes only to /tmp", () => {
    expect(pod.serviceAccountName).toBe("gitops-medic");
    expect(container.envFrom).toEqual([
      { configMapRef: { name: "gitops-medic" } },
      { secretRef: { name: "gitops-medic" } },
    ]);
    expect(base.some((o) => o.kind === "Secret")).toBe(false);
    expect(container.volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
    // preStop sleep + `medic serve`'s 25 s drain bound must fit in the grace period.
    const preStop = Number(container.lifecycle.preStop.exec.command[1]);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStop + 25);
  });

  it("selectors of the Deployment, Service, PDB and NetworkPolicy all match the bot's pods", () => {
    const labels = bot.spec.template.metadata.labels;
    const matches = (sel: Obj) => Object.entries(sel).every(([k, v]) => labels[k] === v);
    expect(matches(bot.spec.selector.matchLabels)).toBe(true);
    expect(matches(find(base, "Service", "gitops-medic").spec.selector)).toBe(true);
    expect(matches(find(base, "PodDisruptionBudget", "gitops-medic").spec.selector.matchLabels)).toBe(true);
    expect(matches(find(base, "NetworkPolicy", "gitops-medic").spec.podSelector.matchLabels)).toBe(true);
    expect(find(base, "Service", "gitops-medic").spec.ports[0].targetPort).toBe("http");
    // One replica must still be drainable: maxUnavailable, never minAvailable equal to the replicas.
    expect(find(base, "PodDisruptionBudget", "gitops-medic").spec).toMatchObject({ maxUnavailable: 1 });
  });

  it("the read-only ClusterRole lists exactly the resources diagnosis reads, with get/list/watch only", () => {
    const read = ["get", "list", "watch"];
    expect(rulesTable(find(base, "ClusterRole", "gitops-medic-read"))).toEqual({
      "core/pods": read,
      "core/pods/log": read,
      "core/events": read,
      "core/nodes": read,
      "core/persistentvolumeclaims": read,
      "storage.k8s.io/storageclasses": read,
      "apps/replicasets": read,
      "apps/deployments": read,
      "apps/statefulsets": read,
      "apps/daemonsets": read,
      "argoproj.io/applications": read,
      "argoproj.io/rollouts": read,
    });
  });

  it("the opt-in remediation ClusterRole grants one verb per imperative step and nothing else", () => {
    const role = find(ha, "ClusterRole", "gitops-medic-remediate");
    expect(rulesTable(role)).toEqual({
      "core/nodes": ["patch"],
      "core/pods/eviction": ["create"],
      "apps/deployments": ["patch"],
      "apps/statefulsets": ["patch"],
      "apps/daemonsets": ["patch"],
      "argoproj.io/rollouts": ["patch"],
      "argoproj.io/rollouts/status": ["patch"],
    });
    expect(base.some((o) => o.metadata.name === "gitops-medic-remediate")).toBe(false);
  });

  it("no role anywhere uses wildcards or touches secrets", () => {
    for (const role of ha.filter((o) => o.kind === "ClusterRole" || o.kind === "Role")) {
      for (const rule of role.rules) {
        expect([...rule.verbs, ...rule.resources, ...rule.apiGroups]).not.toContain("*");
        expect(rule.resources).not.toContain("secrets");
      }
    }
  });

  it("every binding points at a role and the bot's service account that exist", () => {
    for (const b of ha.filter((o) => o.kind === "ClusterRoleBinding")) {
      expect(find(ha, b.roleRef.kind, b.roleRef.name)).toBeDefined();
      expect(b.subjects).toEqual([
        { kind: "ServiceAccount", name: "gitops-medic", namespace: "gitops-medic" },
      ]);
    }
  });

  it("the ha-redis overlay runs three replicas with REDIS_URL built from the Redis secret", () => {
    const k = load(join(deployDir, "overlays/ha-redis/kustomization.yaml"))[0] as Obj;
    expect(k.replicas).toEqual([{ name: "gitops-medic", count: 3 }]);
    const patch = load(join(deployDir, "components/redis/bot-redis-env.yaml"))[0] as Obj[];
    const names = patch.map((op) => op.value.name);
    // $(REDIS_PASSWORD) only expands when the variable comes earlier in the list.
    expect(names).toEqual(["REDIS_PASSWORD", "REDIS_URL"]);
    expect(patch[1]!.value.value).toBe("redis://:$(REDIS_PASSWORD)@gitops-medic-redis:6379/0");
    const svc = find(ha, "Service", "gitops-medic-redis");
    expect(svc.spec.ports[0].port).toBe(6379);
    const redisPolicy = find(ha, "NetworkPolicy", "gitops-medic-redis");
    expect(redisPolicy.spec.ingress[0].from[0].podSelector.matchLabels).toEqual(
      bot.spec.template.metadata.labels,
    );
    const args = find(ha, "Deployment", "gitops-medic-redis").spec.template.spec.containers[0]
      .args as string[];
    expect(args.slice(args.indexOf("--maxmemory-policy"), args.indexOf("--maxmemory-policy") + 2)).toEqual([
      "--maxmemory-policy",
      "noeviction",
    ]);
  });
});

describe("Dockerfile", () => {
  const text = readFileSync(join(root, "Dockerfile"), "utf8");
  const lines = text.split("\n").filter((l) => !l.trim().startsWith("#"));
  const from = lines.filter((l) => l.startsWith("FROM "));

  it("builds in one stage and runs from a second, both on Node 20 bookworm-slim", () => {
    expect(from).toEqual(["FROM node:20-bookworm-slim AS build", "FROM node:20-bookworm-slim AS runtime"]);
  });

  it("installs only production dependencies, without lifecycle scripts, in the runtime stage", () => {
    const runtime = lines.slice(lines.indexOf(from[1]!)).join("\n");
    expect(runtime).toContain("npm ci --omit=dev --ignore-scripts");
    expect(runtime).toContain("COPY --from=build /app/dist ./dist");
    expect(runtime).not.toMatch(/COPY (src|test|node_modules)\b/);
    for (const dir of ["bin", "runbooks", "policies", "templates"]) {
      expect(runtime).toContain(`COPY ${dir} ./${dir}`);
      expect(existsSync(join(root, dir)), dir).toBe(true);
    }
  });

  it("runs as a numeric non-root user and starts `medic serve`", () => {
    const user = lines.filter((l) => l.startsWith("USER ")).at(-1);
    expect(user).toMatch(/^USER [1-9]\d*:[1-9]\d*$/);
    expect(lines.filter((l) => l.startsWith("CMD ")).at(-1)).toBe('CMD ["node", "bin/medic.js", "serve"]');
  });

  it(".dockerignore keeps secrets, git history and local builds out of the context", () => {
    const ignored = readFileSync(join(root, ".dockerignore"), "utf8").split("\n");
    for (const p of [".git", "node_modules", "dist", ".env", "*.pem", "test"]) expect(ignored).toContain(p);
  });
});

describe("examples/alertmanager/alertmanager.yml", () => {
  const [config] = load(join(root, "examples/alertmanager/alertmanager.yml")) as Obj[];

  it("sends firing and resolved alerts to the bot with a bearer token read from a file", () => {
    const receiver = (config!.receivers as Obj[]).find((r) => r.name === "gitops-medic")!;
    expect(receiver.webhook_configs).toHaveLength(1);
    const hook = receiver.webhook_configs[0];
    expect(hook.url).toMatch(/^http:\/\/gitops-medic\.gitops-medic\.svc\.cluster\.local\/alertmanager$/);
    expect(hook.send_resolved).toBe(true);
    expect(hook.http_config.authorization).toEqual({
      type: "Bearer",
      credentials_file: "/etc/alertmanager/secrets/gitops-medic/token",
    });
    expect(hook.http_config.authorization.credentials).toBeUndefined();
  });

  it("routes the alerts that have runbooks to the bot and keeps them flowing to other receivers", () => {
    const route = (config!.route.routes as Obj[]).find((r) => r.receiver === "gitops-medic")!;
    expect(route.continue).toBe(true);
    expect(config!.route.receiver).not.toBe("gitops-medic");
  });
});
