import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A real redis-server child process on 127.0.0.1, owned by one test file. */
export interface TestRedis {
  port: number;
  url: string;
  /** Kills the server (SIGKILL: no goodbye to clients, like a crashed pod). */
  kill(): Promise<void>;
  /** Starts it again on the same port (and data directory, when persistent). */
  restart(): Promise<void>;
  /** Kills it and removes its data directory. */
  stop(): Promise<void>;
}

function requireRedisServer(): void {
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      "redis-server is not installed: these tests need a real Redis. Install Debian's package " +
        "(apt-get install -y redis-server) or run .ci/run, which installs it.",
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts `redis-server --port <free> --save '' --appendonly no` (or, with `persistent`, an AOF synced
 * on every write, so that a killed server comes back with its data like a production Redis would).
 */
export async function startTestRedis(opts: { persistent?: boolean } = {}): Promise<TestRedis> {
  requireRedisServer();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "medic-redis-"));
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--dir",
    dir,
    ...(opts.persistent ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]),
  ];
  let child: ChildProcess | undefined;

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
      child = proc;
      let out = "";
      const timer = setTimeout(() => {
        proc.kill("SIGKILL");
        reject(new Error(`redis-server on port ${port} did not start within 10 s:\n${out}`));
      }, 10_000);
      proc.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code} before it was ready:\n${out}`));
      });
    });

  const kill = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once("exit", () => resolve());
      proc.kill("SIGKILL");
    });
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    restart: start,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
