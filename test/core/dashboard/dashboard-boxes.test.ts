import { describe, expect, it } from "vitest";
import { NoiseConfig } from "../../../src/core/config/sections/noise.js";
import {
  diffBoxes,
  parseBoxId,
  readDashboardState,
  renderDashboardState,
} from "../../../src/core/dashboard/dashboard-boxes.js";
import type { DashboardModel } from "../../../src/core/dashboard/dashboard-model.js";
import { renderDashboard } from "../../../src/core/dashboard/render-dashboard.js";
import { analyzeNoise } from "../../../src/core/noise/analyze-noise.js";

const box = (id: string, checked: boolean, text = "x") =>
  `- [${checked ? "x" : " "}] ${text} <!-- medic:box ${id} -->`;

describe("diffBoxes", () => {
  it.each([
    ["nothing changed", [box("pause", false)], [box("pause", false)], []],
    ["pause ticked", [box("pause", false)], [box("pause", true)], [["pause", true]]],
    [
      "approve unticked",
      [`  ${box("approve:12", true)}`],
      [`  ${box("approve:12", false)}`],
      [["approve:12", false]],
    ],
    [
      "capital X counts as ticked",
      [box("hold:3", false)],
      ["- [X] hold <!-- medic:box hold:3 -->"],
      [["hold:3", true]],
    ],
    [
      "a box typed in by hand is ignored",
      [box("pause", false)],
      [box("pause", false), box("approve:99", true)],
      [],
    ],
    [
      "an id the bot never writes is ignored",
      ["- [ ] a <!-- medic:box evil:1 -->"],
      ["- [x] a <!-- medic:box evil:1 -->"],
      [],
    ],
    [
      "only the changed one of several",
      [box("hold:1", false), box("hold:2", false)],
      [box("hold:1", false), box("hold:2", true)],
      [["hold:2", true]],
    ],
    [
      "a box inside other text is not a box",
      ["text - [ ] x <!-- medic:box pause -->"],
      ["text - [x] x <!-- medic:box pause -->"],
      [],
    ],
  ] as const)("%s", (_n, before, after, expected) => {
    expect(diffBoxes(before.join("\n"), after.join("\n")).map((c) => [c.id, c.checked])).toEqual(expected);
  });

  it.each([
    ["pause", { kind: "pause" }],
    ["approve:12", { kind: "approve", pr: 12 }],
    ["retry:7", { kind: "retry", pr: 7 }],
    ["tune:for:NodeDown", { kind: "tune", proposal: "for:NodeDown" }],
    ["approve:x", null],
    ["tune:", null],
  ] as const)("parseBoxId(%s)", (id, expected) => {
    expect(parseBoxId(id)).toEqual(expected);
  });
});

describe("dashboard state block", () => {
  it.each([
    [
      "round trip",
      renderDashboardState({ paused: true, pausedBy: "olivia", pausedAt: "2026-01-01T00:00:00.000Z" }),
      { paused: true, pausedBy: "olivia", pausedAt: "2026-01-01T00:00:00.000Z" },
    ],
    ["missing", "no state here", { paused: false }],
    ["unreadable JSON", "<!-- medic:dashboard-state {paused: true} -->", { paused: false }],
    ["unknown fields", '<!-- medic:dashboard-state {"paused":true,"x":1} -->', { paused: false }],
  ] as const)("%s", (_n, body, expected) => {
    expect(readDashboardState(body)).toEqual(expected);
  });

  it("a login with markup cannot end the comment", () => {
    const text = renderDashboardState({ paused: true, pausedBy: "a-->b<!--" });
    expect(text.match(/-->/g)).toHaveLength(1);
    expect(readDashboardState(text).pausedBy).toBe("a-->b<!--");
  });
});

describe("renderDashboard", () => {
  const T =
    "{{marker}}\n{{pause}}\n{{incidentCount}}\n{{incidents}}\n{{prCount}}\n{{pullRequests}}\n{{reverts}}\n{{quarantined}}\n{{noise}}\n{{updatedAt}}\n{{state}}";
  const now = Date.parse("2026-01-01T12:00:00Z");
  const model = (over: Partial<DashboardModel> = {}): DashboardModel => ({
    repo: "acme/gitops",
    generatedAt: now,
    state: { paused: false },
    incidents: [],
    pullRequests: [],
    reverts: [],
    quarantined: [],
    noise: null,
    tuningPrs: {},
    ...over,
  });

  it("escapes alert and PR text: mentions, markers and markup never get through", () => {
    const body = renderDashboard(
      model({
        incidents: [
          {
            number: 5,
            url: "https://github.com/acme/gitops/issues/5",
            title: "@acme/oncall <!-- medic:box pause --> <b>x</b>",
            severity: "warning",
            startedAt: now - 3_600_000,
          },
        ],
        pullRequests: [
          {
            number: 12,
            url: "https://github.com/acme/gitops/pull/12",
            title: "- [x] ping @bob",
            kind: "remediation",
            waitingFor: "checks",
            held: true,
            approvedBy: ["alice"],
          },
        ],
      }),
      T,
    );
    expect(body.match(/<!-- medic:box pause -->/g)).toHaveLength(1);
    expect(body).not.toContain("@acme/oncall");
    expect(body).not.toContain("<b>");
    expect(body).toContain("  - [x] hold <!-- medic:box hold:12 -->");
    expect(body).toContain("  - [ ] approve <!-- medic:box approve:12 -->");
    expect(body).toContain("| warning | 1h |");
  });

  it("proposals become boxes; one already turned into a PR links to it instead", () => {
    const hist = [0, 1, 2, 3, 4].map((i) => ({
      number: i + 1,
      key: `Flappy/${i}`,
      alertname: "Flappy",
      severity: "warning" as const,
      episodes: [
        { start: now - 86_400_000 + i * 3_600_000, end: now - 86_400_000 + i * 3_600_000 + 120_000 },
      ],
      actions: [],
      remediated: false,
    }));
    const noise = analyzeNoise({ incidents: hist, config: NoiseConfig.parse({}), now });
    const body = renderDashboard(
      model({
        noise,
        tuningPrs: { "severity:Flappy": { number: 40, url: "https://github.com/acme/gitops/pull/40" } },
      }),
      T,
    );
    expect(body).toContain("- [ ] raise for: of Flappy to 3m — fired 5×");
    expect(body).toContain("<!-- medic:box tune:for:Flappy -->");
    expect(body).toContain("lower severity of Flappy from warning to info — fired 5×");
    expect(body).toContain("[#40](https://github.com/acme/gitops/pull/40)");
    expect(body).not.toContain("medic:box tune:severity:Flappy");
  });
});
