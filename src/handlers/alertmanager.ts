import { createHash, timingSafeEqual } from "node:crypto";
import { readBody } from "../adapters/http/read-body.js";
import type { Metrics } from "../adapters/metrics/create-metrics.js";
import { type AlertmanagerPayload, parseAlertmanagerPayload } from "../core/incident/alertmanager.js";
import { type HttpRoute, sendJson } from "../server/http-route.js";
import type { DeliveryDedupe } from "../workflows/ports/coordination.js";
import type { Logger } from "../workflows/ports/logger.js";

/** Alertmanager caps nothing; we do (a storm group of 10,000 alerts is ~5 MB). */
export const ALERT_BODY_LIMIT = 5 * 1024 * 1024;
/** HA peers send the same notification ~15 s apart; identical ones within this window are dropped. */
const DUPLICATE_TTL_MS = 60_000;

export interface AlertmanagerRouteOptions {
  /** `ALERTMANAGER_TOKEN`; when unset every request is refused. */
  token: string | undefined;
  logger: Logger;
  dedupe: DeliveryDedupe;
  metrics?: Pick<Metrics, "webhooksReceived">;
  /** Queues the notification; false when the queue is full (503, Alertmanager retries). */
  accept(payload: AlertmanagerPayload): boolean;
}

/**
 * `POST /alertmanager`: the `webhook_config` receiver. Authenticates the bearer token in constant time,
 * reads at most 5 MB, validates payload version 4 (400 names the field), drops identical HA copies, and
 * answers 202 at once — the work happens in the queue, never inside the request.
 */
export function alertmanagerRoute(opts: AlertmanagerRouteOptions): HttpRoute {
  const expected = opts.token ? digest(opts.token) : null;
  return {
    method: "POST",
    path: "/alertmanager",
    async handle(req, res) {
      const count = (outcome: "processed" | "duplicate" | "rejected" | "failed") =>
        opts.metrics?.webhooksReceived.inc({ event: "alertmanager", outcome });
      const header = req.headers.authorization ?? "";
      const m = /^Bearer\s+(.+)$/i.exec(header);
      // Equal-length digests make the comparison constant-time whatever the token length (CVE-2022-24912).
      if (!expected || !m || !timingSafeEqual(digest(m[1]!.trim()), expected)) {
        req.resume();
        res.setHeader("www-authenticate", 'Bearer realm="alertmanager"');
        count("rejected");
        return sendJson(res, 401, { error: "a valid bearer token is required" });
      }
      const body = await readBody(req, ALERT_BODY_LIMIT);
      if (!body.ok) {
        count("rejected");
        return sendJson(res, body.status, { error: body.message });
      }
      let json: unknown;
      try {
        json = JSON.parse(body.body.toString("utf8"));
      } catch {
        count("rejected");
        return sendJson(res, 400, { error: "body is not valid JSON" });
      }
      const parsed = parseAlertmanagerPayload(json);
      if (!parsed.ok) {
        count("rejected");
        return sendJson(res, 400, {
          error: `invalid Alertmanager payload at ${parsed.path}: ${parsed.message}`,
          path: parsed.path,
        });
      }
      const p = parsed.payload;
      if (!(await opts.dedupe.firstSeen(`alertmanager:${notificationId(p)}`, DUPLICATE_TTL_MS))) {
        count("duplicate");
        return sendJson(res, 202, { status: "duplicate" });
      }
      if (!opts.accept(p)) {
        await opts.dedupe.forget(`alertmanager:${notificationId(p)}`);
        res.setHeader("retry-after", "30");
        count("failed");
        return sendJson(res, 503, { error: "alert queue is full, retry later" });
      }
      opts.logger.debug(
        { groupKey: p.groupKey, alerts: p.alerts.length, status: p.status },
        "alert notification queued",
      );
      count("processed");
      sendJson(res, 202, { status: "accepted" });
    },
  };
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** What makes two notifications the same: group, truncation, and each alert's state (not the sender). */
export function notificationId(p: AlertmanagerPayload): string {
  const h = createHash("sha256").update(`${p.groupKey}\n${p.truncatedAlerts}\n`);
  for (const a of p.alerts) h.update(`${a.fingerprint}|${a.status}|${a.startsAt}|${a.endsAt}\n`);
  return h.digest("hex");
}
