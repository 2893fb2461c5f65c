import { createMemoryAuditSink, type MemoryAuditSink } from "../../src/adapters/memory/audit-sink.js";
import { createMetrics } from "../../src/adapters/metrics/create-metrics.js";
import type { AppDeps } from "../../src/app-deps.js";
import { parseEnvConfig } from "../../src/core/config/env-config.js";
import type { HttpRoute } from "../../src/server/http-route.js";
import { manualClock } from "../../src/workflows/ports/clock.js";
import { silentLogger } from "../../src/workflows/ports/logger.js";
import { testCoordination } from "./memory-coordination.js";

/**
 * AppDeps for handler tests: a manual clock, a silent logger, pass-through coordination, a fresh metrics
 * registry, an in-memory audit sink (`auditSink.records` holds what handlers recorded), and the routes
 * handlers register collected in `routes`. Override any part.
 */
export function testAppDeps(
  overrides: Partial<AppDeps> & { rawEnv?: Record<string, string> } = {},
): AppDeps & { routes: HttpRoute[]; shutdownHooks: (() => Promise<void>)[]; auditSink: MemoryAuditSink } {
  const { rawEnv, ...rest } = overrides;
  const env = parseEnvConfig(rawEnv ?? {});
  if (!env.ok) throw new Error(env.message);
  const coordination = testCoordination();
  const routes: HttpRoute[] = [];
  const shutdownHooks: (() => Promise<void>)[] = [];
  const auditSink = createMemoryAuditSink();
  return {
    env: env.env,
    clock: manualClock("2026-01-01T00:00:00Z"),
    logger: silentLogger,
    lock: coordination.lock,
    dedupe: coordination.dedupe,
    writeBudget: coordination.writeBudget,
    metrics: createMetrics({ defaultMetrics: false }),
    audit: auditSink,
    addRoute: (r) => routes.push(r),
    onShutdown: (fn) => shutdownHooks.push(fn),
    routes,
    shutdownHooks,
    auditSink,
    ...rest,
  };
}
