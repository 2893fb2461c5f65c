import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/command.js";
import { readFlags } from "../../src/cli/read-flags.js";

const spec = {
  values: ["--repo", "--format"],
  repeated: ["--policies"],
  booleans: ["--bundled"],
  positionals: true,
};

describe("readFlags", () => {
  it("reads values, repeats, booleans, = forms and positionals", () => {
    const f = readFlags(
      [
        "--repo",
        "a/b",
        "--format=json",
        "--policies",
        "p1",
        "--policies=p2",
        "--bundled",
        "x.yaml",
        "--",
        "--not-a-flag",
      ],
      spec,
    );
    expect(f.value("--repo")).toBe("a/b");
    expect(f.value("--format")).toBe("json");
    expect(f.all("--policies")).toEqual(["p1", "p2"]);
    expect(f.has("--bundled")).toBe(true);
    expect(f.positionals).toEqual(["x.yaml", "--not-a-flag"]);
  });

  it.each([
    [["--repo"], "--repo needs a value"],
    [["--repo="], "--repo needs a value"],
    [["--rep", "x"], "unknown option --rep"],
    [["--bundled=yes"], "--bundled takes no value"],
  ])("%j ⇒ %s", (argv, message) => {
    expect(() => readFlags(argv, spec)).toThrow(new UsageError(message));
  });

  it("refuses bare arguments when the command takes none", () => {
    expect(() => readFlags(["stray"], { values: ["--from"] })).toThrow(
      new UsageError("unexpected argument stray"),
    );
  });
});
