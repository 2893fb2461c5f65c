import { parseYaml } from "../yaml/parse-yaml.js";
import type { KyvernoPolicy } from "./kyverno-policy.js";
import { type PolicyError, parsePolicies } from "./parse-policies.js";

/** A file given as text: the core never reads files itself. */
export interface TextFile {
  /** Path shown in findings (POSIX, relative to the repository or working directory). */
  file: string;
  text: string;
}

/** Parses policy files; YAML errors and broken policies come back as `PolicyError`s naming file and field. */
export function loadPolicies(files: TextFile[]): { policies: KyvernoPolicy[]; errors: PolicyError[] } {
  const policies: KyvernoPolicy[] = [];
  const errors: PolicyError[] = [];
  for (const f of files) {
    const parsed = parseYaml(f.text, f.file);
    if (!parsed.ok) {
      errors.push({
        file: f.file,
        field: "(yaml)",
        message: parsed.error.message,
        ...(parsed.error.line ? { line: parsed.error.line } : {}),
      });
      continue;
    }
    const r = parsePolicies(parsed.documents, f.file, parsed.lineCounter);
    policies.push(...r.policies);
    errors.push(...r.errors);
  }
  const seen = new Map<string, string>();
  for (const p of policies) {
    const key = `${p.namespace ?? ""}/${p.name}`;
    const other = seen.get(key);
    if (other && other !== p.file) {
      errors.push({
        file: p.file,
        field: "metadata.name",
        message: `policy ${p.name} is also defined in ${other}`,
      });
    }
    seen.set(key, p.file);
  }
  return { policies, errors };
}

/** One line for a broken policy: `Invalid policy in FILE: field \`F\` (line N): MESSAGE`. */
export function describePolicyError(e: PolicyError): string {
  return `Invalid policy in ${e.file}: field \`${e.field}\`${e.line ? ` (line ${e.line})` : ""}: ${e.message}`;
}
