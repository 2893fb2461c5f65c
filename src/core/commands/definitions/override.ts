import { defineCommand } from "../command-spec.js";
import { freeText } from "../validate-args.js";

/** The only check a break-glass override may target. */
export const OVERRIDABLE_CHECK = "medic/approval";

export const overrideCommand = defineCommand({
  name: "override",
  summary:
    "Break-glass: pass `medic/approval` at the current head commit without the required approvals; recorded with actor and reason.",
  usage: ["/override medic/approval REASON"],
  examples: ["/override medic/approval INC-123 outage, security on-call unreachable"],
  places: ["pull_request"],
  who: { minRole: "write", overrideList: true },
  handler: "builtin",
  allowedOnHold: true,
  parseArgs: (args) => {
    const m = /^[ \t]*(\S+)(?:[ \t]+([\s\S]*))?$/.exec(args);
    if (!m) return { ok: false, message: "expected `medic/approval REASON`" };
    if (m[1] !== OVERRIDABLE_CHECK) {
      return { ok: false, message: `only \`${OVERRIDABLE_CHECK}\` can be overridden` };
    }
    const reason = freeText(m[2] ?? "", "a reason");
    if (!reason.ok) return reason;
    return { ok: true, value: { check: OVERRIDABLE_CHECK, reason: reason.value } as const };
  },
});
