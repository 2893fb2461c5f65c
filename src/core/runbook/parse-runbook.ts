import { parseYamlDocument } from "../yaml/parse-yaml.js";
import { FileChangeStep, ImperativeStep, isImperativeStep, Runbook, stepRisk } from "./runbook.js";

/** A runbook file that cannot be loaded: the file, the field and why. */
export interface RunbookError {
  file: string;
  /** Dotted path of the failing field, `(root)` for the whole file. */
  field: string;
  message: string;
}

export type ParseRunbookResult = { ok: true; runbook: Runbook } | { ok: false; error: RunbookError };

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

/**
 * Parses and validates one runbook file. Beyond the schema it checks what a schema cannot: unique step and
 * parameter ids, placeholders that name declared parameters, regexes that compile, the id matching the file
 * name, and a declared risk no lower than the most destructive step.
 */
export function parseRunbook(text: string, file: string): ParseRunbookResult {
  const parsed = parseYamlDocument(text, file);
  if (!parsed.ok) {
    const where = parsed.error.line ? ` (line ${parsed.error.line})` : "";
    return { ok: false, error: { file, field: "(root)", message: `${parsed.error.message}${where}` } };
  }
  const value = parsed.document.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, error: { file, field: "(root)", message: "expected a mapping at the top level" } };
  }
  const res = Runbook.safeParse(value);
  if (!res.success) {
    const issue = res.error.issues[0];
    const path = issue?.path.map(String) ?? [];
    let field = path.join(".") || "(root)";
    let message = issue?.message ?? "invalid runbook";
    if (issue?.code === "unrecognized_keys") {
      const key = issue.keys[0] ?? "";
      field = [...path, key].join(".");
      message = `unknown field "${key}"`;
    } else if (issue?.code === "invalid_union" && path[0] === "steps") {
      // A step is a union: validate against the branch its keys choose, for a precise field and message.
      const raw = (value as { steps?: unknown[] }).steps?.[Number(path[1])];
      const branch =
        raw && typeof raw === "object" && "imperative" in raw
          ? ImperativeStep
          : raw && typeof raw === "object" && "action" in raw
            ? FileChangeStep
            : undefined;
      const inner = branch?.safeParse(raw);
      const sub = inner && !inner.success ? inner.error.issues[0] : undefined;
      if (sub) {
        const subPath = sub.path.map(String);
        field = [...path, ...subPath, ...(sub.code === "unrecognized_keys" ? [sub.keys[0] ?? ""] : [])].join(
          ".",
        );
        message = sub.code === "unrecognized_keys" ? `unknown field "${sub.keys[0] ?? ""}"` : sub.message;
      } else {
        message = `${message}: a step needs either \`action\` (file change) or \`imperative\`, with id and with`;
      }
    }
    return { ok: false, error: { file, field, message } };
  }
  const runbook = res.data;
  const fail = (field: string, message: string): ParseRunbookResult => ({
    ok: false,
    error: { file, field, message },
  });

  const base = file.split("/").pop() ?? file;
  const stem = base.replace(/\.ya?ml$/, "");
  if (stem !== base && stem !== runbook.id) {
    return fail("id", `id "${runbook.id}" must match the file name "${base}"`);
  }

  const paramNames = new Set<string>();
  for (const [i, p] of runbook.parameters.entries()) {
    if (paramNames.has(p.name)) return fail(`parameters.${i}.name`, `duplicate parameter "${p.name}"`);
    paramNames.add(p.name);
    if (p.pattern !== undefined && !compiles(p.pattern)) {
      return fail(`parameters.${i}.pattern`, "not a valid regular expression");
    }
  }
  for (const [i, m] of runbook.match.labels.entries()) {
    if ((m.op === "=~" || m.op === "!~") && !compiles(m.value)) {
      return fail(`match.labels.${i}.value`, "not a valid regular expression");
    }
  }

  const stepIds = new Set<string>();
  for (const [i, step] of runbook.steps.entries()) {
    if (stepIds.has(step.id)) return fail(`steps.${i}.id`, `duplicate step id "${step.id}"`);
    stepIds.add(step.id);
    for (const [key, v] of Object.entries(step.with)) {
      if (typeof v !== "string") continue;
      for (const m of v.matchAll(PLACEHOLDER)) {
        const name = m[1] ?? "";
        if (!paramNames.has(name)) {
          return fail(`steps.${i}.with.${key}`, `placeholder {{${name}}} names no declared parameter`);
        }
      }
    }
    if (runbook.risk === "safe" && stepRisk(step) === "destructive") {
      const what = isImperativeStep(step) ? step.imperative : step.action;
      return fail(
        "risk",
        `declared "safe" but step "${step.id}" (${what}) is destructive; the risk may not be lower than its most destructive step`,
      );
    }
  }
  return { ok: true, runbook };
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** One line for logs, check summaries and the CLI. */
export function describeRunbookError(err: RunbookError): string {
  return `Invalid runbook in ${err.file}: field \`${err.field}\`: ${err.message}`;
}
