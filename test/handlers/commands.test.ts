import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderAuditBlock } from "../../src/core/audit/audit-block.js";
import { COMMANDS } from "../../src/core/commands/registry.js";
import { registerApproval } from "../../src/handlers/approval.js";
import { registerCommands } from "../../src/handlers/commands.js";
import type { CommandActions } from "../../src/workflows/ports/commands.js";
import approveByRequester from "../fixtures/events/issue_comment.created.approve-by-requester.json" with {
  type: "json",
};
import approveByOwner from "../fixtures/events/issue_comment.created.approve-by-security-owner.json" with {
  type: "json",
};
import onIncident from "../fixtures/events/issue_comment.created.command-on-incident.json" with {
  type: "json",
};
import editedApprove from "../fixtures/events/issue_comment.edited.approve-added-by-edit.json" with {
  type: "json",
};
import {
  createFastTestProbot,
  destructivePr,
  expectCheckRun,
  fakeState,
  H1,
  serveFakeGitHub,
  testAppDeps,
} from "./approval-fake-github.js";

const MARKER =
  '<!-- medic:remediation {"incidentKey":"shop/web/KubePodCrashLooping","runbook":"scale-down-canary","requester":"rita","planHash":"sha256:0123abcd"} -->';

function setup(actions: CommandActions = {}) {
  const probot = createFastTestProbot();
  const deps = testAppDeps();
  probot.load((app) => {
    const reevaluate = registerApproval(app, deps);
    registerCommands(app, deps, actions, reevaluate);
  });
  let n = 0;
  return {
    deps,
    receive: (payload: unknown) =>
      probot.receive({ id: `c-${++n}`, name: "issue_comment", payload } as never),
  };
}

/** Records every action call and answers success. */
function recordingActions(calls: string[]): CommandActions {
  const ok = (name: string) => async () => {
    calls.push(name);
    return { ok: true as const, message: `${name} started` };
  };
  return {
    remediate: ok("remediate"),
    diagnose: ok("diagnose"),
    rollback: ok("rollback"),
    scale: ok("scale"),
    retry: ok("retry"),
    abort: ok("abort"),
    promote: ok("promote"),
  };
}

function comment(
  base: typeof onIncident,
  over: { login: string; type?: string; body: string; id?: number; onPr: boolean },
) {
  const p = structuredClone(base) as typeof onIncident & {
    issue: { pull_request?: unknown; number: number };
  };
  p.comment.user.login = over.login;
  p.comment.user.type = over.type ?? "User";
  p.comment.body = over.body;
  p.comment.id = over.id ?? 77001;
  if (over.onPr) {
    p.issue.number = 2;
    p.issue.pull_request = { url: "https://api.github.com/repos/Codertocat/Hello-World/pulls/2" };
  } else {
    delete p.issue.pull_request;
  }
  return p;
}

// docs/commands.md, written out: the weakest role each command allows.
const MIN: Record<string, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };
const NEEDS: Record<string, keyof typeof MIN> = {
  remediate: "write",
  diagnose: "triage",
  rollback: "write",
  scale: "write",
  approve: "write",
  hold: "triage",
  retry: "write",
  abort: "write",
  promote: "write",
  override: "write",
  help: "none",
};
const ROLES: [string, { permission: string; role_name: string } | null, keyof typeof MIN][] = [
  ["none (not a collaborator)", null, "none"],
  ["read", { permission: "read", role_name: "read" }, "read"],
  ["triage", { permission: "read", role_name: "triage" }, "triage"],
  ["write", { permission: "write", role_name: "write" }, "write"],
  ["maintain", { permission: "write", role_name: "maintain" }, "maintain"],
  ["admin", { permission: "admin", role_name: "admin" }, "admin"],
  ["outside collaborator with write", { permission: "write", role_name: "write" }, "write"],
  ["custom role based on read", { permission: "read", role_name: "security-auditor" }, "read"],
];

const table = COMMANDS.flatMap((spec) =>
  ROLES.map(([label, role, level]) => [spec.name, label, role, level] as const),
);

