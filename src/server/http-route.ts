import type { IncomingMessage, ServerResponse } from "node:http";

/** A route on the app's HTTP server (besides the GitHub webhook path). */
export interface HttpRoute {
  method: "GET" | "POST";
  /** Exact path, e.g. `/alertmanager`. */
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** Writes a JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}
