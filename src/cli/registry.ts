import type { CliCommand } from "./command.js";
import { auditVerifyCommand } from "./commands/audit-verify.js";
import { demoCommand } from "./commands/demo.js";
import { evidenceCommand } from "./commands/evidence.js";
import { noiseCommand } from "./commands/noise.js";
import { ownersCommand } from "./commands/owners.js";
import { policyCheckCommand } from "./commands/policy-check.js";
import { policyTestCommand } from "./commands/policy-test.js";
import { riskCommand } from "./commands/risk.js";
import { runbookTestCommand } from "./commands/runbook-test.js";
import { serveCommand } from "./commands/serve.js";
import { simulateCommand } from "./commands/simulate.js";

/** Every `medic` command, in the order `--help` lists them. */
export const commands: readonly CliCommand[] = [
  serveCommand,
  simulateCommand,
  demoCommand,
  policyCheckCommand,
  policyTestCommand,
  runbookTestCommand,
  ownersCommand,
  riskCommand,
  evidenceCommand,
  auditVerifyCommand,
  noiseCommand,
];
