import { appendDocument } from "../../manifest/append-document.js";
import { type ActionContext, type ActionResult, done, fail, need } from "./action.js";
import { findObjects, get } from "./find-in-repo.js";

/** Job templates the action knows; each is a maintenance task with a fixed command (no free-form shell). */
const TEMPLATES = ["postgresql-vacuumdb"] as const;

type Obj = Record<string, unknown>;

/**
 * Adds a one-off Job manifest next to the database's manifests. `postgresql-vacuumdb` runs
 * `vacuumdb --all --analyze` against the PostgreSQL workload that mounts `with.pvc`: it marks dead
 * tuples reusable and refreshes planner statistics (it does not shrink files — that needs VACUUM FULL,
 * which locks tables and is left to people). Only for a PostgreSQL workload; otherwise nothing to do.
 */
export function addJob(ctx: ActionContext): ActionResult {
  const namespace = need(ctx, "namespace");
  if (typeof namespace !== "string") return namespace;
  const template = ctx.input["template"] ?? "postgresql-vacuumdb";
  if (!(TEMPLATES as readonly string[]).includes(template)) {
    return fail(
      "invalid",
      `step "${ctx.step.id}": with.template "${template}" is not one of ${TEMPLATES.join(", ")}`,
    );
  }
  const pvc = need(ctx, "pvc");
  if (typeof pvc !== "string") return pvc;

  const users = ["StatefulSet", "Deployment"]
    .flatMap((k) => findObjects(ctx.files, k, namespace))
    .filter((w) =>
      asArray(get(w.object, "spec", "template", "spec", "volumes")).some(
        (v) => get(v, "persistentVolumeClaim", "claimName") === pvc,
      ),
    );
  if (users.length === 0)
    return fail("nothing-to-do", `no workload in the repository mounts PVC ${namespace}/${pvc}`);
  if (users.length > 1) {
    return fail(
      "ambiguous",
      `several workloads mount PVC ${namespace}/${pvc}`,
      users.map((u) => `${u.found.kind}/${u.found.name} (${u.found.path})`),
    );
  }
  const db = users[0]!;
  const containers = asArray(get(db.object, "spec", "template", "spec", "containers")) as Obj[];
  const pg = containers.find((c) =>
    /(^|\/)postgres(ql)?(:|@|$)|postgis|timescaledb/.test(String(c["image"] ?? "")),
  );
  if (!pg) {
    return fail(
      "nothing-to-do",
      `${db.found.kind} ${namespace}/${db.found.name} does not run a PostgreSQL image`,
    );
  }
  const env = asArray(pg["env"]) as Obj[];
  const byName = (n: string) => env.find((e) => e["name"] === n);
  const service = String(get(db.object, "spec", "serviceName") ?? db.found.name);
  const jobEnv: Obj[] = [{ name: "PGHOST", value: `${service}.${namespace}.svc.cluster.local` }];
  const user = byName("POSTGRES_USER");
  jobEnv.push(user ? { ...user, name: "PGUSER" } : { name: "PGUSER", value: "postgres" });
  const password = byName("POSTGRES_PASSWORD");
  if (password) jobEnv.push({ ...password, name: "PGPASSWORD" });

  const stamp = new Date(ctx.facts.now).toISOString().replace(/[-:]/g, "").slice(0, 13).toLowerCase();
  const jobName = `vacuumdb-${db.found.name}-${stamp}`.slice(0, 63).replace(/-+$/, "");
  const dir = db.found.path.includes("/") ? db.found.path.slice(0, db.found.path.lastIndexOf("/")) : "";
  const path = `${dir ? `${dir}/` : ""}job-${jobName}.yaml`;
  if (ctx.files.read(path) !== null) return fail("nothing-to-do", `${path} already exists`);
  if (ctx.files.read(`${dir ? `${dir}/` : ""}kustomization.yaml`) !== null) {
    return fail(
      "refused",
      `${dir}/ is a Kustomize directory: a new file there is not deployed unless listed in resources; add the Job by hand`,
    );
  }
  const job = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: jobName,
      namespace,
      labels: {
        "app.kubernetes.io/name": "vacuumdb",
        "app.kubernetes.io/instance": db.found.name,
        "app.kubernetes.io/managed-by": "gitops-medic",
        "medic.dev/runbook": ctx.runbook.id,
      },
      annotations: {
        // Argo CD must not delete a finished Job on the next sync, nor try to re-create it.
        "argocd.argoproj.io/sync-options": "Prune=false",
      },
    },
    spec: {
      backoffLimit: 1,
      activeDeadlineSeconds: 3600,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: {
          labels: { "app.kubernetes.io/name": "vacuumdb", "app.kubernetes.io/instance": db.found.name },
        },
        spec: {
          restartPolicy: "Never",
          securityContext: { runAsNonRoot: true, runAsUser: 999, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "vacuumdb",
              image: String(pg["image"]),
              command: ["vacuumdb", "--all", "--analyze", "--jobs=2", "--echo"],
              env: jobEnv,
              resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
            },
          ],
        },
      },
    },
  };
  const made = appendDocument(
    null,
    job,
    {
      comment: `Added by gitops-medic runbook ${ctx.runbook.id}: one-off VACUUM ANALYZE of ${db.found.kind} ${db.found.name}.`,
    },
    path,
  );
  if (!made.ok) return fail("refused", made.reason);
  const summary = `new Job ${namespace}/${jobName}: vacuumdb --all --analyze against ${db.found.kind} ${db.found.name}`;
  ctx.files.write(path, made.text, ctx.step.id, summary);
  return done({
    evidence: [
      {
        source: "repository",
        label: "database",
        detail: `${db.found.kind} ${namespace}/${db.found.name} (${db.found.path}) mounts PVC ${pvc} and runs ${String(pg["image"])}`,
      },
    ],
    undo: [`delete ${path} after the Job finished (the Job removes itself 24 h after completion)`],
  });
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
