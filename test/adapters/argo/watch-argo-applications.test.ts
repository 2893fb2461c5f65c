import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createArgoReader } from "../../../src/adapters/argo/create-argo-reader.js";
import { watchArgoApplications } from "../../../src/adapters/argo/watch-argo-applications.js";
import { kubeConfigFor } from "../../../src/adapters/kubernetes/load-kube-config.js";
import type { Logger } from "../../../src/workflows/ports/logger.js";
import { ClusterFault, type Scheduler } from "../../../src/workflows/ports/rollout-watch.js";

const API = "https://k8s.test:6443";
const APPS = "/apis/argoproj.io/v1alpha1/applications";
const app = JSON.parse(
  readFileSync(
    new URL("../../fixtures/kubernetes/application.checkout.degraded.json", import.meta.url),
    "utf8",
  ),
) as { metadata: Record<string, unknown> };
const withRv = (rv: string, health: string) => ({
  ...app,
  metadata: { ...app.metadata, resourceVersion: rv },
  status: { health: { status: health } },
});

function recordingLogger() {
  const lines: { level: string; msg: string }[] = [];
  const log = (level: string) => (_o: object, msg: string) => lines.push({ level, msg });
  const logger = {
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
  } as unknown as Logger;
  return { logger, lines };
}

/** Runs scheduled work on the next macrotask, ignoring the delay, at most `limit` times (no real waits). */
function fastScheduler(limit = 20): Scheduler & { runs: number[] } {
  const runs: number[] = [];
  return {
    runs,
    after(ms, fn) {
      if (runs.length >= limit) return;
      runs.push(ms);
      setImmediate(() => void fn());
    },
  };
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 5));
  }
};

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("watchArgoApplications", () => {
  it("lists, watches from the list's resourceVersion, and relists after an ERROR 410 event", async () => {
    const events: string[] = [];
    const scope = nock(API)
      .get(APPS)
      .reply(200, { metadata: { resourceVersion: "100" }, items: [withRv("90", "Progressing")] })
      .get(APPS)
      .query({ watch: "true", resourceVersion: "100", allowWatchBookmarks: "true" })
      .reply(
        200,
        [
          JSON.stringify({ type: "MODIFIED", object: withRv("101", "Degraded") }),
          JSON.stringify({
            type: "ERROR",
            object: {
              kind: "Status",
              apiVersion: "v1",
              status: "Failure",
              message: "too old resource version: 100 (250)",
              reason: "Expired",
              code: 410,
            },
          }),
          "",
        ].join("\n"),
      )
      .get(APPS)
      .reply(200, { metadata: { resourceVersion: "250" }, items: [withRv("249", "Healthy")] })
      .get(APPS)
      .query({ watch: "true", resourceVersion: "250", allowWatchBookmarks: "true" })
      .reply(200, `${JSON.stringify({ type: "MODIFIED", object: withRv("251", "Healthy") })}\n`);
    const { logger, lines } = recordingLogger();
    let listed = 0;
    const w = watchArgoApplications(kubeConfigFor(API), {
      logger,
      scheduler: fastScheduler(6),
      onEvent: (type, a) => events.push(`${type} ${a.metadata.resourceVersion} ${a.status.health?.status}`),
      onList: () => listed++,
    });
    await until(() => events.length === 2 && scope.isDone());
    w.stop();
    expect(events).toEqual(["MODIFIED 101 Degraded", "MODIFIED 251 Healthy"]);
    expect(listed).toBe(2);
    expect(lines.some((l) => l.msg.includes("410 Gone"))).toBe(true);
  });

  it("a 410 answer to the watch request itself also relists", async () => {
    const scope = nock(API)
      .get(APPS)
      .reply(200, { metadata: { resourceVersion: "5" }, items: [] })
      .get(APPS)
      .query(true)
      .reply(410, { kind: "Status", code: 410, reason: "Gone" })
      .get(APPS)
      .reply(200, { metadata: { resourceVersion: "9" }, items: [] })
      .get(APPS)
      .query({ watch: "true", resourceVersion: "9", allowWatchBookmarks: "true" })
      .reply(200, "");
    const w = watchArgoApplications(kubeConfigFor(API), {
      logger: recordingLogger().logger,
      scheduler: fastScheduler(4),
      onEvent: () => {},
    });
    await until(() => scope.isDone() && w.lists() === 2);
    w.stop();
  });

  it("CRDs absent (404 on the group) ⇒ disabled with one clear log line, no retries", async () => {
    const scope = nock(API).get(APPS).reply(404, {
      kind: "Status",
      code: 404,
      reason: "NotFound",
      message: "the server could not find the requested resource",
    });
    const { logger, lines } = recordingLogger();
    const sched = fastScheduler();
    const w = watchArgoApplications(kubeConfigFor(API), { logger, scheduler: sched, onEvent: () => {} });
    await until(() => w.status() === "disabled");
    expect(scope.isDone()).toBe(true);
    expect(lines.filter((l) => l.level === "warn")).toEqual([
      { level: "warn", msg: "Argo CD CRDs (applications.argoproj.io) absent: rollout watching disabled" },
    ]);
    expect(sched.runs).toEqual([0]);
  });

  it.each([
    [403, "forbidden"],
    [429, "throttled"],
    [500, "unreachable"],
  ])("list answered %i ⇒ backs off (doubling) and keeps running", async (status) => {
    nock(API).get(APPS).times(3).reply(status, { kind: "Status", code: status });
    const sched = fastScheduler(4);
    const w = watchArgoApplications(kubeConfigFor(API), {
      logger: recordingLogger().logger,
      scheduler: sched,
      backoffMs: 1000,
      onEvent: () => {},
    });
    await until(() => sched.runs.length === 4);
    expect(sched.runs).toEqual([0, 1000, 2000, 4000]);
    expect(w.status()).toBe("running");
    w.stop();
  });
});

