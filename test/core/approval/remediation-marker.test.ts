import { describe, expect, it } from "vitest";
import {
  formatRemediationMarker,
  parseRemediationMarker,
} from "../../../src/core/approval/remediation-marker.js";

const marker = {
  incidentKey: "shop/web/KubePodCrashLooping",
  runbook: "restart-pod",
  requester: "rita",
  planHash: "sha256:0123abcd",
};

describe("remediation marker", () => {
  it("round-trips", () => {
    const body = `Some PR text\n\n${formatRemediationMarker(marker)}\n`;
    expect(parseRemediationMarker(body)).toEqual({ ok: true, marker });
  });

  it("a key with --> cannot end the HTML comment early", () => {
    const text = formatRemediationMarker({ ...marker, incidentKey: "a --> <b>&" });
    expect(text.indexOf("-->")).toBe(text.length - 3);
    expect(parseRemediationMarker(text)).toMatchObject({ ok: true, marker: { incidentKey: "a --> <b>&" } });
  });

  it.each([
    ["no marker", "just a PR", "missing"],
    ["null body", null, "missing"],
    ["not JSON", "<!-- medic:remediation {nope} -->", "invalid"],
    [
      "bad requester",
      '<!-- medic:remediation {"incidentKey":"k","runbook":"r","requester":"a b","planHash":"12345678"} -->',
      "invalid",
    ],
    ["two markers", `${formatRemediationMarker(marker)}\n${formatRemediationMarker(marker)}`, "ambiguous"],
  ])("%s ⇒ %s", (_n, body, reason) => {
    expect(parseRemediationMarker(body)).toMatchObject({ ok: false, reason });
  });

  it("a bot-only remediation has a null requester", () => {
    const text = formatRemediationMarker({ ...marker, requester: null });
    expect(parseRemediationMarker(text)).toMatchObject({ ok: true, marker: { requester: null } });
  });
});
