import { defineCommand } from "../command-spec.js";
import { splitWords } from "../validate-args.js";

/** Upper bound on `/scale N`: a typo such as `/scale 3000` must not become a pull request. */
export const MAX_SCALE = 500;

export const scaleCommand = defineCommand({
  name: "scale",
  summary: `Open a pull request that sets the incident workload's replicas to N (0–${MAX_SCALE}; a large drop is destructive and gated).`,
  usage: ["/scale N"],
  examples: ["/scale 5"],
  places: ["issue"],
  who: { minRole: "write" },
  handler: "action",
  allowedOnHold: false,
  parseArgs: (args) => {
    const words = splitWords(args);
    if (!words.ok) return words;
    const w = words.value;
    if (w.length !== 1) return { ok: false, message: "expected exactly one number of replicas" };
    if (!/^(0|[1-9]\d{0,3})$/.test(w[0]!) || Number(w[0]) > MAX_SCALE) {
      return { ok: false, message: `replicas must be a whole number from 0 to ${MAX_SCALE}` };
    }
    return { ok: true, value: { replicas: Number(w[0]) } };
  },
});
