import { defineCommand } from "../command-spec.js";
import { optionalKeyword } from "../validate-args.js";

export const holdCommand = defineCommand({
  name: "hold",
  summary: "Block merging and all automation on this pull request or incident until `/hold cancel`.",
  usage: ["/hold", "/hold cancel"],
  examples: ["/hold", "/hold cancel"],
  places: ["pull_request", "issue"],
  who: { minRole: "triage" },
  handler: "builtin",
  allowedOnHold: true,
  parseArgs: (args) => optionalKeyword(args, "cancel"),
});
