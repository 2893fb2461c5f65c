import { createTwoFilesPatch } from "diff";
import type { Change } from "./remediation-plan.js";

/** A Change with its unified diff; a new file diffs against `/dev/null`. */
export function buildChange(input: {
  path: string;
  before: string | null;
  after: string;
  step: string;
  summary: string;
}): Change {
  const diff = createTwoFilesPatch(
    input.before === null ? "/dev/null" : `a/${input.path}`,
    `b/${input.path}`,
    input.before ?? "",
    input.after,
    undefined,
    undefined,
    { context: 3 },
  );
  return { ...input, diff: stripIndexHeader(diff) };
}

/** `createTwoFilesPatch` starts with a `===` rule line that `git apply` does not need. */
function stripIndexHeader(diff: string): string {
  return diff.replace(/^=+\n/, "");
}
