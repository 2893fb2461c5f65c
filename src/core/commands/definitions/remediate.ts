import { defineCommand } from "../command-spec.js";
import { splitWords } from "../validate-args.js";

/** Runbook names are DNS-1123 labels, as in `runbooks/*.yaml`. */
const RUNBOOK_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export const remediateCommand = defineCommand({
  name: "remediate",
  summary:
    "Plan a remediation for this incident and open a pull request (the matching runbook, or the one named).",
  usage: ["/remediate", "/remediate RUNBOOK"],
  examples: ["/remediate", "/remediate restart-crashlooping-pod"],
  places: ["issue"],
  who: { minRole: "write" },
  handler: "action",
  allowedOnHold: false,
  parseArgs: (args) => {
    const words = splitWords(args);
    if (!words.ok) return words;
    const w = words.value;
    if (w.length === 0) return { ok: true, value: { runbook: null as string | null } };
    if (w.length > 1) return { ok: false, message: "takes at most one runbook name" };
    if (!RUNBOOK_NAME.test(w[0]!)) {
      return { ok: false, message: "a runbook name is lower-case letters, digits and dashes (at most 63)" };
    }
    return { ok: true, value: { runbook: w[0]! as string | null } };
  },
});
