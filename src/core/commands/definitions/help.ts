import { defineCommand } from "../command-spec.js";
import { noArgs } from "../validate-args.js";

export const helpCommand = defineCommand({
  name: "help",
  summary: "List the commands, who may use them, and examples.",
  usage: ["/help"],
  examples: ["/help"],
  places: ["pull_request", "issue"],
  who: { minRole: "none" },
  handler: "builtin",
  allowedOnHold: true,
  parseArgs: noArgs,
});
