import type { Suggestion } from "../plan/remediation-plan.js";
import type { TerminationFacts } from "./cluster-facts.js";

/**
 * A fix to consider after the rollback, from the last termination. Suggestions only: the rollback stops
 * the bleeding; the real fix is a human decision in a follow-up change.
 */
export function suggestCrashFix(
  container: string,
  last: TerminationFacts | undefined,
  memoryLimit: string | undefined,
): Suggestion | null {
  if (!last) return null;
  if (last.reason === "OOMKilled") {
    const raised = memoryLimit ? raiseQuantity(memoryLimit) : undefined;
    return {
      title: `Raise the memory limit of container ${container}`,
      body:
        `The container was OOMKilled (exit code ${last.exitCode}): it used more memory than its limit` +
        `${memoryLimit ? ` of ${memoryLimit}` : ""}. Check for a leak or a larger working set in the new version, ` +
        `then raise resources.limits.memory${raised ? ` (for example to ${raised})` : ""} and the request with it.`,
    };
  }
  const byCode: Record<number, string> = {
    1: "The process exited with an application error (exit code 1): read the log tail above for the failing start-up step — a missing or changed configuration value, secret, migration or dependency is the usual cause.",
    2: "Exit code 2 usually means a command-line or shell usage error: check the container's command and args in the new version.",
    126: "Exit code 126: the entrypoint is not executable. Check the image's ENTRYPOINT and file permissions.",
    127: "Exit code 127: the entrypoint was not found in the image. Check the command and the image build.",
    137: "Exit code 137 (SIGKILL) without OOMKilled: usually the liveness probe killed a slow start. Check the probe's initialDelaySeconds or add a startupProbe.",
    139: "Exit code 139 (SIGSEGV): the process crashed. Check native dependencies and the base image of the new version.",
    143: "Exit code 143 (SIGTERM): the container was stopped; check probes and preStop hooks.",
  };
  const text = byCode[last.exitCode];
  return {
    title: `Fix the start-up failure of container ${container}`,
    body:
      text ??
      `The container terminated with reason ${last.reason} and exit code ${last.exitCode}; see the log tail for the cause.`,
  };
}

/** 1.5× a memory quantity, rounded up to whole Mi (e.g. 512Mi ⇒ 768Mi). */
function raiseQuantity(q: string): string | undefined {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti)?$/.exec(q);
  if (!m) return undefined;
  const factor = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 }[
    (m[2] ?? "Mi") as "Ki" | "Mi" | "Gi" | "Ti"
  ];
  const mi = Math.ceil(Number(m[1]) * factor * 1.5);
  return mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`;
}
