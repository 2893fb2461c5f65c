import { defineCommand } from "../command-spec.js";
import { optionalKeyword } from "../validate-args.js";

export const promoteCommand = defineCommand({
  name: "promote",
  summary: "Promote the paused Argo Rollout to its next step (`full`: skip the remaining steps).",
  usage: ["/promote", "/promote full"],
  examples: ["/promote", "/promote full"],
  places: ["issue", "pull_request"],
  who: { minRole: "write" },
  handler: "action",
  allowedOnHold: false,
  parseArgs: (args) => optionalKeyword(args, "full"),
});
