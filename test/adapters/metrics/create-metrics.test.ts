import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMetrics, routeTemplate } from "../../../src/adapters/metrics/create-metrics.js";

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});

/** The value of one series in the exposition text, or undefined when it is absent. */
async function seriesValue(
  metrics: ReturnType<typeof createMetrics>,
  series: string,
): Promise<number | undefined> {
  const text = await metrics.registry.metrics();
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function octokit(metrics: ReturnType<typeof createMetrics>) {
  const Octokit = ProbotOctokit.plugin(metrics.octokitPlugin).defaults({
    retry: { enabled: false },
    throttle: { enabled: false },
  });
  return new Octokit({ auth: `token ${"x".repeat(8)}` });
}

describe("createMetrics", () => {
  it("counts what the app reports, with the labels it passes", async () => {
    const m = createMetrics({ defaultMetrics: false });
    m.webhooksReceived.inc({ event: "issues", outcome: "processed" });
    m.webhooksReceived.inc({ event: "issues", outcome: "processed" });
    m.webhooksReceived.inc({ event: "alertmanager", outcome: "duplicate" });
    m.incidentsOpened.inc();
    m.incidentsClosed.inc(2);
    m.prsOpened.inc({ kind: "remediation" });
    m.checksRun.inc({ check: "medic/policy", conclusion: "failure" });
    m.commands.inc({ command: "approve", outcome: "refused" });
    m.queueDepth.set({ queue: "alerts" }, 7);
    m.errors.inc({ where: "open-incident" });
    expect(await seriesValue(m, 'medic_webhooks_received_total{event="issues",outcome="processed"}')).toBe(2);
    expect(
      await seriesValue(m, 'medic_webhooks_received_total{event="alertmanager",outcome="duplicate"}'),
    ).toBe(1);
    expect(await seriesValue(m, "medic_incidents_opened_total")).toBe(1);
    expect(await seriesValue(m, "medic_incidents_closed_total")).toBe(2);
    expect(await seriesValue(m, 'medic_pull_requests_opened_total{kind="remediation"}')).toBe(1);
    expect(await seriesValue(m, 'medic_checks_run_total{check="medic/policy",conclusion="failure"}')).toBe(1);
    expect(await seriesValue(m, 'medic_commands_total{command="approve",outcome="refused"}')).toBe(1);
    expect(await seriesValue(m, 'medic_queue_depth{queue="alerts"}')).toBe(7);
    expect(await seriesValue(m, 'medic_errors_total{where="open-incident"}')).toBe(1);
  });

  it("keeps two registries apart (no global state between apps or tests)", async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.incidentsOpened.inc();
    expect(await seriesValue(a, "medic_incidents_opened_total")).toBe(1);
    expect(await seriesValue(b, "medic_incidents_opened_total")).toBe(0);
  });

  it("includes Node process metrics unless asked not to", async () => {
    expect(await createMetrics().registry.metrics()).toContain("medic_process_resident_memory_bytes");
  });
});

