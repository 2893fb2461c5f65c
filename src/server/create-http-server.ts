import { createServer, type Server } from "node:http";
import type { Logger } from "../workflows/ports/logger.js";
import { type HttpRoute, sendJson } from "./http-route.js";

export interface MedicHttpServer {
  server: Server;
  addRoute(route: HttpRoute): void;
  /** Stop accepting connections; resolves when open requests have finished or `timeoutMs` passed. */
  close(timeoutMs?: number): Promise<void>;
}

/** A small router over node:http: exact paths, 404 and 405, errors answered with 500 and logged. */
export function createHttpServer(logger: Logger): MedicHttpServer {
  const routes = new Map<string, HttpRoute>();
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const route = routes.get(`${req.method} ${path}`);
    if (!route) {
      const other = [...routes.values()].some((r) => r.path === path);
      req.resume();
      sendJson(res, other ? 405 : 404, { error: other ? "method not allowed" : "not found" });
      return;
    }
    route.handle(req, res).catch((err: unknown) => {
      logger.error({ path, err: err instanceof Error ? err.message : String(err) }, "route failed");
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.end();
    });
  });
  // Slow-loris guard: a client must send its headers and body within these bounds.
  server.headersTimeout = 15_000;
  server.requestTimeout = 60_000;
  return {
    server,
    addRoute(route) {
      routes.set(`${route.method} ${route.path}`, route);
    },
    close(timeoutMs = 10_000) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, timeoutMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
