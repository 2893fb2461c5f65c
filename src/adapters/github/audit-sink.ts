import { AuditRecord } from "../../core/audit/audit-record.js";
import { createAuditQueue } from "../../workflows/append-audit.js";
import type { AuditLedger } from "../../workflows/ports/audit-ledger.js";
import type { AuditEntry, AuditSink } from "../../workflows/ports/audit-sink.js";
import type { Clock } from "../../workflows/ports/clock.js";
import type { WriteBudget } from "../../workflows/ports/coordination.js";
import type { Logger } from "../../workflows/ports/logger.js";
import { createGitHubAuditLedger } from "./audit-ledger.js";
import type { GitHubOctokit } from "./git-data.js";
import { rateLimitWait } from "./write-queue.js";

/** One commit per this many records at most (and a flush as soon as a repository has this many queued). */
const DEFAULT_MAX_BATCH = 100;
/**
 * Time between flushes. Each flush that has records costs 3 content-creating requests (tree, commit, ref)
 * per repository, so 30 s keeps the ledger under ~6 of GitHub's 80 writes a minute however busy the bot is.
 */
const DEFAULT_FLUSH_EVERY_MS = 30_000;

export interface GitHubAuditSinkOptions {
  /** The installation (id and octokit) that can write to a repository `owner/name`. */
  installationFor(repo: string): Promise<{ id: number; octokit: GitHubOctokit }>;
  writeBudget: WriteBudget;
  clock: Clock;
  logger: Logger;
  /** Ledger branch and path (defaults `medic-audit`, `audit.jsonl`). */
  branch?: string;
  path?: string;
  maxBatch?: number;
  /** 0 turns the timer off (tests flush by hand). */
  flushEveryMs?: number;
}

export interface GitHubAuditSink extends AuditSink {
  /** Stops the timer and flushes until every queue is empty or an append fails (graceful shutdown). */
  close(): Promise<void>;
}

type RepoQueue = ReturnType<typeof createAuditQueue>;

/**
 * The audit sink over the ledger branch of each repository: one queue per repository (the ledger lives in the
 * GitOps repository the decision concerns), flushed on a timer, when a queue reaches `maxBatch`, and on
 * shutdown. Every ledger write takes the installation's write budget and a rate-limit answer pauses that
 * installation's writes like any other write. Replicas each run their own queues; the ledger's
 * compare-and-swap (`appendAudit`) keeps their appends on one chain.
 */
export function createGitHubAuditSink(opts: GitHubAuditSinkOptions): GitHubAuditSink {
  const maxBatch = opts.maxBatch ?? DEFAULT_MAX_BATCH;
  const queues = new Map<string, Promise<RepoQueue>>();
  const ready = new Map<string, RepoQueue>();
  const logger = opts.logger;

  const queueFor = (repo: string): Promise<RepoQueue> => {
    let q = queues.get(repo);
    if (!q) {
      q = (async () => {
        const { id, octokit } = await opts.installationFor(repo);
        const scope = `installation:${id}`;
        const [owner, name] = repo.split("/") as [string, string];
        const ledger = createGitHubAuditLedger(
          octokit,
          { owner, repo: name },
          {
            ...(opts.branch ? { branch: opts.branch } : {}),
            ...(opts.path ? { path: opts.path } : {}),
            beforeWrite: () => opts.writeBudget.acquire(scope),
          },
        );
        const queue = createAuditQueue(pausingOnRateLimit(ledger, scope), { maxBatch, logger });
        ready.set(repo, queue);
        return queue;
      })();
      // An installation lookup that failed is retried (records stay in `waiting`) on the next flush.
      q.catch(() => queues.delete(repo));
      queues.set(repo, q);
    }
    return q;
  };

  const pausingOnRateLimit = (ledger: AuditLedger, scope: string): AuditLedger => ({
    name: ledger.name,
    read: () => ledger.read(),
    async write(text, expected, message) {
      try {
        return await ledger.write(text, expected, message);
      } catch (err) {
        const waitMs = rateLimitWait(err, opts.clock.now());
        if (waitMs !== null) await opts.writeBudget.pauseUntil(scope, opts.clock.now() + waitMs);
        throw err;
      }
    },
  });

  /** Records whose repository queue is not ready yet (installation lookup in flight or failed). */
  const waiting = new Map<string, AuditRecord[]>();
  let flushing: Promise<void> = Promise.resolve();

  const flushRepo = async (repo: string): Promise<boolean> => {
    let queue: RepoQueue;
    try {
      queue = await queueFor(repo);
    } catch (err) {
      logger.warn({ repo, error: (err as Error).message }, "audit ledger: installation lookup failed");
      return false;
    }
    for (const r of waiting.get(repo) ?? []) queue.add(r);
    waiting.delete(repo);
    while (queue.size > 0) {
      try {
        const res = await queue.flush();
        if (!res?.ok) return false;
      } catch (err) {
        logger.warn(
          { repo, error: (err as Error).message, queued: queue.size },
          "audit ledger append failed",
        );
        return false;
      }
    }
    return true;
  };

  const flushAll = (): Promise<void> => {
    const run = flushing.then(async () => {
      const repos = new Set([...waiting.keys(), ...queues.keys()]);
      for (const repo of repos) await flushRepo(repo);
    });
    flushing = run.catch(() => undefined);
    return run;
  };

  const everyMs = opts.flushEveryMs ?? DEFAULT_FLUSH_EVERY_MS;
  const timer =
    everyMs > 0
      ? setInterval(() => {
          void flushAll();
        }, everyMs)
      : undefined;
  timer?.unref();

  return {
    record(entry: AuditEntry) {
      const rec = AuditRecord.parse(entry);
      const repo = entry.subject.repo;
      const list = waiting.get(repo) ?? [];
      list.push(rec);
      waiting.set(repo, list);
      if (list.length >= maxBatch) void flushAll();
    },
    flush: flushAll,
    async close() {
      if (timer) clearInterval(timer);
      await flushAll();
      const left =
        [...waiting.values()].reduce((n, l) => n + l.length, 0) +
        [...ready.values()].reduce((n, q) => n + q.size, 0);
      if (left > 0) logger.error({ records: left }, "audit records not written to the ledger at shutdown");
    },
  };
}
