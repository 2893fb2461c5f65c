import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/adapters/metrics/create-metrics.js";
import { metricsRoute } from "../../src/handlers/metrics.js";

describe("GET /metrics", () => {
  it("serves the registry as Prometheus text", async () => {
    const metrics = createMetrics();
    metrics.incidentsOpened.inc(3);
    const route = metricsRoute(metrics);
    expect([route.method, route.path]).toEqual(["GET", "/metrics"]);
    const server = createServer((req, res) => void route.handle(req, res));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain");
      const body = await res.text();
      expect(body).toContain("# TYPE medic_incidents_opened_total counter");
      expect(body).toContain("medic_incidents_opened_total 3");
      expect(body).toContain("medic_process_cpu_seconds_total");
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
