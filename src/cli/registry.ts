import type { CliCommand } from "./command.js";
import { notBuilt } from "./commands/not-built.js";
import { policyCheckCommand } from "./commands/policy-check.js";
import { policyTestCommand } from "./commands/policy-test.js";
import { serveCommand } from "./commands/serve.js";

/**
 * Every `medic` command, in the order `--help` lists them. Commands whose issue has not landed are
 * `notBuilt(...)`: they say so and exit 2, they never pretend.
 */
export const commands: readonly CliCommand[] = [
  serveCommand,
  notBuilt(
    ["simulate"],
    "the whole decision path offline for an alert: incident, runbook, diff, policy, risk",
  ),
  notBuilt(["demo"], "the offline end-to-end story on examples/"),
  policyCheckCommand,
  policyTestCommand,
  notBuilt(["runbook", "test"], "run runbook test cases (alert + repo fixture ⇒ expected changes)"),
  notBuilt(["owners"], "who owns each path under CODEOWNERS, and the line that decided it"),
  notBuilt(["risk"], "safe or destructive, with reasons, for a local diff"),
  notBuilt(["evidence"], "export a compliance evidence pack (Markdown, JSON, HTML with charts)"),
  notBuilt(["audit", "verify"], "verify the hash chain of an audit ledger"),
  notBuilt(["noise"], "alert-noise analysis from a recorded export"),
];
