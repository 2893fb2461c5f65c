import type { Metrics } from "./adapters/metrics/create-metrics.js";
import type { EnvConfig } from "./core/config/env-config.js";
import type { HttpRoute } from "./server/http-route.js";
import type { AuditSink } from "./workflows/ports/audit-sink.js";
import type { Clock } from "./workflows/ports/clock.js";
import type { DeliveryDedupe, KeyedLock, WriteBudget } from "./workflows/ports/coordination.js";
import type { Logger } from "./workflows/ports/logger.js";

/** What handlers get from the server: shared infrastructure, passed in (no module-level singletons). */
export interface AppDeps {
  env: EnvConfig;
  clock: Clock;
  logger: Logger;
  lock: KeyedLock;
  dedupe: DeliveryDedupe;
  writeBudget: WriteBudget;
  /** Counters and gauges served on `/metrics`. */
  metrics: Metrics;
  /**
   * Evidence records for the audit ledger of each repository (batched; flushed on shutdown). `medic serve`
   * always sets it; deps built by hand without it keep the hidden blocks but write no ledger.
   */
  audit?: AuditSink;
  /** Register an extra HTTP route (e.g. `POST /alertmanager`). */
  addRoute(route: HttpRoute): void;
  /** Register work to finish on graceful shutdown (drain queues). */
  onShutdown(fn: () => Promise<void>): void;
}
