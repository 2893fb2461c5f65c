import { defineCommand } from "../command-spec.js";
import { optionalKeyword } from "../validate-args.js";

export const approveCommand = defineCommand({
  name: "approve",
  summary:
    "Approve the pull request at its current head commit; counted by `medic/approval` like a review (`cancel` withdraws it).",
  usage: ["/approve", "/approve cancel"],
  examples: ["/approve", "/approve cancel"],
  places: ["pull_request"],
  who: { minRole: "write" },
  handler: "builtin",
  allowedOnHold: true,
  parseArgs: (args) => optionalKeyword(args, "cancel"),
});
