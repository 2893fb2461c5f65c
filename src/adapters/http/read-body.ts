import type { IncomingMessage } from "node:http";

export type ReadBodyResult = { ok: true; body: Buffer } | { ok: false; status: 413 | 400; message: string };

/**
 * Reads a request body as a stream with a hard cap: a declared `content-length` over the cap is refused
 * before reading, and a chunked body is cut off as soon as it crosses the cap, so memory stays bounded
 * (Argo CD was OOM-killed by an unbounded webhook body, CVE-2024-40634).
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<ReadBodyResult> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return {
      ok: false,
      status: 413,
      message: `body of ${declared} bytes is over the ${maxBytes}-byte limit`,
    };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > maxBytes) {
        req.resume();
        return { ok: false, status: 413, message: `body is over the ${maxBytes}-byte limit` };
      }
      chunks.push(buf);
    }
  } catch {
    return { ok: false, status: 400, message: "request body could not be read" };
  }
  return { ok: true, body: Buffer.concat(chunks, size) };
}
