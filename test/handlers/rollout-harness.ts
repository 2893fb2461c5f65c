import { readFileSync } from "node:fs";
import nock from "nock";
import type { Probot } from "probot";
import { createArgoReader } from "../../src/adapters/argo/create-argo-reader.js";
import { createClusterOperations } from "../../src/adapters/kubernetes/create-cluster-operations.js";
import { createKubernetesCluster } from "../../src/adapters/kubernetes/create-kubernetes-cluster.js";
import { kubeConfigFor } from "../../src/adapters/kubernetes/load-kube-config.js";
import type { MemoryAuditSink } from "../../src/adapters/memory/audit-sink.js";
import { formatRemediationMarker } from "../../src/core/approval/remediation-marker.js";
import type { Incident } from "../../src/core/incident/incident.js";
import { renderIncidentState } from "../../src/core/incident/incident-state.js";
import { registerRollout } from "../../src/handlers/rollout.js";
import { manualClock } from "../../src/workflows/ports/clock.js";
import type { Logger } from "../../src/workflows/ports/logger.js";
import type { Scheduler } from "../../src/workflows/ports/rollout-watch.js";
import { BOT, FakeGitHub, OWNER, REPO } from "../fixtures/github/fake-github.js";
import { testAppDeps } from "../helpers/app-deps.js";
import { webhookExample } from "../helpers/events.js";
import { createTestProbot } from "../helpers/probot.js";

// biome-ignore lint/suspicious/noExplicitAny: fixtures are free-form Kubernetes/GitHub JSON, edited in place
type Json = any;

export const K8S = "https://k8s.test:6443";
export const KEY = "KubePodCrashLooping/shop/checkout";
export const START = Date.parse("2026-11-28T00:00:00Z");
const GH = `/repos/${OWNER}/${REPO}`;

export const DEPLOYMENT = (tag: string) => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: checkout
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: checkout
          image: registry.example.com/shop/checkout:${tag}
`;

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/kubernetes/${name}`, import.meta.url), "utf8")) as Record<
    string,
    Json
  >;

/** Runs scheduled polls when the manual clock passes their time (no real waits). */
export function manualScheduler(clock: ReturnType<typeof manualClock>) {
  const queue: { at: number; fn: () => Promise<void> }[] = [];
  const scheduler: Scheduler = { after: (ms, fn) => void queue.push({ at: clock.now() + ms, fn }) };
  return {
    scheduler,
    pending: () => queue.length,
    /** Moves the clock forward in `step` increments, running every poll that falls due. */
    async advance(ms: number, step = 5_000) {
      const end = clock.now() + ms;
      for (;;) {
        await runDue();
        if (clock.now() >= end) break;
        clock.set(Math.min(end, clock.now() + step));
      }
      await runDue();
    },
  };
  async function runDue() {
    for (;;) {
      queue.sort((a, b) => a.at - b.at);
      const next = queue[0];
      if (!next || next.at > clock.now()) return;
      queue.shift();
      await next.fn();
    }
  }
}

export interface Harness {
  probot: Probot;
  fake: FakeGitHub;
  clock: ReturnType<typeof manualClock>;
  sched: ReturnType<typeof manualScheduler>;
  /** The merge SHA on main after `mergeRemediation`. */
  mergeSha: string;
  /** The merged PR's head SHA (where medic/approval ran). */
  headSha: string;
  parentSha: string;
  app: Record<string, Json>;
  rollout: Record<string, Json>;
  /** What the Kubernetes API answers instead of the objects (a status code, or "down"). */
  k8sFault: number | "down" | null;
  crdAbsent: boolean;
  deployments: {
    id: number;
    sha: string;
    task: string;
    environment: string;
    payload: unknown;
    description: string;
  }[];
  statuses: Map<number, { state: string; description: string; created_at: string }[]>;
  incident: Incident;
  incidentPatches: unknown[];
  pullCreatedAt: Map<number, string>;
  logs: { level: string; msg: string }[];
  receiveMerge(opts?: { body?: string; files?: string[]; title?: string }): Promise<void>;
  /** The command actions the handler returned (`/abort`, `/retry`, `/promote`). */
  actions: ReturnType<typeof registerRollout>;
  /** The app's audit sink the handler records to (the current process's). */
  audit: MemoryAuditSink;
  /** Lines the handler added to the incident timeline (`timeline: true`), as `repo key: text`. */
  timelineNotes: string[];
  /** A new process: a fresh Probot, scheduler and watcher memory, `INCIDENT_REPO` set (resume at start). */
  restart(): Promise<void>;
  setApp(sync: string, revision: string, health: string, rolloutPhase: string, message?: string): void;
}

/**
 * A GitOps repository in the stateful fake GitHub (plus deployments, PR files and incident issues served
 * here), an Argo CD Application and Rollout served by a nock Kubernetes API, and the rollout handler
 * registered on a test Probot with a manual clock and scheduler.
 */