describe("metrics.octokitPlugin", () => {
  it("counts GitHub calls by route template and status and records the remaining rate limit", async () => {
    const m = createMetrics({ defaultMetrics: false });
    const scope = nock("https://api.github.com")
      .get("/repos/acme/gitops/issues")
      .query({ state: "open" })
      .reply(200, [], { "x-ratelimit-remaining": "4987", "x-ratelimit-resource": "core" })
      .post("/repos/acme/gitops/issues", { title: "t" })
      .reply(201, { number: 1 }, { "x-ratelimit-remaining": "4986", "x-ratelimit-resource": "core" });
    const gh = octokit(m);
    await gh.rest.issues.listForRepo({ owner: "acme", repo: "gitops", state: "open" });
    await gh.rest.issues.create({ owner: "acme", repo: "gitops", title: "t" });
    expect(scope.isDone()).toBe(true);
    expect(
      await seriesValue(
        m,
        'medic_github_requests_total{method="GET",route="/repos/{owner}/{repo}/issues",status="200"}',
      ),
    ).toBe(1);
    expect(
      await seriesValue(
        m,
        'medic_github_requests_total{method="POST",route="/repos/{owner}/{repo}/issues",status="201"}',
      ),
    ).toBe(1);
    expect(await seriesValue(m, 'medic_github_rate_limit_remaining{resource="core"}')).toBe(4986);
    expect(await seriesValue(m, 'medic_github_request_duration_seconds_count{method="GET"}')).toBe(1);
  });

  it("counts failures, primary and secondary rate limits, and lets the error through", async () => {
    const m = createMetrics({ defaultMetrics: false });
    const scope = nock("https://api.github.com")
      .post("/repos/acme/gitops/issues")
      .reply(
        403,
        { message: "You have exceeded a secondary rate limit" },
        { "retry-after": "60", "x-ratelimit-remaining": "4000" },
      )
      .post("/repos/acme/gitops/issues")
      .reply(
        403,
        { message: "API rate limit exceeded" },
        { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1795800000" },
      )
      .get("/repos/acme/gitops")
      .replyWithError("socket hang up");
    const gh = octokit(m);
    await expect(gh.rest.issues.create({ owner: "acme", repo: "gitops", title: "t" })).rejects.toMatchObject({
      status: 403,
    });
    await expect(gh.rest.issues.create({ owner: "acme", repo: "gitops", title: "t" })).rejects.toMatchObject({
      status: 403,
    });
    await expect(gh.rest.repos.get({ owner: "acme", repo: "gitops" })).rejects.toThrow();
    expect(scope.isDone()).toBe(true);
    expect(
      await seriesValue(
        m,
        'medic_github_requests_total{method="POST",route="/repos/{owner}/{repo}/issues",status="403"}',
      ),
    ).toBe(2);
    // A network failure has no status of its own (Octokit would call it 500).
    expect(
      await seriesValue(
        m,
        'medic_github_requests_total{method="GET",route="/repos/{owner}/{repo}",status="error"}',
      ),
    ).toBe(1);
    expect(await seriesValue(m, 'medic_github_rate_limited_total{kind="secondary"}')).toBe(1);
    expect(await seriesValue(m, 'medic_github_rate_limited_total{kind="primary"}')).toBe(1);
    expect(await seriesValue(m, 'medic_github_rate_limit_remaining{resource="core"}')).toBe(0);
  });

  it("never puts the token or a repository name in a label", async () => {
    const m = createMetrics({ defaultMetrics: false });
    nock("https://api.github.com").get("/repos/acme/secret-project/commits/abc").reply(200, {});
    await octokit(m).request("GET /repos/acme/secret-project/commits/abc");
    const text = await m.registry.metrics();
    expect(text).not.toContain("secret-project");
    expect(text).not.toContain("xxxxxxxx");
  });
});

describe("routeTemplate", () => {
  it.each([
    ["/repos/{owner}/{repo}/pulls/{pull_number}", "/repos/{owner}/{repo}/pulls/{pull_number}"],
    [
      "https://api.github.com/repos/a/b/issues/12/comments?per_page=100",
      "/repos/{owner}/{repo}/issues/{id}/comments",
    ],
    ["https://ghe.example.com/api/v3/repos/a/b/pulls/3", "/repos/{owner}/{repo}/pulls/{id}"],
    ["/repos/a/b/git/refs/heads/medic/fix-1", "/repos/{owner}/{repo}/git/refs/{path}"],
    ["/repos/a/b/contents/apps/shop/deploy.yaml", "/repos/{owner}/{repo}/contents/{path}"],
    [
      "/repos/a/b/commits/3f786850e387550fdab836ed7e6dc881de23001b/check-runs",
      "/repos/{owner}/{repo}/commits/{sha}/check-runs",
    ],
    ["/app/installations/42/access_tokens", "/app/installations/{id}/access_tokens"],
    ["/orgs/acme/teams", "/orgs/{name}/teams"],
    ["/graphql", "/graphql"],
  ])("%s ⇒ %s", (url, expected) => {
    expect(routeTemplate(url)).toBe(expected);
  });
});
