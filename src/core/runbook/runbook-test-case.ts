import { z } from "zod";

/** An expected file change: the exact lines removed and added (diff lines without the `-`/`+`). */
export const ExpectedChange = z.strictObject({
  /** Repository path of the changed file. */
  path: z.string().min(1),
  /** Lines the change removes, in order (empty for a new file). */
  removed: z.array(z.string()).default([]),
  /** Lines the change adds, in order; for a new file, only those listed are checked, in order. */
  added: z.array(z.string()).default([]),
  /** True when the file must be new. */
  new: z.boolean().optional(),
});
export type ExpectedChange = z.infer<typeof ExpectedChange>;

/** What a test case or demo scenario expects the planner to decide. */
export const PlanExpectation = z.strictObject({
  /** `planned`, `failed` (matched but the plan was refused) or `no-runbook`. */
  status: z.enum(["planned", "failed", "no-runbook"]),
  /** The runbook that must match (planned and failed). */
  runbook: z.string().optional(),
  /** Risk of the plan. */
  risk: z.enum(["safe", "destructive"]).optional(),
  /** Failure kind, e.g. `limit`, `refused`, `parameter`, `not-found`, `ambiguous`. */
  kind: z.string().optional(),
  /** Failing field, e.g. `limits.maxWorkers`, `parameters.namespace`. */
  field: z.string().optional(),
  /** Text the reason must contain. */
  reasonContains: z.string().optional(),
  /** Exactly these changed files with these lines (planned). */
  changes: z.array(ExpectedChange).optional(),
  /** Exactly these imperative steps, by action, in order (planned). */
  steps: z.array(z.string()).optional(),
  /** Whether a security approval is required (planned). */
  securityApproval: z.boolean().optional(),
});
export type PlanExpectation = z.infer<typeof PlanExpectation>;

/** A runbook test case file: alert + repository fixture (+ cluster) ⇒ expected decision. */
export const RunbookTestCase = z.strictObject({
  /** What the case shows, one line. */
  name: z.string().min(1).max(200),
  /** Alertmanager payload file, relative to the test file. */
  alert: z.string().min(1),
  /** Repository fixture directory, relative to the test file. */
  repo: z.string().min(1),
  /** Cluster snapshot file, relative to the test file. */
  cluster: z.string().min(1).optional(),
  /** A medic.yml to use instead of the repository's, relative to the test file. */
  config: z.string().min(1).optional(),
  /** Runbook to ask for by id (it must still match). */
  runbook: z.string().optional(),
  /** The time to plan at (RFC 3339). */
  now: z.string().default("2026-11-27T12:00:00Z"),
  /** Files replaced or added on top of the repository fixture for this case: path ⇒ text. */
  files: z.record(z.string(), z.string()).default({}),
  /** The expected decision for the (first) incident of the alert. */
  expect: PlanExpectation,
});
export type RunbookTestCase = z.infer<typeof RunbookTestCase>;

/** What the planner decided, in the terms expectations use. */
export interface ObservedDecision {
  status: "planned" | "failed" | "no-runbook" | "resolved";
  runbook?: string;
  risk?: string;
  kind?: string;
  field?: string;
  reason: string;
  changes: { path: string; before: string | null; diff: string }[];
  steps: string[];
  securityApproval?: boolean;
}

/** Every way the observed decision differs from the expectation; empty when it meets it. */
export function compareDecision(expect: PlanExpectation, got: ObservedDecision): string[] {
  const diffs: string[] = [];
  const eq = (what: string, want: unknown, have: unknown) => {
    if (want !== undefined && want !== have)
      diffs.push(`${what}: expected ${String(want)}, got ${String(have)}`);
  };
  eq("status", expect.status, got.status);
  eq("runbook", expect.runbook, got.runbook);
  eq("risk", expect.risk, got.risk);
  eq("kind", expect.kind, got.kind);
  eq("field", expect.field, got.field);
  eq("securityApproval", expect.securityApproval, got.securityApproval);
  if (expect.reasonContains !== undefined && !got.reason.includes(expect.reasonContains)) {
    diffs.push(`reason: expected it to contain "${expect.reasonContains}", got "${got.reason}"`);
  }
  if (expect.steps !== undefined && expect.steps.join(",") !== got.steps.join(",")) {
    diffs.push(`steps: expected [${expect.steps.join(", ")}], got [${got.steps.join(", ")}]`);
  }
  if (expect.changes !== undefined) {
    const wantPaths = expect.changes.map((c) => c.path).sort();
    const havePaths = got.changes.map((c) => c.path).sort();
    if (wantPaths.join("\n") !== havePaths.join("\n")) {
      diffs.push(`changed files: expected [${wantPaths.join(", ")}], got [${havePaths.join(", ")}]`);
    }
    for (const want of expect.changes) {
      const have = got.changes.find((c) => c.path === want.path);
      if (!have) continue;
      const { removed, added } = diffLines(have.diff);
      if (want.new !== undefined && want.new !== (have.before === null)) {
        diffs.push(`${want.path}: expected ${want.new ? "a new file" : "an edited file"}`);
      }
      if (have.before !== null || want.removed.length > 0) {
        if (removed.join("\n") !== want.removed.join("\n")) {
          diffs.push(
            `${want.path}: removed lines differ:\n  expected ${JSON.stringify(want.removed)}\n  got      ${JSON.stringify(removed)}`,
          );
        }
      }
      const addedOk =
        have.before === null ? isSubsequence(want.added, added) : added.join("\n") === want.added.join("\n");
      if (!addedOk) {
        diffs.push(
          `${want.path}: added lines differ:\n  expected ${JSON.stringify(want.added)}\n  got      ${JSON.stringify(added)}`,
        );
      }
    }
  }
  return diffs;
}

/** The `-` and `+` lines of a unified diff, without the file headers. */
export function diffLines(diff: string): { removed: string[]; added: string[] } {
  const removed: string[] = [];
  const added: string[] = [];
  let inHunk = false;
  for (const line of diff.split("\n")) {
    // File headers come before the first hunk; inside hunks `---` is a removed YAML separator.
    if (line.startsWith("@@")) inHunk = true;
    if (!inHunk || line.startsWith("@@") || line.startsWith("\\")) continue;
    if (line.startsWith("-")) removed.push(line.slice(1));
    else if (line.startsWith("+")) added.push(line.slice(1));
  }
  return { removed, added };
}

function isSubsequence(want: readonly string[], have: readonly string[]): boolean {
  let i = 0;
  for (const line of have) if (i < want.length && line === want[i]) i++;
  return i === want.length;
}

/** One scenario of `medic demo` (examples/alerts/scenarios.yaml). */
export const DemoScenario = z.strictObject({
  /** Short id, used in the report. */
  name: z.string().regex(/^[a-z0-9][-a-z0-9]*$/),
  /** One line: what happens in the scenario. */
  title: z.string().min(1).max(200),
  /** Alertmanager payload file, relative to the scenarios file. */
  alert: z.string().min(1),
  /** Cluster snapshot file, relative to the scenarios file. */
  cluster: z.string().min(1).optional(),
  /** The time the scenario is planned at (RFC 3339). */
  now: z.string().default("2026-11-27T12:00:00Z"),
  /** The decision it must reach. */
  expect: PlanExpectation,
});
export type DemoScenario = z.infer<typeof DemoScenario>;

/** The scenarios file. */
export const DemoScenarios = z.strictObject({
  /** Scenarios in the order the demo tells them. */
  scenarios: z.array(DemoScenario).min(1).max(50),
});
export type DemoScenarios = z.infer<typeof DemoScenarios>;
