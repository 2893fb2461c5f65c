// `npm run bench -- remediation`: the bot's own time from an incident issue event to its last GitHub request,
// with GitHub answering at once (nock, a stateful fake of the API serving examples/gitops), over 100 runs.
// Each run starts from a fresh repository (no PR, no branch), so every run opens a PR: the full create path.
// The process stays up across runs as in production: the installation token, the bot login and the
// blob cache (keyed by blob SHA) are warm after the first run — its extra reads are reported on stderr.
import { readFileSync } from "node:fs";
import nock from "nock";
import { loadClusterSnapshot } from "../src/adapters/local/load-cluster-snapshot.js";
import type { AppDeps } from "../src/app-deps.js";
import { defaultMedicConfig } from "../src/core/config/medic-config.js";
import { renderIncidentState } from "../src/core/incident/incident-state.js";
import { registerRemediation } from "../src/handlers/remediation.js";
import { buildIncidentsFromAlert } from "../src/workflows/build-incidents-from-alert.js";
import { manualClock } from "../src/workflows/ports/clock.js";
import { silentLogger } from "../src/workflows/ports/logger.js";
import { BOT, FakeGitHub, readTreeFromDisk } from "../test/fixtures/github/fake-github.js";
import { webhookExample } from "../test/helpers/events.js";
import { createTestProbot } from "../test/helpers/probot.js";

const RUNS = 100;
const root = new URL("../", import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), "utf8");

export async function run(): Promise<string> {
  const now = "2026-11-27T10:00:00Z";
  const gitops = readTreeFromDisk(new URL("examples/gitops", root).pathname);
  const built = buildIncidentsFromAlert(
    JSON.parse(read("examples/alerts/crashloop-checkout.json")),
    defaultMedicConfig().incidents,
    Date.parse(now),
  );
  if (!built.ok) throw new Error(built.message);
  const incident = built.incidents[0]!;
  const cluster = loadClusterSnapshot(
    read("examples/cluster/crashloop-checkout.yaml"),
    "crashloop-checkout.yaml",
  );
  if (!cluster.ok) throw new Error(cluster.message);

  // biome-ignore lint/suspicious/noExplicitAny: a recorded payload edited field by field
  const payload = webhookExample<Record<string, any>>("issues", "opened");
  Object.assign(payload.repository, { name: "gitops", full_name: "acme/gitops", default_branch: "main" });
  payload.repository.owner.login = "acme";
  payload.installation = { id: 4242, node_id: "x" };
  Object.assign(payload.issue, {
    number: 7,
    title: incident.title,
    html_url: "https://github.com/acme/gitops/issues/7",
    user: { ...payload.issue.user, login: BOT.login, type: "Bot" },
    body: `Incident\n\n${renderIncidentState(incident)}\n`,
    labels: [{ name: "incident" }, { name: "runbook:crashloop-rollback" }],
  });
  payload.sender = { ...payload.sender, login: BOT.login, type: "Bot" };

  const deps = {
    clock: manualClock(now),
    logger: silentLogger,
    lock: { withLock: <T>(_k: string, fn: () => Promise<T>) => fn() },
    writeBudget: { acquire: async () => {}, pauseUntil: async () => {} },
  } as unknown as AppDeps;
  const probot = createTestProbot();
  await probot.load((app) => {
    registerRemediation(app, deps, { cluster: cluster.cluster });
  });

  nock.disableNetConnect();
  const times: number[] = [];
  const counts: { reads: number; writes: number; files: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const gh = new FakeGitHub(gitops);
    gh.openIssue(7);
    let last = 0;
    const log = gh.log;
    const push = log.push.bind(log);
    log.push = (...items) => {
      last = performance.now();
      return push(...items);
    };
    gh.install();
    const start = performance.now();
    await probot.receive({ id: `bench-${i}`, name: "issues", payload } as never);
    gh.uninstall();
    if (gh.openPulls().length !== 1)
      throw new Error(`run ${i}: expected one PR, got ${gh.openPulls().length}`);
    times.push(last - start);
    const repo = gh.log.filter((r) => r.path.startsWith("/repos/"));
    counts.push({
      reads: repo.filter((r) => r.method === "GET").length,
      writes: repo.filter((r) => r.method !== "GET").length,
      files: repo.filter((r) => r.path.includes("/git/blobs/")).length,
    });
    if (i % 20 === 0)
      process.stderr.write(`remediation: run ${i + 1}/${RUNS} ${(last - start).toFixed(1)} ms\n`);
  }
  nock.enableNetConnect();
  const sorted = [...times].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  const first = counts[0]!;
  const steady = counts[counts.length - 1]!;
  process.stderr.write(
    `remediation: first run (cold blob cache) reads=${first.reads} (blobs ${first.files}) writes=${first.writes} ${times[0]!.toFixed(1)} ms; ` +
      `steady state reads=${steady.reads} (blobs ${steady.files}) writes=${steady.writes}\n`,
  );
  const maxWrites = Math.max(...counts.map((c) => c.writes));
  const maxReads = Math.max(...counts.map((c) => c.reads));
  return `remediation: runs=${RUNS} p50_ms=${Math.round(pct(50))} p99_ms=${Math.round(pct(99))} writes=${maxWrites} reads=${maxReads}`;
}
