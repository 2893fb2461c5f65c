import type { IncidentsConfig } from "../core/config/sections/incidents.js";
import type { IncidentTemplates } from "../core/incident/incident-templates.js";
import type { IncidentHooks } from "./incident-hooks.js";
import type { IncidentIndex } from "./incident-index.js";
import type { AuditSink } from "./ports/audit-sink.js";
import type { Clock } from "./ports/clock.js";
import type { KeyedLock } from "./ports/coordination.js";
import type { Logger } from "./ports/logger.js";

/** The incidents configuration in force, and a warning when `.github/medic.yml` was broken. */
export interface ResolvedIncidentsConfig {
  config: IncidentsConfig;
  /** "Invalid configuration in .github/medic.yml: field … — defaults used", shown in issue bodies. */
  warning?: string;
}

/** What the incident workflows need, passed in (ports and plain values only). */
export interface IncidentWorkflowDeps {
  clock: Clock;
  logger: Logger;
  lock: KeyedLock;
  templates: IncidentTemplates;
  /** `owner/name` of the default incident repository (`INCIDENT_REPO`). */
  defaultRepo: string;
  /** The index of a repository's incident issues (one per repository, cached by the caller). */
  indexFor(repo: string): Promise<IncidentIndex>;
  /** The incidents config of the default repository. */
  config(): Promise<ResolvedIncidentsConfig>;
  /** Run `fn` after `ms` (deferred body updates); real timers in the app, virtual ones in benchmarks. */
  later(ms: number, fn: () => Promise<void>): void;
  hooks?: IncidentHooks;
  /** Evidence records of the incident lifecycle (opened, reopened, resolved) for the audit ledger. */
  audit?: AuditSink;
}
