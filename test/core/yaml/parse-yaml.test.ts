import { describe, expect, it } from "vitest";
import { parseYaml, parseYamlDocument } from "../../../src/core/yaml/parse-yaml.js";

const bomb = [
  "a: &a [x,x,x,x,x,x,x,x,x]",
  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
  "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
  "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
  "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
  "g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
].join("\n");

describe("parseYaml refuses hostile input with a value naming the file", () => {
  it.each([
    ["a billion-laughs alias bomb (<1 KB)", bomb, /^ReferenceError: Excessive alias count/],
    ["5,000 nested [", `${"[".repeat(5000)}${"]".repeat(5000)}`, /^nesting deeper than 200 levels$/],
    [
      "a 5 MB+ file",
      `a: "${"x".repeat(5 * 1024 * 1024)}"`,
      /^file is \d+ bytes, over the 5242880-byte limit$/,
    ],
    ["10,000 documents", "a: 1\n---\n".repeat(10_000), /^more than 2000 documents, over the limit$/],
    ["a NUL byte", "a: 1\u0000", /^file contains a NUL byte/],
    ["a syntax error", "a: [1, 2\nb: }", /^document 0: /],
    ["a duplicate key", "a: 1\na: 2\n", /^document 0: Map keys must be unique/],
  ])("%s", (_name, text, message) => {
    const res = parseYaml(text, "apps/web/deploy.yaml");
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.file).toBe("apps/web/deploy.yaml");
      expect(res.error.message).toMatch(message);
    }
  });

  it("gives the line of a syntax error", () => {
    const res = parseYaml("a: 1\nb: 2\nc: [unclosed\n", "x.yaml");
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.line).toBeGreaterThanOrEqual(3);
  });

  it("parses a multi-document manifest with comments and keeps each document's value", () => {
    const res = parseYaml("# web\nkind: Deployment\n---\nkind: Service # svc\n", "m.yaml");
    expect(res.ok).toBe(true);
    if (res.ok)
      expect(res.documents.map((d) => d.value)).toEqual([{ kind: "Deployment" }, { kind: "Service" }]);
  });

  it("parseYamlDocument refuses two non-empty documents", () => {
    expect(parseYamlDocument("a: 1\n---\nb: 2\n", "one.yaml")).toEqual({
      ok: false,
      error: { file: "one.yaml", message: "expected one YAML document, found 2" },
    });
  });
});
