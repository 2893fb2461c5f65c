import { defineCommand } from "../command-spec.js";
import { splitWords } from "../validate-args.js";

/** A commit SHA (7–40 hex), an Argo CD history id, or a tag such as `v1.2.3`. */
const REVISION = /^(?:[0-9a-f]{7,40}|\d{1,9}|[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/;

export const rollbackCommand = defineCommand({
  name: "rollback",
  summary: "Open a pull request that returns the workload to its last healthy revision, or to the one named.",
  usage: ["/rollback", "/rollback to REVISION"],
  examples: ["/rollback", "/rollback to 3f2c1ab", "/rollback to v1.4.2"],
  places: ["issue", "pull_request"],
  who: { minRole: "write" },
  handler: "action",
  allowedOnHold: false,
  parseArgs: (args) => {
    const words = splitWords(args);
    if (!words.ok) return words;
    const w = words.value;
    if (w.length === 0) return { ok: true, value: { to: null as string | null } };
    if (w.length !== 2 || w[0] !== "to") return { ok: false, message: "expected nothing or `to REVISION`" };
    if (!REVISION.test(w[1]!) || w[1]!.includes("..")) {
      return { ok: false, message: "a revision is a commit SHA, an Argo CD history id or a tag like v1.2.3" };
    }
    return { ok: true, value: { to: w[1]! as string | null } };
  },
});
