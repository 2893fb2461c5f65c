import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryDeliveryDedupe } from "../../src/adapters/memory/create-memory-delivery-dedupe.js";
import { createMemoryKeyedLock } from "../../src/adapters/memory/create-memory-keyed-lock.js";
import { createMemoryWriteBudget } from "../../src/adapters/memory/create-memory-write-budget.js";
import { createMetrics } from "../../src/adapters/metrics/create-metrics.js";
import type { AppDeps } from "../../src/app-deps.js";
import { EnvConfig } from "../../src/core/config/env-config.js";
import type { Incident } from "../../src/core/incident/incident.js";
import { parseMarker } from "../../src/core/markdown/parse-marker.js";
import { registerIncidents } from "../../src/handlers/incidents.js";
import type { IncidentHooks } from "../../src/workflows/incident-hooks.js";
import { manualClock } from "../../src/workflows/ports/clock.js";
import { silentLogger } from "../../src/workflows/ports/logger.js";
import { webhookExample } from "../helpers/events.js";
import { createTestProbot } from "../helpers/probot.js";

const GH = "https://api.github.com";
const ISSUE = "/repos/Codertocat/Hello-World/issues/1";
const FORM = (ns: string) =>
  `### Namespace\n\n${ns}\n\n### Workload\n\ncheckout\n\n### Symptom\n\ncrash-looping\n\n### Severity\n\ncritical\n\n### Description\n\nCheckout pods restart every minute @oncall <script>\n`;

function deps(): AppDeps {
  const clock = manualClock("2026-11-27T10:00:00Z");
  return {
    env: EnvConfig.parse({ ALERTMANAGER_TOKEN: "t", INCIDENT_REPO: "acme/incidents" }),
    clock,
    logger: silentLogger,
    lock: createMemoryKeyedLock(),
    dedupe: createMemoryDeliveryDedupe(clock),
    writeBudget: createMemoryWriteBudget({ clock }),
    metrics: createMetrics({ defaultMetrics: false }),
    addRoute: () => {},
    onShutdown: () => {},
  };
}

/** `issues.opened` from @octokit/webhooks-examples, filed by a person with the incident form. */
function opened(body: string, over: { labels?: string[]; userType?: string } = {}) {
  type Payload = {
    installation?: unknown;
    issue: { body: string; title: string; labels: unknown[]; user: { type: string } };
    sender: { type: string };
  };
  const p = webhookExample<Payload>("issues", "opened");
  p.installation = { id: 42, node_id: "x" };
  p.issue.body = body;
  p.issue.title = "Checkout is down";
  p.issue.labels = (over.labels ?? ["incident"]).map((name, i) => ({
    id: i,
    name,
    color: "fff",
    default: false,
  }));
  p.issue.user.type = over.userType ?? "User";
  p.sender.type = over.userType ?? "User";
  return p as unknown as Record<string, unknown>;
}

const unmatched: string[] = [];
beforeEach(() => {
  nock.disableNetConnect();
  nock.emitter.on("no match", (req: { method?: string; path?: string }) =>
    unmatched.push(`${req.method} ${req.path}`),
  );
});
afterEach(() => {
  nock.emitter.removeAllListeners("no match");
  unmatched.length = 0;
  nock.cleanAll();
  nock.enableNetConnect();
});

async function receive(payload: Record<string, unknown>, hooks: IncidentHooks = {}) {
  const probot = createTestProbot();
  registerIncidents(probot, deps(), hooks, { later: () => {} });
  await probot.receive({ name: "issues", id: "d-1", payload } as never);
}
const token = () =>
  nock(GH)
    .post("/app/installations/42/access_tokens")
    .reply(201, { token: "ghs_t", expires_at: "2099-01-01T00:00:00Z" });

describe("manual incidents (issues labelled incident)", () => {
  it("reads the form, labels the severity and acknowledges once, escaping what the person wrote", async () => {
    let labels: unknown;
    let ack = "";
    const scope = token()
      .post(`${ISSUE}/labels`, (b: { labels: string[] }) => {
        labels = b.labels;
        return true;
      })
      .reply(200, [])
      .get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [])
      .post(`${ISSUE}/comments`, (b: { body: string }) => {
        ack = b.body;
        return true;
      })
      .reply(201, { id: 1 });
    const seen: Incident[] = [];
    await receive(opened(FORM("shop")), { onOpened: async (inc) => void seen.push(inc) });
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect(labels).toEqual(["severity:critical"]);
    expect(parseMarker(ack, "incident-comment")).toBe(
      "manual/issue-1/ack/shop/checkout/crash-looping/critical",
    );
    expect(ack).toContain("| **Workload** | checkout |");
    expect(ack).toContain("| **Symptom** | crash-looping \\(KubePodCrashLooping\\) |");
    expect(seen.map((i) => [i.key, i.labels["namespace"], i.labels["deployment"], i.requester])).toEqual([
      ["manual/issue-1", "shop", "checkout", "Codertocat"],
    ]);
  });

  it("a redelivery finds its acknowledgement and does not repeat it", async () => {
    const scope = token()
      .post(`${ISSUE}/labels`)
      .reply(200, [])
      .get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [
        {
          id: 1,
          body: "<!-- medic:incident-comment manual/issue-1/ack/shop/checkout/crash-looping/critical -->\nhi",
        },
      ]);
    await receive(opened(FORM("shop")));
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
  });

  it("names what it could not read, and hands nothing to the hooks", async () => {
    let ack = "";
    const scope = token()
      .post(`${ISSUE}/labels`)
      .reply(200, [])
      .get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [])
      .post(`${ISSUE}/comments`, (b: { body: string }) => {
        ack = b.body;
        return true;
      })
      .reply(201, { id: 1 });
    let called = false;
    await receive(opened(FORM("../etc")), {
      onOpened: async () => {
        called = true;
      },
    });
    expect(scope.isDone()).toBe(true);
    expect(ack).toContain("- Namespace is not a valid Kubernetes namespace name");
    expect(called).toBe(false);
  });

  it("adds the runbook label when the matcher finds one", async () => {
    let labels: unknown;
    const scope = token()
      .post(`${ISSUE}/labels`, (b: { labels: string[] }) => {
        labels = b.labels;
        return true;
      })
      .reply(200, [])
      .get(`${ISSUE}/comments`)
      .query({ per_page: "100" })
      .reply(200, [])
      .post(`${ISSUE}/comments`)
      .reply(201, { id: 1 });
    await receive(opened(FORM("shop")), { matchRunbook: async () => "restart-workload" });
    expect(scope.isDone()).toBe(true);
    expect(labels).toEqual(["severity:critical", "runbook:restart-workload"]);
  });

  it.each([
    ["an issue without the incident label", opened(FORM("shop"), { labels: ["bug"] })],
    ["an issue opened by a bot (our own incident issues)", opened(FORM("shop"), { userType: "Bot" })],
  ])("ignores %s: no GitHub call", async (_name, payload) => {
    await receive(payload);
    expect(unmatched).toEqual([]);
  });
});