export async function createRolloutHarness(
  opts: {
    files?: Record<string, string>;
    mergeFiles?: Record<string, string>;
    /** Team memberships served at `GET /orgs/{org}/teams/{team}/memberships/{login}` (`org/team/login`). */
    members?: string[];
    /** Give the handler an incident-timeline writer (its lines land in `timelineNotes`). */
    timeline?: boolean;
  } = {},
): Promise<Harness> {
  nock.disableNetConnect();
  const fake = new FakeGitHub(
    opts.files ?? { "apps/checkout/rollout.yaml": DEPLOYMENT("1.4.1"), "README.md": "# gitops\n" },
  );
  const parentSha = fake.refs.get("main")!;
  const mergeSha = fake.pushAsHuman(
    "main",
    opts.mergeFiles ?? { "apps/checkout/rollout.yaml": DEPLOYMENT("1.4.2") },
    "Merger",
  );
  const clock = manualClock(START);
  const sched = manualScheduler(clock);
  const logs: { level: string; msg: string }[] = [];
  const log = (level: string) => (_o: object, msg: string) => void logs.push({ level, msg });
  const logger = {
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
  } as unknown as Logger;

  const h: Harness = {
    probot: createTestProbot(),
    fake,
    clock,
    sched,
    mergeSha,
    headSha: "b".repeat(40),
    parentSha,
    app: fixture("application.checkout.degraded.json"),
    rollout: fixture("rollout.checkout.degraded.json"),
    k8sFault: null,
    crdAbsent: false,
    deployments: [],
    statuses: new Map(),
    incident: {
      key: KEY,
      title: "KubePodCrashLooping shop/checkout",
      severity: "warning",
      status: "firing",
      signals: [],
      labels: { alertname: "KubePodCrashLooping", namespace: "shop" },
      startsAt: "2026-11-27T23:40:00Z",
      openedAt: "2026-11-27T23:41:00Z",
    },
    incidentPatches: [],
    pullCreatedAt: new Map(),
    logs,
    async receiveMerge(o = {}) {
      const payload = webhookExample<Record<string, Json>>("pull_request", "closed");
      payload["number"] = 7;
      Object.assign(payload["pull_request"], {
        number: 7,
        merged: true,
        merge_commit_sha: mergeSha,
        title: o.title ?? "fix(checkout): roll back image to 1.4.2",
        body:
          o.body ??
          `Remediation\n${formatRemediationMarker({ incidentKey: KEY, runbook: "crashloop-rollback", requester: null, planHash: "sha256:abcdef0123456789" })}\n`,
        user: { login: BOT.login, type: "Bot" },
        head: { ...payload["pull_request"].head, sha: this.headSha },
      });
      Object.assign(payload["repository"], {
        name: REPO,
        full_name: `${OWNER}/${REPO}`,
        html_url: `https://github.com/${OWNER}/${REPO}`,
        default_branch: "main",
        owner: { ...payload["repository"].owner, login: OWNER },
      });
      this.mergeFilesList = o.files ?? ["apps/checkout/rollout.yaml"];
      await this.probot.receive({ name: "pull_request", id: `d-${Math.random()}`, payload } as never);
    },
    setApp(sync, revision, health, rolloutPhase, message) {
      this.app["status"].sync = { status: sync, revision };
      this.app["status"].health = { status: health, ...(message ? { message } : {}) };
      this.app["status"].summary = {
        images: [`registry.example.com/shop/checkout:${revision === mergeSha ? "1.4.2" : "1.4.1"}`],
      };
      this.rollout["status"] = { phase: rolloutPhase, ...(message ? { message } : {}) };
    },
    mergeFilesList: [] as string[],
    restart: async () => {},
    actions: undefined as unknown as ReturnType<typeof registerRollout>,
    audit: undefined as unknown as MemoryAuditSink,
    timelineNotes: [] as string[],
  } as Harness & { mergeFilesList: string[] };
  // Before the merge: Argo CD runs the parent revision, Healthy.
  h.setApp("Synced", parentSha, "Healthy", "Healthy");

  // Callback form: an error passed to `cb` is a connection failure (API down) as the client sees it.
  const k8sReply =
    (body: () => nock.Body) =>
    (
      _uri: string,
      _body: unknown,
      cb: (err: NodeJS.ErrnoException | null, res: nock.ReplyFnResult) => void,
    ) => {
      if (h.k8sFault === "down")
        return cb(Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:6443"), { code: "ECONNREFUSED" }), [
          0,
          "",
        ]);
      if (typeof h.k8sFault === "number") return cb(null, [h.k8sFault, { kind: "Status", code: h.k8sFault }]);
      cb(null, [200, body()]);
    };
  nock(K8S)
    .persist()
    .get("/apis/argoproj.io/v1alpha1/applications")
    .query(true)
    .reply((uri, body, cb) => {
      if (h.crdAbsent) return cb(null, [404, { kind: "Status", code: 404, reason: "NotFound" }]);
      k8sReply(() => ({ metadata: { resourceVersion: "1" }, items: [structuredClone(h.app)] }))(
        uri,
        body,
        cb,
      );
    })
    .get("/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/checkout")
    .reply(k8sReply(() => structuredClone(h.app)))
    .get("/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/checkout")
    .reply(k8sReply(() => structuredClone(h.rollout)));

  // GitHub endpoints the fake does not serve: deployments, PR files, commit statuses, incident issues.
  const iso = () => new Date(clock.now()).toISOString();
  const gh = nock("https://api.github.com").persist();
  gh.get(`${GH}/deployments`)
    .query(true)
    .reply((uri) => {
      const q = new URL(uri, "https://api.github.com").searchParams;
      const list = h.deployments
        .filter(
          (d) => (!q.get("sha") || d.sha === q.get("sha")) && (!q.get("task") || d.task === q.get("task")),
        )
        .reverse();
      return [200, list.map((d) => ({ ...d, created_at: iso() }))];
    });
  gh.post(`${GH}/deployments`).reply((_uri, body) => {
    const b = body as Record<string, Json>;
    const d = {
      id: 900 + h.deployments.length,
      sha: b["ref"],
      task: b["task"],
      environment: b["environment"],
      payload: b["payload"],
      description: b["description"],
    };
    h.deployments.push(d);
    h.statuses.set(d.id, []);
    return [201, { ...d, created_at: iso() }];
  });
  gh.get(/\/deployments\/\d+\/statuses/)
    .query(true)
    .reply((uri) => {
      const id = Number(/deployments\/(\d+)/.exec(uri)![1]);
      return [200, [...(h.statuses.get(id) ?? [])].reverse()];
    });
  gh.post(/\/deployments\/\d+\/statuses/).reply((uri, body) => {
    const id = Number(/deployments\/(\d+)/.exec(uri)![1]);
    const b = body as Record<string, string>;
    h.statuses.get(id)!.push({ state: b["state"]!, description: b["description"]!, created_at: iso() });
    return [201, { id: 1, state: b["state"] }];
  });
  gh.get(/\/pulls\/\d+\/files/)
    .query(true)
    .reply(() => [
      200,
      (h as unknown as { mergeFilesList: string[] }).mergeFilesList.map((filename) => ({
        filename,
        status: "modified",
      })),
    ]);
  gh.get(new RegExp(`${GH}/commits/[0-9a-f]{40}/statuses`))
    .query(true)
    .reply(200, []);
  gh.get(`${GH}/issues`)
    .query((q) => q["labels"] === "incident")
    .reply(() => [
      200,
      h.incidentPatches.some((p) => (p as { state?: string }).state === "closed")
        ? []
        : [
            {
              number: 42,
              html_url: `https://github.com/${OWNER}/${REPO}/issues/42`,
              state: "open",
              body: `<!-- medic:incident ${KEY} -->\n${renderIncidentState(h.incident)}\n`,
              labels: [{ name: "incident" }],
              user: { login: BOT.login, type: "Bot" },
            },
          ],
    ]);
  gh.patch(`${GH}/issues/42`).reply((_u, body) => {
    h.incidentPatches.push(body);
    return [200, { number: 42 }];
  });
  // Revert history lists all PRs with their creation time; the fake records no times, so they are kept here.
  gh.get(`${GH}/pulls`)
    .query((q) => q["state"] === "all")
    .reply(() => [
      200,
      [...fake.pulls].reverse().map((p) => ({
        number: p.number,
        head: { ref: p.head },
        user: { login: p.user, type: "Bot" },
        body: p.body,
        created_at: h.pullCreatedAt.get(p.number) ?? iso(),
      })),
    ]);
  gh.get(/^\/orgs\/[^/]+\/teams\/[^/]+\/memberships\/[^/]+$/).reply((uri) => {
    const [, org, team, login] = /\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)/.exec(uri)!;
    return (opts.members ?? []).includes(`${org}/${team}/${login}`)
      ? [200, { state: "active", role: "member" }]
      : [404, { message: "Not Found" }];
  });
  fake.install();
  fake.openIssue(42);

  const load = async (rawEnv: Record<string, string>) => {
    const deps = testAppDeps({ clock, logger, rawEnv });
    h.audit = deps.auditSink;
    await h.probot.load((app) => {
      h.actions = registerRollout(app, deps, {
        argo: createArgoReader(kubeConfigFor(K8S), { logger }),
        ops: createClusterOperations(kubeConfigFor(K8S)),
        cluster: createKubernetesCluster(kubeConfigFor(K8S), { logger }),
        scheduler: h.sched.scheduler,
        pollIntervalMs: 10_000,
        ...(opts.timeline
          ? {
              appendTimeline: async (key: string, note: { kind: string; text: string }, repo: string) => {
                h.timelineNotes.push(`${repo} ${key} ${note.kind}: ${note.text}`);
              },
            }
          : {}),
      });
    });
  };
  h.restart = async () => {
    h.probot = createTestProbot();
    h.sched = manualScheduler(clock);
    await load({ INCIDENT_REPO: `${OWNER}/${REPO}` });
  };
  await load({});
  return h;
}

/** Descriptions of the statuses of the one deployment, oldest first. */
export function statusLines(h: Harness): string[] {
  const d = h.deployments[0];
  return d ? (h.statuses.get(d.id) ?? []).map((s) => `${s.state}: ${s.description}`) : [];
}
