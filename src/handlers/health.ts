import { type HttpRoute, sendJson } from "../server/http-route.js";

/** A readiness probe: a named check that answers whether a dependency is usable now. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

/** `GET /healthz`: the process serves requests (liveness). */
export const healthzRoute: HttpRoute = {
  method: "GET",
  path: "/healthz",
  async handle(_req, res) {
    sendJson(res, 200, { status: "ok" });
  },
};

/** `GET /readyz`: every dependency check passes (Probot initialised, Redis reachable when used, …). */
export function readyzRoute(checks: () => readonly ReadinessCheck[]): HttpRoute {
  return {
    method: "GET",
    path: "/readyz",
    async handle(_req, res) {
      const results = await Promise.all(
        checks().map(async (c) => ({ name: c.name, ok: await c.check().catch(() => false) })),
      );
      const ready = results.every((r) => r.ok);
      sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "not ready", checks: results });
    },
  };
}