describe("createArgoReader", () => {
  it("reads an Application and a Rollout, null for a missing one", async () => {
    const scope = nock(API)
      .get("/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/checkout")
      .reply(200, app)
      .get("/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/checkout")
      .reply(
        200,
        JSON.parse(
          readFileSync(
            new URL("../../fixtures/kubernetes/rollout.checkout.degraded.json", import.meta.url),
            "utf8",
          ),
        ),
      )
      .get("/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/gone")
      .reply(404, { kind: "Status", code: 404 });
    const r = createArgoReader(kubeConfigFor(API), { logger: recordingLogger().logger });
    expect((await r.getApplication("argocd", "checkout"))?.status.health?.status).toBe("Degraded");
    const ro = await r.getRollout("shop", "checkout");
    expect(ro?.status).toMatchObject({
      phase: "Degraded",
      message: "RolloutAborted: Rollout aborted update to revision 3",
      abort: true,
    });
    expect(await r.getRollout("shop", "gone")).toBeNull();
    expect(scope.isDone()).toBe(true);
  });

  it("CRDs absent ⇒ crd-absent fault on every list, logged once", async () => {
    nock(API).get(APPS).query(true).times(2).reply(404, { kind: "Status", code: 404 });
    const { logger, lines } = recordingLogger();
    const r = createArgoReader(kubeConfigFor(API), { logger });
    for (let i = 0; i < 2; i++) {
      const err = await r.listApplications().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClusterFault);
      expect((err as ClusterFault).kind).toBe("crd-absent");
    }
    expect(lines.filter((l) => l.msg.includes("absent"))).toHaveLength(1);
  });

  it("pages Applications with continue tokens", async () => {
    const scope = nock(API)
      .get(APPS)
      .query({ limit: "500" })
      .reply(200, { metadata: { continue: "tok" }, items: [app] })
      .get(APPS)
      .query({ limit: "500", continue: "tok" })
      .reply(200, { metadata: {}, items: [withRv("2", "Healthy")] });
    const r = createArgoReader(kubeConfigFor(API), { logger: recordingLogger().logger });
    expect(await r.listApplications()).toHaveLength(2);
    expect(scope.isDone()).toBe(true);
  });
});
