import { describe, expect, it } from "vitest";
import { escapeMarkdown } from "../../../src/core/markdown/escape-markdown.js";
import { parseMarker } from "../../../src/core/markdown/parse-marker.js";
import { renderCodeBlock } from "../../../src/core/markdown/render-code-block.js";
import { renderMarker } from "../../../src/core/markdown/render-marker.js";
import { renderTemplate } from "../../../src/core/markdown/render-template.js";
import { sanitizeTitle } from "../../../src/core/markdown/sanitize-title.js";

// A mention or reference that GitHub would link: a sigil directly followed by a name character.
const LIVE_MENTION = /(^|[^\w&])@[A-Za-z0-9]/;
const LIVE_REF = /(^|[^\w&])#\d/;

describe("escapeMarkdown", () => {
  it.each([
    ["plain text", "pod checkout crashed", "pod checkout crashed"],
    ["a team mention", "ping @org/team now", "ping @&#8203;org/team now"],
    ["a user mention at the start", "@octocat look", "@&#8203;octocat look"],
    ["an issue reference", "see #123", "see #&#8203;123"],
    ["HTML", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert\\(1\\)&gt;"],
    ["a forged marker", "<!-- medic:incident X -->", "&lt;\\!-- medic:incident X --&gt;"],
    ["a fence break", "```\nrm -rf /\n```", "\\`\\`\\` rm -rf / \\`\\`\\`"],
    ["a table break", "a | b\nc", "a \\| b c"],
    ["a heading at the start", "# big", "\\# big"],
    ["a list marker at the start", "- item", "\\- item"],
    ["an ordered list marker", "1. first", "1\\. first"],
    [
      "links and images",
      "[x](javascript:alert(1)) ![i](u)",
      "\\[x\\]\\(javascript:alert\\(1\\)\\) \\!\\[i\\]\\(u\\)",
    ],
    ["entities are kept literal", "&#64;octocat", "&amp;#&#8203;64;octocat"],
    [
      "github links do not back-link",
      "https://github.com/o/r/issues/1",
      "https://redirect.github.com/o/r/issues/1",
    ],
    ["bidi overrides are dropped", "abc\u202Edef", "abcdef"],
    ["control characters are dropped", "a\u0000b\u0007c", "abc"],
    ["emphasis", "*bold* _it_ ~~s~~", "\\*bold\\* \\_it\\_ \\~\\~s\\~\\~"],
  ])("%s", (_name, input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it.each([
    "@org/team",
    "x @user y",
    "(@user)",
    "#1",
    "fix #42 please",
    "**@admin**",
    "`@user`",
    "<b>@user</b>",
    "\n@user",
  ])("neutralises %j", (input) => {
    const out = escapeMarkdown(input);
    expect(out).not.toMatch(LIVE_MENTION);
    expect(out).not.toMatch(LIVE_REF);
    expect(out).not.toContain("<");
    expect(out).not.toContain("\n");
  });

  it("truncates long text before escaping, so no escape is cut in half", () => {
    const out = escapeMarkdown("@".repeat(5000), 10);
    expect(out).toBe(`${"@&#8203;".repeat(9)}…`);
  });
});

describe("renderCodeBlock", () => {
  it("uses a fence longer than any backtick run inside", () => {
    const out = renderCodeBlock("a ```` b");
    expect(out.startsWith("`````text\n")).toBe(true);
    expect(out.endsWith("\n`````")).toBe(true);
  });
  it("breaks up markers so they are not machine-readable", () => {
    const out = renderCodeBlock("<!-- medic:incident K -->");
    expect(parseMarker(out, "incident")).toBeNull();
    expect(out).not.toContain("<!--");
  });
});

describe("markers", () => {
  it.each([
    ["KubePodCrashLooping/shop/checkout"],
    ["weird key --> <!-- medic:incident evil -->"],
    ["a b%2Fc"],
    ["ünïcødé/ns"],
  ])("round-trips %j and stays one comment", (key) => {
    const marker = renderMarker("incident", key);
    expect(marker.match(/-->/g)).toHaveLength(1);
    expect(parseMarker(`text\n${marker}\nmore`, "incident")).toBe(key);
  });

  it.each([
    ["another kind", "<!-- medic:state K -->"],
    ["not alone on its line", "see <!-- medic:incident K -->"],
    ["a non-canonical encoding", "<!-- medic:incident K%2fx -->"],
    ["a malformed escape", "<!-- medic:incident %E0%A4%A -->"],
    ["nothing", ""],
  ])("ignores %s", (_name, body) => {
    expect(parseMarker(body, "incident")).toBeNull();
  });

  it("rejects an invalid kind", () => {
    expect(() => renderMarker("Bad Kind", "k")).toThrow(/invalid marker kind/);
  });
});

describe("renderTemplate and sanitizeTitle", () => {
  it("fills placeholders and throws on a missing one", () => {
    expect(renderTemplate("a {{x}} b {{ y }}", { x: "1", y: "2" })).toBe("a 1 b 2");
    expect(() => renderTemplate("{{x}} {{z}}", { x: "1" }, "t.md")).toThrow(
      "t.md: no value for placeholder {{z}}",
    );
  });
  it.each([
    ["a\nb\tc", "a b c"],
    ["", "(untitled)"],
    ["x".repeat(300), `${"x".repeat(255)}…`],
  ])("title %j", (input, expected) => {
    expect(sanitizeTitle(input)).toBe(expected);
  });
});
