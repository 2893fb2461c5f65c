import { defineCommand } from "../command-spec.js";
import { noArgs } from "../validate-args.js";

export const abortCommand = defineCommand({
  name: "abort",
  summary: "Abort the Argo Rollout in progress for this incident or pull request (allowed while on hold).",
  usage: ["/abort"],
  examples: ["/abort"],
  places: ["issue", "pull_request"],
  who: { minRole: "write" },
  handler: "action",
  allowedOnHold: true,
  parseArgs: noArgs,
});
