import type { PolicyResultKind } from "./evaluate-policies.js";

/** One expected result line of a `kyverno-test.yaml`. */
export interface ExpectedResult {
  policy: string;
  rule: string;
  /** Resource names (`name` or `namespace/name`). */
  resources: string[];
  kind?: string;
  namespace?: string;
  result: PolicyResultKind;
}

/** A Kyverno CLI test file (`cli.kyverno.io/v1alpha1` Test, or the older unversioned form). */
export interface KyvernoTest {
  name: string;
  /** Policy files, relative to the test file. */
  policies: string[];
  /** Resource files, relative to the test file. */
  resources: string[];
  /** `variables` / values file: not supported (reported, the test fails). */
  variables?: string;
  results: ExpectedResult[];
}

const RESULTS = new Set(["pass", "fail", "warn", "skip", "error"]);

export type ParseKyvernoTestResult =
  | { ok: true; test: KyvernoTest }
  | { ok: false; field: string; message: string };

/** Validates a parsed `kyverno-test.yaml`; a broken file names the field. */
export function parseKyvernoTest(value: unknown): ParseKyvernoTestResult {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, field: "(root)", message: "expected a mapping" };
  }
  const v = value as Record<string, unknown>;
  const meta = (v.metadata ?? {}) as Record<string, unknown>;
  const name = typeof v.name === "string" ? v.name : typeof meta.name === "string" ? meta.name : "";
  const list = (field: string): string[] | string => {
    const x = v[field];
    if (!Array.isArray(x) || x.some((e) => typeof e !== "string"))
      return `${field} must be a list of file names`;
    return x as string[];
  };
  const policies = list("policies");
  if (typeof policies === "string") return { ok: false, field: "policies", message: policies };
  const resources = list("resources");
  if (typeof resources === "string") return { ok: false, field: "resources", message: resources };
  if (!Array.isArray(v.results))
    return { ok: false, field: "results", message: "expected a list of results" };
  const results: ExpectedResult[] = [];
  for (const [i, raw] of v.results.entries()) {
    const r = (raw ?? {}) as Record<string, unknown>;
    const at = (f: string) => `results[${i}].${f}`;
    if (typeof r.policy !== "string")
      return { ok: false, field: at("policy"), message: "expected a policy name" };
    if (typeof r.rule !== "string") return { ok: false, field: at("rule"), message: "expected a rule name" };
    const names = Array.isArray(r.resources)
      ? r.resources
      : typeof r.resource === "string"
        ? [r.resource]
        : null;
    if (!names || names.some((n) => typeof n !== "string")) {
      return { ok: false, field: at("resources"), message: "expected a list of resource names" };
    }
    if (typeof r.result !== "string" || !RESULTS.has(r.result)) {
      return { ok: false, field: at("result"), message: "expected pass, fail, warn, skip or error" };
    }
    const e: ExpectedResult = {
      policy: r.policy,
      rule: r.rule,
      resources: names as string[],
      result: r.result as PolicyResultKind,
    };
    if (typeof r.kind === "string") e.kind = r.kind;
    if (typeof r.namespace === "string") e.namespace = r.namespace;
    results.push(e);
  }
  const test: KyvernoTest = { name, policies, resources, results };
  const variables = v.variables ?? v.values;
  if (typeof variables === "string") test.variables = variables;
  else if (variables && typeof variables === "object") test.variables = "(inline values)";
  return { ok: true, test };
}
