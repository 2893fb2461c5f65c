import { describe, expect, it } from "vitest";
import { findCommand, main, renderHelp } from "../../src/cli/main.js";
import { commands } from "../../src/cli/registry.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => err.push(t),
      cwd: process.cwd(),
      env: {},
      isTTY: false,
    },
    out: () => out.join(""),
    err: () => err.join(""),
  };
}

describe("medic command", () => {
  it("lists every command of the design in --help", async () => {
    const c = capture();
    expect(await main(["--help"], c.io)).toBe(0);
    for (const name of [
      "serve",
      "simulate",
      "demo",
      "policy check",
      "policy test",
      "runbook test",
      "owners",
      "risk",
      "evidence",
    ]) {
      expect(c.out()).toContain(`  ${name} `);
    }
  });

  it("exits 2 with the help when called without a command", async () => {
    const c = capture();
    expect(await main([], c.io)).toBe(2);
    expect(c.out()).toContain("Usage: medic <command>");
  });

  it("names an unknown command", async () => {
    const c = capture();
    expect(await main(["simulat"], c.io)).toBe(2);
    expect(c.err()).toBe('medic: unknown command "simulat"; run `medic --help` for the list\n');
  });

  it("asks for a sub-command of a group", async () => {
    const c = capture();
    expect(await main(["policy"], c.io)).toBe(2);
    expect(c.err()).toContain('"policy" needs a sub-command: policy check, policy test');
  });

  it("every command answers --help with its usage", async () => {
    for (const cmd of commands) {
      const c = capture();
      expect(await main([...cmd.name, "--help"], c.io)).toBe(0);
      expect(c.out()).toContain(cmd.name.join(" "));
    }
  });

  it("matches the longest command name", () => {
    expect(findCommand(["policy", "check", "x.yaml"])?.cmd.name).toEqual(["policy", "check"]);
    expect(renderHelp()).toMatch(/^medic — gitops-medic/);
  });
});
