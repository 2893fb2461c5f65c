import type { MedicConfig } from "../../config/medic-config.js";
import { findResources } from "../../manifest/find-resources.js";
import type { FoundResource, RepoFile } from "../../manifest/types.js";
import type { EvidenceItem, Suggestion } from "../../plan/remediation-plan.js";
import type { PlanFacts } from "../plan-facts.js";
import type { FileChangeStep, Runbook } from "../runbook.js";

/**
 * The repository as the steps see it: the files at the base revision plus the edits of earlier steps,
 * so two steps editing one file compose into one change.
 */
export class Workspace {
  private readonly base = new Map<string, string>();
  private readonly current = new Map<string, string>();
  private readonly notes = new Map<string, { steps: string[]; summaries: string[] }>();
  private scanned: FoundResource[] | undefined;

  constructor(files: readonly RepoFile[]) {
    for (const f of files) {
      this.base.set(f.path, f.text);
      this.current.set(f.path, f.text);
    }
  }

  /** Current text, or `null` when the file does not exist. */
  read(path: string): string | null {
    return this.current.get(path) ?? null;
  }

  /** Every file as it is now (for scanning). */
  files(): RepoFile[] {
    return [...this.current.entries()].map(([path, text]) => ({ path, text }));
  }

  /** Every Kubernetes object in the files, scanned once per version of the workspace. */
  resources(): FoundResource[] {
    this.scanned ??= findResources(this.files()).resources;
    return this.scanned;
  }

  paths(): string[] {
    return [...this.current.keys()];
  }

  write(path: string, text: string, step: string, summary: string): void {
    this.current.set(path, text);
    this.scanned = undefined;
    const n = this.notes.get(path) ?? { steps: [], summaries: [] };
    if (!n.steps.includes(step)) n.steps.push(step);
    n.summaries.push(summary);
    this.notes.set(path, n);
  }

  /** Files whose text differs from the base, in the order they were first written. */
  edits(): { path: string; before: string | null; after: string; step: string; summary: string }[] {
    const out = [];
    for (const [path, n] of this.notes) {
      const after = this.current.get(path) ?? "";
      const before = this.base.get(path) ?? null;
      if (before === after) continue;
      out.push({ path, before, after, step: n.steps.join(", "), summary: n.summaries.join("; ") });
    }
    return out;
  }
}

/** What a file-change action gets. */
export interface ActionContext {
  runbook: Runbook;
  step: FileChangeStep;
  /** The step's `with`, placeholders expanded, as strings. */
  input: Record<string, string>;
  files: Workspace;
  facts: PlanFacts;
  config: MedicConfig;
}

export type ActionFailureKind = "limit" | "not-found" | "ambiguous" | "refused" | "nothing-to-do" | "invalid";

export type ActionResult =
  | {
      ok: true;
      /** The object acted on, e.g. `Deployment shop/checkout` (the first action's target is the plan's). */
      target?: string;
      evidence: EvidenceItem[];
      suggestions: Suggestion[];
      /** Reasons that make the plan destructive (e.g. a sharp replica drop). */
      flagged: string[];
      undo: string[];
    }
  | { ok: false; kind: ActionFailureKind; message: string; candidates?: string[] };

export type FileActionFn = (ctx: ActionContext) => ActionResult;

/** A successful result with nothing but the given parts. */
export function done(parts: Partial<Extract<ActionResult, { ok: true }>> = {}): ActionResult {
  return { ok: true, evidence: [], suggestions: [], flagged: [], undo: [], ...parts };
}

export function fail(kind: ActionFailureKind, message: string, candidates?: string[]): ActionResult {
  return { ok: false, kind, message, ...(candidates ? { candidates } : {}) };
}

/** A required string input of the step, or a failure naming `steps.<id>.with.<key>`. */
export function need(ctx: ActionContext, key: string): string | ActionResult {
  const v = ctx.input[key];
  if (v === undefined || v === "") return fail("invalid", `step "${ctx.step.id}": with.${key} is required`);
  return v;
}

/** A positive whole number input, or the default. */
export function intInput(ctx: ActionContext, key: string, dflt: number): number | ActionResult {
  const v = ctx.input[key];
  if (v === undefined || v === "") return dflt;
  if (!/^\d{1,6}$/.test(v))
    return fail("invalid", `step "${ctx.step.id}": with.${key} must be a whole number, got "${v}"`);
  return Number(v);
}
