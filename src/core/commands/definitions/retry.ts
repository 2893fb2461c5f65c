import { defineCommand } from "../command-spec.js";
import { noArgs } from "../validate-args.js";

export const retryCommand = defineCommand({
  name: "retry",
  summary: "Retry the aborted Argo Rollout of this incident or pull request.",
  usage: ["/retry"],
  examples: ["/retry"],
  places: ["issue", "pull_request"],
  who: { minRole: "write" },
  handler: "action",
  allowedOnHold: false,
  parseArgs: noArgs,
});
