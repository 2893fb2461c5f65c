import type { Metrics } from "../adapters/metrics/create-metrics.js";
import type { HttpRoute } from "../server/http-route.js";

/**
 * `GET /metrics`: Prometheus text exposition of the app's registry. It carries counts and route
 * templates only (no repository names, no tokens), so it is served without auth; the NetworkPolicy
 * in deploy/ limits who can reach it.
 */
export function metricsRoute(metrics: Pick<Metrics, "registry">): HttpRoute {
  return {
    method: "GET",
    path: "/metrics",
    async handle(_req, res) {
      const body = await metrics.registry.metrics();
      res.writeHead(200, {
        "content-type": metrics.registry.contentType,
        "content-length": Buffer.byteLength(body),
        "cache-control": "no-store",
      });
      res.end(body);
    },
  };
}
