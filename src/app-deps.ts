import type { Metrics } from "./adapters/metrics/create-metrics.js";
import type { EnvConfig } from "./core/config/env-config.js";
import type { HttpRoute } from "./server/http-route.js";
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
  /** Register an extra HTTP route (e.g. `POST /alertmanager`). */
  addRoute(route: HttpRoute): void;
  /** Register work to finish on graceful shutdown (drain queues). */
  onShutdown(fn: () => Promise<void>): void;
}
