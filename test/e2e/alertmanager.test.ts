import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryDeliveryDedupe } from "../../src/adapters/memory/create-memory-delivery-dedupe.js";
import { createMemoryKeyedLock } from "../../src/adapters/memory/create-memory-keyed-lock.js";
import { createMemoryWriteBudget } from "../../src/adapters/memory/create-memory-write-budget.js";
import { parseEnvConfig } from "../../src/core/config/env-config.js";
import { parseIncidentState } from "../../src/core/incident/incident-state.js";
import { parseMarker } from "../../src/core/markdown/parse-marker.js";
import { type RunningServer, startServer } from "../../src/server/start-server.js";
import { systemClock } from "../../src/workflows/ports/clock.js";
import { TestOctokit, testLogger, testPrivateKey } from "../helpers/probot.js";

// Debian's package (CI installs it: apt-get install -y prometheus-alertmanager); override with ALERTMANAGER_BIN.
const BIN = process.env["ALERTMANAGER_BIN"] ?? "/usr/bin/prometheus-alertmanager";
const TOKEN = "e2e-alertmanager-token-0123456789abcdef";
const GH = "https://api.github.com";
const REPO = "/repos/acme/incidents";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(
  what: string,
  fn: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("end to end with a real Alertmanager", () => {
  let server: RunningServer | undefined;
  let am: ChildProcess | undefined;
  let amLog = "";
  let dir = "";
  let amUrl = "";
  const created: Record<string, unknown>[] = [];
  const patches: Record<string, unknown>[] = [];
  const comments: string[] = [];
  const unmatched: string[] = [];

  beforeAll(async () => {
    // A missing binary fails the test below (CI installs it); it is never a skip.
    if (!existsSync(BIN)) return;
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    nock.emitter.on("no match", (req: { method?: string; path?: string }) => {
      // Loopback traffic (to Alertmanager's API and the bot's route) passes through nock's hook too.
      const loopback = ["/-/ready", "/api/v2/alerts", "/alertmanager"];
      if (!loopback.includes(req.path ?? "")) unmatched.push(`${req.method} ${req.path}`);
    });

    // The bot: the real server and app wiring, GitHub through nock.
    const env = parseEnvConfig({
      APP_ID: "1",
      WEBHOOK_SECRET: "e2e-webhook-secret",
      PORT: "0",
      HOST: "127.0.0.1",
      ALERTMANAGER_TOKEN: TOKEN,
      INCIDENT_REPO: "acme/incidents",
    });
    if (!env.ok) throw new Error(env.message);
    const clock = systemClock;
    server = await startServer({
      env: env.env,
      privateKey: testPrivateKey(),
      log: testLogger(),
      clock,
      Octokit: TestOctokit,
      coordination: {
        lock: createMemoryKeyedLock(),
        dedupe: createMemoryDeliveryDedupe(clock),
        writeBudget: createMemoryWriteBudget({ clock }),
        isHealthy: async () => true,
        close: async () => {},
      },
    });

    // Alertmanager on loopback, clustering off, its receiver the bot's route with the bearer token.
    dir = mkdtempSync(join(tmpdir(), "medic-am-"));
    const amPort = await freePort();
    amUrl = `http://127.0.0.1:${amPort}`;
    writeFileSync(
      join(dir, "alertmanager.yml"),
      `
route:
  receiver: medic
  group_by: [alertname, namespace]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
receivers:
  - name: medic
    webhook_configs:
      - url: http://127.0.0.1:${server.port}/alertmanager
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: ${TOKEN}
`,
    );
    am = spawn(
      BIN,
      [
        `--config.file=${join(dir, "alertmanager.yml")}`,
        `--storage.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        "--cluster.listen-address=",
        "--log.level=debug",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    am.stdout?.on("data", (d: Buffer) => {
      amLog += d.toString();
    });
    am.stderr?.on("data", (d: Buffer) => {
      amLog += d.toString();
    });
    await waitFor(
      "Alertmanager to be ready",
      async () => {
        if (am?.exitCode !== null) throw new Error(`Alertmanager exited (${am?.exitCode}):\n${amLog}`);
        return fetch(`${amUrl}/-/ready`)
          .then((r) => r.ok || undefined)
          .catch(() => undefined);
      },
      20_000,
    );
  }, 60_000);

  afterAll(async () => {
    // Wait for it to exit: it writes its data directory while shutting down, racing the rm below.
    if (am && am.exitCode === null) {
      const exited = new Promise((r) => am!.once("exit", r));
      am.kill("SIGTERM");
      await exited;
    }
    await server?.stop(2_000);
    nock.emitter.removeAllListeners("no match");
    nock.cleanAll();
    nock.enableNetConnect();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("opens exactly one issue for a firing alert and closes it on resolve", async () => {
    if (!existsSync(BIN)) {
      throw new Error(
        `Alertmanager binary not found at ${BIN}. Install it (Debian/Ubuntu: apt-get install -y prometheus-alertmanager) or set ALERTMANAGER_BIN.`,
      );
    }
    let issueBody = "";
    const scope = nock(GH)
      .get(`${REPO}/installation`)
      .reply(200, { id: 42 })
      .post("/app/installations/42/access_tokens")
      .reply(201, { token: "ghs_e2e", expires_at: "2099-01-01T00:00:00Z" })
      .get("/app")
      .reply(200, { id: 1, slug: "medic" })
      .get(`${REPO}/contents/.github%2Fmedic.yml`)
      .reply(404, { message: "Not Found" })
      .get("/repos/acme/.github/contents/.github%2Fmedic.yml")
      .reply(404, { message: "Not Found" })
      .get(`${REPO}/issues`)
      .query(true)
      .times(3) // open + recently closed for the index, open again before creating
      .reply(200, [])
      .post(`${REPO}/issues`, (b: Record<string, unknown>) => {
        created.push(b);
        issueBody = b["body"] as string;
        return true;
      })
      .reply(201, () => ({
        number: 1,
        html_url: "https://github.com/acme/incidents/issues/1",
        state: "open",
        body: issueBody,
        labels: [{ name: "incident" }, { name: "severity:warning" }],
        user: { login: "medic[bot]", type: "Bot" },
      }))
      .post(`${REPO}/issues/1/comments`, (b: { body: string }) => {
        comments.push(b.body);
        return true;
      })
      .reply(201, { id: 7 })
      .patch(`${REPO}/issues/1`, (b: Record<string, unknown>) => {
        patches.push(b);
        return true;
      })
      .reply(200, {});
    // The runbook matcher (remediation) before the issue opens: config, default branch, runbooks there.
    const matcher = nock(GH)
      .get(`${REPO}/installation`)
      .reply(200, { id: 42 })
      .get(`${REPO}/contents/.github%2Fmedic.yml`)
      .reply(404, { message: "Not Found" })
      .get("/repos/acme/.github/contents/.github%2Fmedic.yml")
      .reply(404, { message: "Not Found" })
      .get(REPO)
      .reply(200, { default_branch: "main" })
      .get(`${REPO}/git/ref/heads/main`)
      .reply(200, { object: { sha: "c0ffee", type: "commit" } })
      .get(`${REPO}/git/trees/c0ffee`)
      .query({ recursive: "1" })
      .reply(200, { sha: "7ree", tree: [], truncated: false });

    const labels = {
      alertname: "KubePodCrashLooping",
      namespace: "shop",
      pod: "checkout-7d9f8b6c5-x2x9z",
      container: "app",
      severity: "warning",
    };
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const push = (endsAt?: string) =>
      fetch(`${amUrl}/api/v2/alerts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify([
          {
            labels,
            annotations: { summary: "Pod is crash looping. @oncall <b>now</b>" },
            startsAt,
            ...(endsAt ? { endsAt } : {}),
            generatorURL: "http://prometheus:9090/graph?g0.expr=up",
          },
        ]),
      });
    expect((await push()).status).toBe(200);
    await waitFor("the incident issue", () => created[0], 20_000);
    // Alertmanager keeps the group; repeats within repeat_interval are not sent. Give it a few
    // group intervals to prove no second issue appears.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(created).toHaveLength(1);
    expect(created[0]?.["title"]).toBe("KubePodCrashLooping in shop/checkout");
    // The bundled crashloop-rollback runbook matches on the alert alone: the issue opens labelled with it
    // (the remediation handler then reacts to GitHub's `issues.opened` for it).
    expect(created[0]?.["labels"]).toEqual(["incident", "severity:warning", "runbook:crashloop-rollback"]);
    expect(created[0]?.["body"]).toContain("| **Runbook** | `runbook:crashloop-rollback` |");
    expect(matcher.isDone()).toBe(true);
    expect(parseMarker(created[0]?.["body"] as string, "incident")).toBe("KubePodCrashLooping/shop/checkout");
    expect(created[0]?.["body"]).toContain("Pod is crash looping. @&#8203;oncall &lt;b&gt;now&lt;/b&gt;");

    expect((await push(new Date().toISOString())).status).toBe(200);
    const closed = await waitFor(
      "the issue to close",
      () => patches.find((p) => p["state"] === "closed"),
      20_000,
    );
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain("**MTTR** (alert start → resolved)");
    expect(parseIncidentState(closed["body"] as string)?.status).toBe("resolved");
    expect(created).toHaveLength(1);
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  }, 60_000);
});
