import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { DestinationStream } from "pino";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/adapters/logging/create-logger.js";
import { FAKE, secretPieces } from "../core/log/fake-secrets.js";

// Detection patterns written independently of src/core/log/secret-patterns.ts, so a gap in the
// redaction list is not mirrored by the same gap in the scan.
const DETECT: [string, RegExp][] = [
  ["GitHub token", /gh[pousr]_[A-Za-z0-9]{20,}/],
  ["fine-grained PAT", /github_pat_[A-Za-z0-9_]{20,}/],
  ["v1 installation token", /v1\.[0-9a-f]{40}/],
  ["JWT", /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/],
  ["PEM private key", /PRIVATE KEY-----(\\n|\n)[A-Za-z0-9+/]{20,}/],
  ["webhook signature", /sha256=[0-9a-f]{64}/],
  ["bearer credential", /Bearer\s+(?!\[REDACTED\])[A-Za-z0-9._~+/-]{20,}/],
];

function findSecrets(text: string): string[] {
  return DETECT.filter(([, re]) => re.test(text)).map(([name]) => name);
}

function captureLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const log = createLogger({ level: "trace", destination: destination as unknown as DestinationStream });
  return { log, lines };
}

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

/** The ways code ends up logging a secret: each a call on a logger at a given level. */
const SHAPES: [string, (log: ReturnType<typeof createLogger>, level: (typeof LEVELS)[number]) => void][] = [
  ["token in the message", (l, lv) => l[lv](`installation token is ${FAKE.ghs}`)],
  ["printf argument", (l, lv) => l[lv]("token %s and jwt %s", FAKE.ghp, FAKE.appJwt)],
  [
    "object argument after the message",
    (l, lv) => l[lv]("headers %o", { authorization: `token ${FAKE.ghu}` }),
  ],
  [
    "request headers",
    (l, lv) =>
      l[lv](
        {
          req: {
            method: "POST",
            headers: {
              authorization: `Bearer ${FAKE.alertmanagerBearer}`,
              "x-hub-signature-256": FAKE.hubSignature256,
              "x-hub-signature": FAKE.hubSignature1,
            },
          },
        },
        "request received",
      ),
  ],
  [
    "Octokit request options",
    (l, lv) =>
      l[lv](
        {
          options: {
            method: "POST",
            url: "/app/installations/1/access_tokens",
            headers: { authorization: `bearer ${FAKE.appJwt}` },
          },
        },
        "github request",
      ),
  ],
  [
    "env dump",
    (l, lv) =>
      l[lv](
        {
          env: {
            PRIVATE_KEY: FAKE.pemEscaped,
            WEBHOOK_SECRET: FAKE.webhookSecret,
            ALERTMANAGER_TOKEN: FAKE.alertmanagerBearer,
            REDIS_URL: `redis://:${FAKE.webhookSecret}@redis:6379`,
          },
        },
        "configuration",
      ),
  ],
  ["PEM in a nested array", (l, lv) => l[lv]({ a: [{ b: [FAKE.pemPkcs8] }] }, "nested")],
  [
    "error with token in message and request",
    (l, lv) =>
      l[lv](
        Object.assign(new Error(`Bad credentials for ${FAKE.fineGrainedPat}`), {
          status: 401,
          request: { headers: { authorization: `token ${FAKE.v1Installation}` } },
        }),
      ),
  ],
  [
    "error under err with a message",
    (l, lv) =>
      l[lv]({ err: new Error(`clone https://x-access-token:${FAKE.ghs}@github.com/o/r`) }, "git failed"),
  ],
  [
    "child logger bindings",
    (l, lv) => l.child({ installationToken: FAKE.ghs, jwt: FAKE.appJwt })[lv]("child"),
  ],
  [
    "refresh token and old-style token in prose",
    (l, lv) => l[lv](`refreshed ${FAKE.ghr} replacing ${FAKE.v1Installation}`),
  ],
  ["PEM key as the message", (l, lv) => l[lv](FAKE.pemPkcs1)],
];

