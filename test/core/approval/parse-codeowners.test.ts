import { describe, expect, it } from "vitest";
import { compilePattern, findOwners, parseCodeowners } from "../../../src/core/approval/parse-codeowners.js";

// The example file from GitHub's "About code owners" page, verbatim apart from the repeated /apps/ block
// (kept once in each variant below, since the last matching line wins).
const GITHUB_EXAMPLE = `# This is a comment.
# Each line is a file pattern followed by one or more owners.

*       @global-owner1 @global-owner2
*.js    @js-owner #This is an inline comment.
*.go docs@example.com
*.txt @octo-org/octocats
/build/logs/ @doctocat
docs/*  docs@example.com
apps/ @octocat
/docs/ @doctocat
/scripts/ @doctocat @octocat
**/logs @octocat
/apps/ @octocat
/apps/github
`;

describe("CODEOWNERS: GitHub's documented example", () => {
  const co = parseCodeowners(GITHUB_EXAMPLE);
  it("parses without errors", () => {
    expect(co.errors).toEqual([]);
  });
  it.each([
    ["README.md", ["@global-owner1", "@global-owner2"], 4],
    ["src/app.js", ["@js-owner"], 5],
    ["cmd/main.go", ["docs@example.com"], 6],
    ["notes/todo.txt", ["@octo-org/octocats"], 7],
    ["build/logs/today/out.log", ["@octocat"], 13], // **/logs (a later line) wins over /build/logs/
    ["build/other/x.bin", ["@global-owner1", "@global-owner2"], 4],
    ["docs/getting-started.md", ["@doctocat"], 11], // /docs/ is later than docs/*
    ["docs/build-app/troubleshooting.md", ["@doctocat"], 11],
    ["scripts/deploy.sh", ["@doctocat", "@octocat"], 12],
    ["deeply/nested/logs/a.log", ["@octocat"], 13],
    ["apps/main/index.ts", ["@octocat"], 14],
    ["lib/apps/x.ts", ["@octocat"], 10], // apps/ matches an apps directory anywhere
    ["apps/github/index.ts", [], 15], // matched, explicitly without owners
  ])("%s → %j (line %i)", (path, owners, line) => {
    const rule = findOwners(co, path);
    expect(rule?.owners.map((o) => o.text)).toEqual(owners);
    expect(rule?.line).toBe(line);
  });

  it("a later owner for /apps/github wins (second documented variant)", () => {
    const co2 = parseCodeowners("/apps/ @octocat\n/apps/github @doctocat\n");
    expect(findOwners(co2, "apps/github/a.ts")?.owners.map((o) => o.text)).toEqual(["@doctocat"]);
    expect(findOwners(co2, "apps/gitlab/a.ts")?.owners.map((o) => o.text)).toEqual(["@octocat"]);
  });

  it("docs/* alone matches direct children only", () => {
    const only = parseCodeowners("docs/* docs@example.com\n");
    expect(findOwners(only, "docs/getting-started.md")).toBeDefined();
    expect(findOwners(only, "docs/build-app/troubleshooting.md")).toBeUndefined();
  });

  it("classifies owner kinds", () => {
    const rule = parseCodeowners("* @u @org/team-a u@example.com\n").rules[0]!;
    expect(rule.owners.map((o) => o.kind)).toEqual(["user", "team", "email"]);
  });
});

describe("CODEOWNERS: gitignore-style patterns", () => {
  it.each([
    ["foo", "foo", true],
    ["foo", "foo.txt", false],
    ["foo", "bar/foo/baz", true],
    ["/foo", "bar/foo", false],
    ["/foo", "foo/bar/baz", true],
    ["foo/", "foo", false],
    ["foo/", "bar/foo/baz", true],
    ["/foo/", "bar/foo/baz", false],
    ["foo/bar", "baz/foo/bar", false],
    ["foo/bar", "foo/bar/baz", true],
    ["foo/bar", "foo/bart", false],
    ["*", "bar/foo/baz", true],
    ["/*", "foo", true],
    ["/*", "foo/bar", false],
    ["f*", "bar/foo/baz", true],
    ["f*", "xfoo", false],
    ["/*/", "foo/bar", true],
    ["/*/", "foo", false],
    ["foo/*", "foo/bar/baz", false],
    ["foo/*.txt", "foo/bar.txt", true],
    ["foo/*.txt", "foo/bar/baz.txt", false],
    ["foo/*/baz", "foo/bar/baz/qux", true],
    ["f?o", "foo", true],
    ["f?o", "fooo", false],
    ["**/foo/bar", "qux/foo/bar/baz", true],
    ["**/foo/bar", "foo/baz/bar", false],
    ["foo/bar/**", "foo/bar", false],
    ["foo/bar/**", "foo/bar/baz/qux", true],
    ["foo/**/bar", "foo/bar", true],
    ["foo/**/bar", "foo/qux/quux/bar/baz", true],
    ["foo/**/bar", "qux/foo/bar", false],
    ["*.yaml", "apps/shop/deploy.yaml", true],
    ["*.yaml", "apps/shop/deploy.yml", false],
    ["/Apps/", "apps/x", false], // case sensitive, like GitHub
  ])("%s matches %s: %s", (pattern, path, expected) => {
    expect(compilePattern(pattern).test(path)).toBe(expected);
  });
});

describe("CODEOWNERS: lines GitHub does not support are errors (the gate then fails closed)", () => {
  it.each([
    ["!apps/ @octocat", "negation"],
    ["*.[ch] @octocat", "character ranges"],
    ["\\#file @octocat", "escaping a leading #"],
    ["apps/ octocat", "not a @user"],
    ["apps/ @-bad-", "not a @user"],
  ])("%s", (line, message) => {
    const co = parseCodeowners(`* @default\n${line}\n`);
    expect(co.errors).toHaveLength(1);
    expect(co.errors[0]!.line).toBe(2);
    expect(co.errors[0]!.message).toContain(message);
    expect(co.rules).toHaveLength(1);
  });

  it("a file of 3 MB or more is not loaded", () => {
    const co = parseCodeowners(`* @a\n${"# x\n".repeat(800_000)}`);
    expect(co.rules).toEqual([]);
    expect(co.errors[0]!.message).toContain("3 MB");
  });

  it("blank lines, comments and CRLF are fine", () => {
    const co = parseCodeowners("# c\r\n\r\n/a/ @x # trailing\r\n");
    expect(co.errors).toEqual([]);
    expect(co.rules[0]).toMatchObject({ pattern: "/a/", line: 3 });
  });
});
