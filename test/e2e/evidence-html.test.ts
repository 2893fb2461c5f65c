import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { inflateSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

const run = promisify(execFile);
// Debian's chromium; MEDIC_CHROMIUM points elsewhere (other distributions, a pinned build).
const CHROMIUM = process.env["MEDIC_CHROMIUM"] ?? "/usr/bin/chromium";
const EXAMPLE = new URL("../../examples/evidence/export.json", import.meta.url).pathname;
const WIDTH = 1280;
const HEIGHT = 2000;

// Flags that keep headless Chromium offline and quiet: no sandbox (containers), no GPU, no background
// networking, updates or sync, a throwaway profile. Logging to stderr lets the test see page errors.
function chromiumArgs(profile: string, extra: string[], url: string): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
    `--user-data-dir=${profile}`,
    ...extra,
    url,
  ];
}

/** The image header and the inflated pixel rows of a PNG (enough to tell a blank page from a drawn one). */
function readPng(buf: Buffer): { width: number; height: number; distinctBytes: number } {
  expect(buf.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(buf.subarray(12, 16).toString("ascii")).toBe("IHDR");
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let off = 8; off < buf.length; ) {
    const len = buf.readUInt32BE(off);
    const type = buf.subarray(off + 4, off + 8).toString("ascii");
    if (type === "IDAT") idat.push(buf.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const seen = new Set<number>();
  for (let i = 0; i < raw.length; i += 7) seen.add(raw[i]!);
  return { width, height, distinctBytes: seen.size };
}

describe("evidence.html in headless Chromium", () => {
  const out = join(mkdtempSync(join(tmpdir(), "medic-evidence-e2e-")), "pack");
  let url = "";

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: this screenshot test needs Debian's chromium (apt-get install -y chromium fonts-liberation); CI installs it in .ci/run`,
      );
    }
    let stderr = "";
    const code = await main(["evidence", "--from", EXAMPLE, "--out", out], {
      stdout: () => {},
      stderr: (t) => (stderr += t),
      cwd: process.cwd(),
      env: {},
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    url = pathToFileURL(join(out, "evidence.html")).href;
  }, 60_000);

  it("renders a screenshot of the requested width with the charts drawn", async () => {
    const png = join(out, "..", "evidence.png");
    const { stderr } = await run(
      CHROMIUM,
      chromiumArgs(
        mkdtempSync(join(tmpdir(), "medic-chrome-")),
        [`--screenshot=${png}`, `--window-size=${WIDTH},${HEIGHT}`],
        url,
      ),
      { timeout: 45_000 },
    );
    expect(stderr).not.toMatch(/Uncaught|CONSOLE\(\d+\)/);
    expect(existsSync(png)).toBe(true);
    // A blank 1280×2000 page compresses to a few KB; the report with charts and tables is far larger.
    expect(statSync(png).size).toBeGreaterThan(50_000);
    const img = readPng(readFileSync(png));
    expect(img.width).toBe(WIDTH);
    expect(img.height).toBe(HEIGHT);
    expect(img.distinctBytes).toBeGreaterThan(64);
  }, 60_000);

  it("has the seven SVG charts with their marks in the rendered DOM and no page errors", async () => {
    const { stdout, stderr } = await run(
      CHROMIUM,
      chromiumArgs(mkdtempSync(join(tmpdir(), "medic-chrome-")), ["--dump-dom"], url),
      { timeout: 45_000, maxBuffer: 32 * 1024 * 1024 },
    );
    expect(stderr).not.toMatch(/Uncaught|CONSOLE\(\d+\)/);
    const charts = [...stdout.matchAll(/<svg[^>]*data-chart="([^"]+)"/g)].map((m) => m[1]);
    expect(charts).toEqual([
      "incident-durations",
      "incident-trend",
      "dora-deployment-frequency",
      "dora-lead-time",
      "dora-change-failure-rate",
      "dora-time-to-restore",
      "violations",
    ]);
    for (const id of charts) {
      const svg = stdout.slice(stdout.indexOf(`data-chart="${id}"`));
      const body = svg.slice(0, svg.indexOf("</svg>"));
      expect(body, `chart ${id} has no marks`).toMatch(/class="mark"/);
    }
    expect(stdout).toContain("DORA incident report drafts");
  }, 60_000);
});