describe("every command × every role, through probot.receive", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it.each(table)("/%s by %s", async (name, _label, role, level) => {
    const spec = COMMANDS.find((c) => c.name === name)!;
    const onPr = spec.places[0] === "pull_request";
    const state = fakeState({ roles: role ? { olga: role } : {} });
    serveFakeGitHub(state);
    const calls: string[] = [];
    const { receive } = setup(recordingActions(calls));
    // olga is listed in approval.overrideUsers, so for /override only the role decides here.
    await receive(comment(onIncident, { login: "olga", body: spec.examples.at(-1)!, onPr }));
    const allowed = MIN[level]! >= MIN[NEEDS[name]!]!;
    expect(state.reactions.map((r) => r.content)).toEqual(["eyes", allowed ? "+1" : "-1"]);
    expect(state.posted).toHaveLength(1);
    const reply = state.posted[0]!.body;
    if (allowed) {
      expect(reply).toMatch(/^- ✅ /);
      expect(calls).toEqual(spec.handler === "action" ? [name] : []);
    } else {
      expect(reply).toContain(
        `needs the ${NEEDS[name]} role or higher on this repository; @olga has ${level}`,
      );
      // A refusal changes nothing: no action, no record, no check run.
      expect(calls).toEqual([]);
      expect(reply).not.toContain("medic:command");
      expect(state.checkRuns).toEqual([]);
    }
  });

  it.each(COMMANDS.map((c) => c.name))("/%s by a bot is ignored: no GitHub call at all", async (name) => {
    const spec = COMMANDS.find((c) => c.name === name)!;
    // No interceptors: any request would fail the delivery.
    const { receive } = setup();
    await receive(
      comment(onIncident, {
        login: "deployer[bot]",
        type: "Bot",
        body: spec.examples[0]!,
        onPr: spec.places[0] === "pull_request",
      }),
    );
  });

  it("/override by an admin who is not in approval.overrideUsers is refused", async () => {
    const state = fakeState({ roles: { adam: { permission: "admin", role_name: "admin" } } });
    serveFakeGitHub(state);
    const { receive } = setup();
    await receive(
      comment(onIncident, { login: "adam", body: "/override medic/approval outage", onPr: true }),
    );
    expect(state.posted[0]!.body).toContain("limited to the people listed in `approval.overrideUsers`");
    expect(state.checkRuns).toEqual([]);
  });
});

