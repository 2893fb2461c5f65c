import { verifyWithFallback } from "@octokit/webhooks-methods";
import type { Probot } from "probot";
import { readBody } from "../adapters/http/read-body.js";
import type { Metrics } from "../adapters/metrics/create-metrics.js";
import { type HttpRoute, sendJson } from "../server/http-route.js";
import type { DeliveryDedupe } from "../workflows/ports/coordination.js";
import type { Logger } from "../workflows/ports/logger.js";

/** GitHub caps webhook payloads at 25 MB; anything larger is not from GitHub. */
export const GITHUB_WEBHOOK_MAX_BYTES = 25 * 1024 * 1024;
/** GitHub gives up after 10 s; answer 202 before that and let the work finish. */
const ACK_AFTER_MS = 9_000;
/** Redeliveries keep X-GitHub-Delivery; remember ids for a day. */
const DEDUPE_TTL_MS = 24 * 3_600_000;

export interface WebhookRouteOptions {
  path: string;
  probot: Probot;
  /** Current secret first, then the previous one while rotating. */
  secrets: string[];
  dedupe: DeliveryDedupe;
  logger: Logger;
  metrics?: Pick<Metrics, "webhooksReceived">;
}

/**
 * The GitHub webhook route: size cap before reading, HMAC-SHA256 over the raw bytes (constant time,
 * current and previous secret), de-duplication by delivery id, then Probot's own dispatch.
 */
export function githubWebhookRoute(opts: WebhookRouteOptions): HttpRoute {
  const [primary, ...previous] = opts.secrets;
  const count = (event: string, outcome: "processed" | "duplicate" | "rejected" | "failed") =>
    opts.metrics?.webhooksReceived.inc({ event, outcome });
  return {
    method: "POST",
    path: opts.path,
    async handle(req, res) {
      const name = header(req.headers["x-github-event"]);
      const id = header(req.headers["x-github-delivery"]);
      const signature = header(req.headers["x-hub-signature-256"]);
      if (!name || !id || !signature) {
        req.resume();
        count("unknown", "rejected");
        sendJson(res, 400, { error: "missing X-GitHub-Event, X-GitHub-Delivery or X-Hub-Signature-256" });
        return;
      }
      const body = await readBody(req, GITHUB_WEBHOOK_MAX_BYTES);
      if (!body.ok) {
        count(name, "rejected");
        sendJson(res, body.status, { error: body.message });
        return;
      }
      const raw = body.body.toString("utf8");
      const valid = primary ? await safeVerify(primary, raw, signature, previous) : false;
      if (!valid) {
        opts.logger.warn({ event: name, delivery: id }, "webhook signature does not match; ignored");
        count(name, "rejected");
        sendJson(res, 401, { error: "signature does not match" });
        return;
      }
      let payload: unknown;
      try {
        payload = JSON.parse(raw);
      } catch {
        count(name, "rejected");
        sendJson(res, 400, { error: "body is not JSON" });
        return;
      }
      if (!(await opts.dedupe.firstSeen(`gh:${id}`, DEDUPE_TTL_MS))) {
        opts.logger.info({ event: name, delivery: id }, "duplicate delivery ignored");
        count(name, "duplicate");
        sendJson(res, 200, { ok: true, duplicate: true });
        return;
      }
      const work = opts.probot
        .receive({ id, name, payload } as Parameters<Probot["receive"]>[0])
        .then(() => "done" as const);
      const timer = new Promise<"slow">((resolve) => setTimeout(() => resolve("slow"), ACK_AFTER_MS).unref());
      try {
        const first = await Promise.race([work, timer]);
        void work.then(
          () => count(name, "processed"),
          () => undefined,
        );
        sendJson(res, first === "done" ? 200 : 202, { ok: true });
        if (first === "slow") await work;
      } catch (err) {
        // Let a manual redelivery run again.
        await opts.dedupe.forget(`gh:${id}`);
        count(name, "failed");
        opts.logger.error({ event: name, delivery: id, err: errorSummary(err) }, "webhook handler failed");
        if (!res.headersSent) sendJson(res, 500, { error: "handler failed" });
      }
    },
  };
}

async function safeVerify(
  secret: string,
  raw: string,
  signature: string,
  others: string[],
): Promise<boolean> {
  try {
    return Boolean(await verifyWithFallback(secret, raw, signature, others.length > 0 ? others : undefined));
  } catch {
    return false;
  }
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function errorSummary(err: unknown): string {
  if (
    err &&
    typeof err === "object" &&
    "errors" in err &&
    Array.isArray((err as { errors: unknown[] }).errors)
  ) {
    return (err as { errors: unknown[] }).errors
      .map((e) => (e instanceof Error ? e.message : String(e)))
      .join("; ");
  }
  return err instanceof Error ? err.message : String(err);
}
