import { describe, expect, it } from "vitest";
import { checkPermission } from "../../../src/core/commands/check-permission.js";
import { ROLES, type Role } from "../../../src/core/commands/command-spec.js";
import { COMMANDS } from "../../../src/core/commands/registry.js";

// The documented table (docs/commands.md), written out by hand so a change to a command's permission
// must change this test too.
const MIN_ROLE: Record<string, Role> = {
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

const cases = COMMANDS.flatMap((spec) =>
  ROLES.flatMap((role) => [false, true].map((listed) => [spec.name, role, listed] as const)),
);

describe("every command × every role", () => {
  it("the table covers every command", () => {
    expect(Object.keys(MIN_ROLE).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
  });

  it.each(cases)("/%s by %s (in overrideUsers: %s)", (name, role, listed) => {
    const spec = COMMANDS.find((c) => c.name === name)!;
    const res = checkPermission(spec, { login: "u", isBot: false, role, inOverrideList: listed });
    const allowed = ROLES.indexOf(role) >= ROLES.indexOf(MIN_ROLE[name]!) && (name !== "override" || listed);
    expect(res.ok).toBe(allowed);
    if (!res.ok) expect(res.reason).toMatch(/role|overrideUsers/);
  });

  it.each(COMMANDS.map((c) => c.name))("/%s by a bot is refused even as admin", (name) => {
    const spec = COMMANDS.find((c) => c.name === name)!;
    expect(
      checkPermission(spec, { login: "x[bot]", isBot: true, role: "admin", inOverrideList: true }),
    ).toEqual({
      ok: false,
      reason: "bots and apps cannot run commands",
    });
  });
});
