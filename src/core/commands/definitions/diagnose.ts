import { defineCommand } from "../command-spec.js";
import { noArgs } from "../validate-args.js";

export const diagnoseCommand = defineCommand({
  name: "diagnose",
  summary: "Collect read-only facts from the cluster about this incident and post them as a comment.",
  usage: ["/diagnose"],
  examples: ["/diagnose"],
  places: ["issue"],
  who: { minRole: "triage" },
  handler: "action",
  allowedOnHold: true,
  parseArgs: noArgs,
});
