import { createHash } from "node:crypto";
import { open, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import type { AuditLedger } from "../../workflows/ports/audit-ledger.js";

/** A lock file older than this is from a crashed writer and may be broken. */
const STALE_LOCK_MS = 30_000;

function versionOf(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/**
 * A ledger in a local JSON Lines file (for `medic simulate`, demos and single-host setups). The version is
 * the sha-256 of the content; a write takes an exclusive lock file (`<path>.lock`, created with O_EXCL),
 * re-checks the version under the lock, writes a temporary file and renames it over the ledger, so a
 * reader never sees half a line and two writers never both win.
 */
export function fileLedger(path: string): AuditLedger {
  const lock = `${path}.lock`;
  return {
    name: path,
    async read() {
      const text = await readOrNull(path);
      return text === null ? { text: "", version: null } : { text, version: versionOf(text) };
    },
    async write(text, expected) {
      let handle: Awaited<ReturnType<typeof open>> | undefined;
      try {
        handle = await open(lock, "wx");
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
        if (age > STALE_LOCK_MS) await unlink(lock).catch(() => undefined);
        return { ok: false, reason: "conflict" };
      }
      try {
        const current = await readOrNull(path);
        const version = current === null ? null : versionOf(current);
        if (version !== expected) return { ok: false, reason: "conflict" };
        const tmp = `${path}.${process.pid}.tmp`;
        await writeFile(tmp, text, "utf8");
        await rename(tmp, path);
        return { ok: true, version: versionOf(text) };
      } finally {
        await handle.close();
        await unlink(lock).catch(() => undefined);
      }
    },
  };
}
