import { createLogger } from "../../adapters/logging/create-logger.js";
import { parseEnvConfig } from "../../core/config/env-config.js";
import { readPrivateKey } from "../../server/build-probot.js";
import { createCoordination } from "../../server/create-coordination.js";
import { startServer } from "../../server/start-server.js";
import { systemClock } from "../../workflows/ports/clock.js";
import type { CliCommand } from "../command.js";

const SHUTDOWN_BOUND_MS = 25_000;

export const serveCommand: CliCommand = {
  name: ["serve"],
  summary: "the GitHub App server (Probot) with the Alertmanager route; same as npm start",
  usage: `medic serve

Starts the GitHub App server. Configuration comes from the environment (see README "Server environment"):
APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET [, WEBHOOK_SECRET_PREVIOUS], ALERTMANAGER_TOKEN,
INCIDENT_REPO, KUBECONFIG, REDIS_URL, LOG_LEVEL, NODE_ENV, GHE_HOST, GHE_PROTOCOL, PORT, HOST, WEBHOOK_PATH.
On SIGTERM or SIGINT it stops accepting requests, drains queued work (at most ${SHUTDOWN_BOUND_MS / 1000} s) and exits.`,
  async run(args, io) {
    if (args.length > 0) {
      io.stderr(`medic serve: unexpected argument "${args[0]}" (configuration comes from the environment)\n`);
      return 2;
    }
    const parsed = parseEnvConfig(io.env);
    if (!parsed.ok) {
      io.stderr(`medic serve: ${parsed.message}\n`);
      return 2;
    }
    const env = parsed.env;
    const key = readPrivateKey(env);
    if (!key.ok) {
      io.stderr(`medic serve: ${key.message}\n`);
      return 2;
    }
    const log = createLogger({ level: env.LOG_LEVEL });
    if (env.NODE_ENV !== "production" && !env.WEBHOOK_SECRET) {
      log.warn({}, "WEBHOOK_SECRET is not set: using 'development' (refused when NODE_ENV=production)");
    }
    const coordination = createCoordination(env, systemClock, log);
    const server = await startServer({ env, privateKey: key.key, log, clock: systemClock, coordination });
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        log.info({ signal }, "shutting down");
        server.stop(SHUTDOWN_BOUND_MS).then(resolve, resolve);
      };
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
    });
    // Probot's throttle keeps its own Redis connection and reconnects forever while Redis is down; once
    // our work is drained nothing else matters, so do not let that connection hold the process.
    setTimeout(() => process.exit(0), 2_000).unref();
    return 0;
  },
};