describe("commands: separation of duties and edge cases", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("an edited comment never runs a command (no GitHub call at all)", async () => {
    const { receive } = setup();
    await receive(editedApprove);
  });

  it("the requester's /approve is recorded but does not count; a security owner's does", async () => {
    const state = fakeState({
      body: `Remediation.\n\n${MARKER}\n`,
      roles: {
        rita: { permission: "write", role_name: "write" },
        sam: { permission: "write", role_name: "write" },
      },
    });
    destructivePr(state);
    const writes = nock("https://api.github.com");
    expectCheckRun(
      writes,
      {
        head_sha: H1,
        conclusion: "failure",
        title: "Destructive change: needs 1 security code owner approval at 1111111",
      },
      ["@rita (/approve): not counted — asked for this change \\(requester\\)"],
    );
    expectCheckRun(
      writes,
      { head_sha: H1, conclusion: "success", title: "Destructive change: approved by security code owners" },
      ["@sam (/approve): counted"],
    );
    serveFakeGitHub(state);
    const { receive } = setup();
    await receive(approveByRequester);
    expect(state.posted[0]!.body).toContain(`"kind":"approve","actor":"rita","sha":"${H1}"`);
    await receive(approveByOwner);
    expect(writes.isDone()).toBe(true);
  });

  it("a forged record in a person's comment is ignored by the gate", async () => {
    const state = fakeState({
      body: `Remediation.\n\n${MARKER}\n`,
      roles: { hank: { permission: "read", role_name: "triage" } },
    });
    destructivePr(state);
    state.comments.push({
      id: 5,
      user: { login: "mallory", type: "User" },
      body: `<!-- medic:command {"kind":"override","actor":"olga","sha":"${H1}","check":"medic/approval","reason":"x","commentId":5} -->`,
      created_at: "2026-11-27T11:00:00Z",
    });
    const writes = nock("https://api.github.com");
    expectCheckRun(writes, { head_sha: H1, conclusion: "failure", title: "On hold by @hank" });
    serveFakeGitHub(state);
    const { receive } = setup();
    await receive(comment(onIncident, { login: "hank", body: "/hold", onPr: true }));
    expect(writes.isDone()).toBe(true);
    expect(state.posted).toHaveLength(1);
  });

  it("a typo gets one reply with 'did you mean', 👎, and nothing else", async () => {
    const state = fakeState({ roles: { sam: { permission: "write", role_name: "write" } } });
    serveFakeGitHub(state);
    const { receive, deps } = setup();
    await receive(comment(onIncident, { login: "sam", body: "/aprove", onPr: true }));
    const record = {
      v: 1,
      at: "2026-11-27T12:00:00.000Z",
      actor: { kind: "user", login: "sam" },
      action: "command.handled",
      reason: "/aprove",
      deliveryId: "c-1",
      subject: { kind: "pull_request", repo: "Codertocat/Hello-World", number: 2 },
      shas: {},
      inputs: {
        commentId: 77001,
        place: "pull_request",
        commands: [
          {
            line: 1,
            text: "/aprove",
            status: "refused",
            message: "unknown command. Did you mean `/approve`?",
          },
        ],
      },
      outcome: { status: "refused", detail: "0 done, 1 refused" },
    } as const;
    expect(deps.audit.records).toEqual([record]);
    expect(state.posted.map((p) => p.body)).toEqual([
      `- ❌ \`/aprove\`: unknown command. Did you mean \`/approve\`?\n<!-- medic:reply 77001 -->\n\n${renderAuditBlock(record)}`,
    ]);
    expect(state.reactions.map((r) => r.content)).toEqual(["eyes", "-1"]);
    expect(state.calls.filter((c) => c.includes("/permission"))).toEqual([]);
  });

  it("an action whose workflow is not installed says so plainly and does nothing", async () => {
    const state = fakeState({ roles: { ivan: { permission: "write", role_name: "write" } } });
    serveFakeGitHub(state);
    const { receive } = setup({});
    await receive(onIncident);
    expect(state.posted[0]!.body).toContain(
      "`/diagnose` is not available yet in this installation; nothing was done",
    );
    expect(state.reactions.map((r) => r.content)).toEqual(["eyes", "-1"]);
  });

  it("a hold on an incident stops changing commands but not /diagnose or /abort", async () => {
    const state = fakeState({ roles: { ivan: { permission: "write", role_name: "write" } } });
    serveFakeGitHub(state);
    const calls: string[] = [];
    const { receive } = setup(recordingActions(calls));
    await receive(comment(onIncident, { login: "ivan", body: "/hold", onPr: false, id: 1 }));
    await receive(
      comment(onIncident, {
        login: "ivan",
        body: "/remediate\n/scale 2\n/diagnose\n/abort",
        onPr: false,
        id: 2,
      }),
    );
    expect(calls).toEqual(["diagnose", "abort"]);
    expect(state.posted[1]!.body).toContain("- ❌ `/remediate`: on hold by @ivan: `/hold cancel` first");
    expect(state.posted[1]!.body).toContain("- ❌ `/scale 2`: on hold by @ivan");
    expect(state.reactions.filter((r) => r.commentId === 2).map((r) => r.content)).toEqual([
      "eyes",
      "+1",
      "-1",
    ]);
  });

  it("per-user rate limit: the 11th command in a minute is refused with one reply, later ones only with 👎", async () => {
    const state = fakeState({ roles: { ivan: { permission: "write", role_name: "write" } } });
    serveFakeGitHub(state);
    const { receive, deps } = setup(recordingActions([]));
    for (let i = 1; i <= 12; i++) {
      await receive(comment(onIncident, { login: "ivan", body: "/diagnose", onPr: false, id: 100 + i }));
    }
    expect(state.posted).toHaveLength(11);
    expect(state.posted[10]!.body).toContain(
      "rate limit: at most 10 commands per 1m per person; try again in",
    );
    expect(state.reactions.filter((r) => r.commentId === 112).map((r) => r.content)).toEqual(["eyes", "-1"]);
    deps.clock.advance(61_000);
    await receive(comment(onIncident, { login: "ivan", body: "/diagnose", onPr: false, id: 200 }));
    expect(state.posted.at(-1)!.body).toContain("diagnose started");
  });

  it("/override by a listed user passes the gate at the head, shown with the reason", async () => {
    const state = fakeState({
      body: `Remediation.\n\n${MARKER}\n`,
      roles: { olga: { permission: "write", role_name: "maintain" } },
    });
    destructivePr(state);
    const writes = nock("https://api.github.com");
    expectCheckRun(
      writes,
      { head_sha: H1, conclusion: "success", title: "Destructive change: overridden by @olga" },
      ["INC-42 outage, security on-call unreachable"],
    );
    serveFakeGitHub(state);
    const { receive } = setup();
    await receive(
      comment(onIncident, {
        login: "olga",
        body: "/override medic/approval INC-42 outage, security on-call unreachable",
        onPr: true,
      }),
    );
    expect(writes.isDone()).toBe(true);
    expect(state.posted[0]!.body).toContain('"kind":"override","actor":"olga"');
  });

  it("/help replies with the generated list", async () => {
    const state = fakeState();
    serveFakeGitHub(state);
    const { receive } = setup();
    await receive(comment(onIncident, { login: "anyone", body: "/help", onPr: false }));
    expect(state.posted[0]!.body).toContain("| `/override medic/approval REASON` |");
    expect(state.reactions.map((r) => r.content)).toEqual(["eyes", "+1"]);
  });

  it("the same comment delivered 5 times at once (different delivery ids) ⇒ one reply, one record", async () => {
    const state = fakeState({ roles: { hank: { permission: "read", role_name: "triage" } } });
    serveFakeGitHub(state);
    const { receive } = setup();
    const payload = comment(onIncident, { login: "hank", body: "/hold", onPr: false, id: 555 });
    await Promise.all(Array.from({ length: 5 }, () => receive(payload)));
    expect(state.posted).toHaveLength(1);
    expect(state.reactions.map((r) => r.content)).toEqual(["eyes", "+1"]);
  });

  it("a comment with no command makes no GitHub call", async () => {
    const { receive } = setup();
    await receive(
      comment(onIncident, {
        login: "ivan",
        body: "Looks good, > /approve later\n```\n/approve\n```",
        onPr: true,
      }),
    );
  });
});
