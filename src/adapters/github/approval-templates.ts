import { readFileSync } from "node:fs";

export interface ApprovalTemplates {
  /** `templates/approval-check.md` */
  check: string;
  /** `templates/command-reply.md` */
  commandReply: string;
}

let cached: ApprovalTemplates | undefined;

/** The approval and command templates shipped with the package (read once). */
export function loadApprovalTemplates(): ApprovalTemplates {
  const read = (name: string) => readFileSync(new URL(`../../../templates/${name}`, import.meta.url), "utf8");
  cached ??= { check: read("approval-check.md"), commandReply: read("command-reply.md") };
  return cached;
}