describe("log scan: the app logger at every level", () => {
  it.each(LEVELS.flatMap((level) => SHAPES.map(([shape, call]) => [level, shape, call] as const)))(
    "%s: %s leaves no secret in the output",
    (level, _shape, call) => {
      const { log, lines } = captureLogger();
      call(log, level);
      expect(lines).toHaveLength(1);
      const text = lines.join("");
      expect(secretPieces().filter((p) => text.includes(p))).toEqual([]);
      expect(findSecrets(text)).toEqual([]);
      // Still a usable JSON line at the right level, not an empty or mangled one.
      const parsed = JSON.parse(text) as { level: number; msg?: string };
      expect(parsed.level).toBe(log.levels.values[level]);
      expect(typeof parsed.msg).toBe("string");
    },
  );

  it("keeps the ordinary data around the secrets", () => {
    const { log, lines } = captureLogger();
    log.info(
      { incidentKey: "shop/KubePodCrashLooping/checkout", headers: { authorization: FAKE.ghs } },
      "opened",
    );
    expect(JSON.parse(lines[0]!)).toMatchObject({
      incidentKey: "shop/KubePodCrashLooping/checkout",
      headers: { authorization: "[REDACTED]" },
      msg: "opened",
    });
  });

  it("the detection patterns do find every fake secret (the scan is not blind)", () => {
    const raw = [
      FAKE.ghs,
      FAKE.fineGrainedPat,
      FAKE.v1Installation,
      FAKE.appJwt,
      FAKE.pemEscaped,
      FAKE.hubSignature256,
      `Bearer ${FAKE.alertmanagerBearer}`,
    ];
    expect(raw.map((r) => findSecrets(r).length)).toEqual(raw.map(() => 1));
  });
});

/**
 * Runs the rest of the suite (not this file) in a child process and returns everything it printed.
 * The suite mostly waits (timers, sockets, child processes), so running it beside the parent suite
 * costs wall time more than CPU.
 */
function runSuite(root: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, "node_modules/vitest/vitest.mjs"), "run", "--exclude", "test/security/log-scan.test.ts"],
      { cwd: root, env: { ...process.env, CI: "1", FORCE_COLOR: "0", NO_COLOR: "1" } },
    );
    // Kept apart: interleaved chunks of the two streams could split a secret and hide it.
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.once("error", reject);
    child.once("close", () =>
      resolve(`${Buffer.concat(out).toString("utf8")}\n${Buffer.concat(err).toString("utf8")}`),
    );
  });
}

// The whole suite's output. CI runs the suite once with its output saved and points MEDIC_SUITE_LOG
// at the file; without it, this test runs the rest of the suite itself (excluding this file) and
// scans what it printed, stdout and stderr, including anything written straight to the descriptors.
describe("log scan: the output of the whole test suite", () => {
  it("holds no token, key, JWT or signature", { timeout: 15 * 60_000 }, async () => {
    const root = join(import.meta.dirname, "../..");
    let output: string;
    const saved = process.env["MEDIC_SUITE_LOG"];
    if (saved) {
      // `npm test` passes the suite's output and the app's trace-level log file, separated by ":".
      const files = saved.split(":").filter(Boolean);
      output = files.map((f) => readFileSync(f, "utf8")).join("\n");
      if (files.length > 1) {
        // The app log must hold real log lines, or the scan proves nothing.
        expect(readFileSync(files[1]!, "utf8").split("\n").length).toBeGreaterThan(100);
      }
    } else {
      output = await runSuite(root);
    }
    // The run happened and produced its summary; pass or fail is the suite's own business.
    expect(output).toMatch(/Test Files\s+.*\d+/);
    const hits = output
      .split("\n")
      .flatMap((line, i) => findSecrets(line).map((what) => `line ${i + 1}: ${what}`));
    expect(hits).toEqual([]);
  });
});
