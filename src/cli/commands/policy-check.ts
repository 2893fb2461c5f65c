import { bundledPoliciesDir, readYamlFiles } from "../../adapters/local/read-yaml-files.js";
import { loadMedicConfig } from "../../core/config/medic-config.js";
import { compilePolicies } from "../../core/policy/evaluate-policies.js";
import { loadManifests } from "../../core/policy/load-manifests.js";
import { describePolicyError, loadPolicies } from "../../core/policy/load-policies.js";
import { renderPolicyJson } from "../../core/policy/render-policy-json.js";
import { renderPolicyReport } from "../../core/policy/render-policy-report.js";
import { renderPolicyText } from "../../core/policy/render-policy-text.js";
import { renderSarif } from "../../core/policy/render-sarif.js";
import { selectPolicies } from "../../core/policy/select-policies.js";
import { isBlocking } from "../../core/policy/summarize-evaluations.js";
import { parseYamlDocument } from "../../core/yaml/parse-yaml.js";
import { type CliCommand, type CliIo, UsageError } from "../command.js";

const FORMATS = ["text", "json", "sarif", "policyreport"] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `Usage: medic policy check [--policies PATH]… [--bundled] [--config FILE] [--format text|json|sarif|policyreport] [--verbose] PATH…

Evaluates Kyverno ClusterPolicy/Policy validate rules on the Kubernetes manifests under PATH (files or
folders, searched recursively for *.yaml and *.yml).

Options:
  --policies PATH   policy file or folder; may repeat. Without it the bundled policies are used.
  --bundled         also use the bundled policies when --policies is given.
  --config FILE     a .github/medic.yml whose policy section applies (allowedRegistries, disabledPolicies).
  --format FORMAT   text (default), json (every evaluation), sarif (GitHub code scanning),
                    policyreport (wgpolicyk8s.io/v1alpha2 PolicyReport).
  --verbose         text format: list passes and skips too.

Exit status: 0 no enforced failure, 1 an Enforce rule failed (or a rule errored), 2 usage or input error.
`;

interface Args {
  policies: string[];
  bundled: boolean;
  config?: string;
  format: Format;
  verbose: boolean;
  paths: string[];
}

function parseArgs(args: string[]): Args {
  const out: Args = { policies: [], bundled: false, format: "text", verbose: false, paths: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] =
      a.startsWith("--") && a.includes("=")
        ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
        : [a, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--policies") out.policies.push(value());
    else if (flag === "--format") {
      const f = value();
      if (!(FORMATS as readonly string[]).includes(f)) {
        throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, not "${f}"`);
      }
      out.format = f as Format;
    } else if (flag === "--config") out.config = value();
    else if (flag === "--bundled") out.bundled = true;
    else if (flag === "--verbose") out.verbose = true;
    else if (flag.startsWith("-") && flag !== "-") throw new UsageError(`unknown option ${flag}`);
    else out.paths.push(a);
  }
  if (out.paths.length === 0) throw new UsageError("give at least one manifest file or folder");
  return out;
}

async function read(paths: string[], io: CliIo, what: string, recursive = true) {
  try {
    return await readYamlFiles(paths, io.cwd, { recursive });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`cannot read ${what} ${e.path ?? ""}: ${e.code ?? e.message}`);
  }
}

export const policyCheckCommand: CliCommand = {
  name: ["policy", "check"],
  summary: "evaluate Kyverno policies on manifests (text, json, sarif, policyreport)",
  usage: USAGE,
  async run(argv, io) {
    const args = parseArgs(argv);
    const policyFiles = [];
    if (args.policies.length > 0) policyFiles.push(...(await read(args.policies, io, "policies")));
    let bundled: Awaited<ReturnType<typeof read>> = [];
    if (args.policies.length === 0 || args.bundled) {
      // Bundled policies are the top level of policies/ only; policies/tests holds their test fixtures.
      bundled = await read([bundledPoliciesDir()], io, "bundled policies", false);
    }
    let config = { allowedRegistries: [] as string[], disabledPolicies: [] as string[] };
    if (args.config) {
      const [file] = await read([args.config], io, "config");
      const doc = parseYamlDocument(file!.text, file!.file);
      if (!doc.ok) throw new UsageError(`${doc.error.file}: ${doc.error.message}`);
      const loaded = loadMedicConfig(doc.document.value, file!.file);
      if (!loaded.ok)
        throw new UsageError(
          `invalid configuration in ${loaded.file}: field ${loaded.field}: ${loaded.message}`,
        );
      config = loaded.config.policy;
    }
    const b = loadPolicies(bundled.map((f) => ({ ...f, file: `policies/${f.file.split("/").pop()}` })));
    const own = loadPolicies(policyFiles);
    const errors = [...b.errors, ...own.errors];
    if (errors.length > 0) {
      for (const e of errors) io.stderr(`medic policy check: ${describePolicyError(e)}\n`);
      return 2;
    }
    const selected = selectPolicies(b.policies, own.policies, config);
    if (selected.policies.length === 0) throw new UsageError("no policies to evaluate");
    const manifests = loadManifests(await read(args.paths, io, "manifests"));
    if (manifests.errors.length > 0) {
      for (const e of manifests.errors) {
        io.stderr(`medic policy check: ${e.file}${e.line ? `:${e.line}` : ""}: ${e.message}\n`);
      }
      return 2;
    }
    const evaluations = compilePolicies(selected.policies).evaluate(manifests.resources);
    switch (args.format) {
      case "json":
        io.stdout(`${JSON.stringify(renderPolicyJson(evaluations), null, 2)}\n`);
        break;
      case "sarif":
        io.stdout(
          `${JSON.stringify(
            renderSarif(evaluations, {
              toolVersion: "0.1.0",
              informationUri: "https://github.com/gitops-medic/gitops-medic",
              policies: selected.policies,
            }),
            null,
            2,
          )}\n`,
        );
        break;
      case "policyreport":
        io.stdout(`${JSON.stringify(renderPolicyReport(evaluations, { nowMs: Date.now() }), null, 2)}\n`);
        break;
      default:
        for (const n of selected.notes) io.stderr(`note: ${n}\n`);
        io.stdout(renderPolicyText(evaluations, { verbose: args.verbose }));
    }
    return evaluations.some(isBlocking) ? 1 : 0;
  },
};
