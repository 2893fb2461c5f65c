import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerConfigCheck } from "../../src/handlers/config-check.js";
import { webhookExample } from "../helpers/events.js";
import { createTestProbot } from "../helpers/probot.js";

const SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

function push(files: { added?: string[]; modified?: string[]; removed?: string[] }) {
  const payload = webhookExample<Record<string, unknown>>(
    "push",
    undefined,
    (p) => "installation" in p && !p["deleted"],
  );
  const commits = payload["commits"] as Record<string, unknown>[];
  commits[0] = { ...commits[0], added: [], modified: [], removed: [], ...files };
  return payload;
}

function receive(payload: Record<string, unknown>) {
  const probot = createTestProbot();
  probot.load((app) => registerConfigCheck(app));
  return probot.receive({ id: "d-1", name: "push", payload } as never);
}

function contents(text: string) {
  return { type: "file", encoding: "base64", content: Buffer.from(text).toString("base64") };
}

describe("medic/config check on push", () => {
  beforeEach(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("reports success for a valid .github/medic.yml", async () => {
    const scope = nock("https://api.github.com")
      .post("/app/installations/1/access_tokens")
      .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" })
      .get("/repos/Codertocat/Hello-World/contents/.github%2Fmedic.yml")
      .query({ ref: SHA })
      .reply(200, contents("approval:\n  securityTeams: ['@acme/security']\n"))
      .post("/repos/Codertocat/Hello-World/check-runs", {
        name: "medic/config",
        head_sha: SHA,
        status: "completed",
        conclusion: "success",
        output: { title: ".github/medic.yml is valid", summary: "The configuration is valid." },
      })
      .reply(201, { id: 1 });
    await receive(push({ modified: [".github/medic.yml"] }));
    expect(scope.isDone()).toBe(true);
  });

  it("names the file, line and problem for invalid YAML", async () => {
    let body: Record<string, unknown> | undefined;
    const scope = nock("https://api.github.com")
      .post("/app/installations/1/access_tokens")
      .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" })
      .get("/repos/Codertocat/Hello-World/contents/.github%2Fmedic.yml")
      .query({ ref: SHA })
      .reply(200, contents("approval:\n  securityTeams: [unclosed\n"))
      .post("/repos/Codertocat/Hello-World/check-runs", (b) => {
        body = b;
        return true;
      })
      .reply(201, { id: 1 });
    await receive(push({ added: [".github/medic.yml"] }));
    expect(scope.isDone()).toBe(true);
    expect(body).toMatchObject({
      conclusion: "failure",
      output: { title: "Invalid YAML in .github/medic.yml" },
    });
    const output = body?.["output"] as { summary: string; annotations: { path: string }[] };
    expect(output.summary).toMatch(
      /^Invalid configuration in \.github\/medic\.yml \(line \d+\): document 0: /,
    );
    expect(output.annotations[0]?.path).toBe(".github/medic.yml");
  });

  it("refuses an alias bomb with a clear failure instead of expanding it", async () => {
    const bomb = [
      "a: &a [x,x,x,x,x,x,x,x,x]",
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
      "e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
    ].join("\n");
    let body: { conclusion?: string; output?: { summary?: string } } | undefined;
    nock("https://api.github.com")
      .post("/app/installations/1/access_tokens")
      .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z" })
      .get("/repos/Codertocat/Hello-World/contents/.github%2Fmedic.yml")
      .query(true)
      .reply(200, contents(bomb))
      .post("/repos/Codertocat/Hello-World/check-runs", (b) => {
        body = b;
        return true;
      })
      .reply(201, { id: 1 });
    await receive(push({ modified: [".github/medic.yml"] }));
    expect(body?.conclusion).toBe("failure");
    expect(body?.output?.summary).toContain("ReferenceError");
  });

  it("does nothing when the push does not touch the file", async () => {
    // No interceptors: any GitHub call would fail the test under disableNetConnect.
    await expect(receive(push({ modified: ["apps/web/deployment.yaml"] }))).resolves.toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });
});
