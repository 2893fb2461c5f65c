import { resolve } from "node:path";
import { runGit } from "../../adapters/local/run-git.js";
import { classifyRisk, type FileChange } from "../../core/approval/classify-risk.js";
import { loadMedicConfig, MEDIC_CONFIG_PATH } from "../../core/config/medic-config.js";
import { parseYamlDocument } from "../../core/yaml/parse-yaml.js";
import { type CliCommand, UsageError } from "../command.js";
import { readFlags } from "../read-flags.js";

const USAGE = `Usage: medic risk --repo DIR --base REV [--head REV] [--format text|json]

Classifies the change from the merge base of BASE and HEAD to HEAD in a local git repository exactly as
medic/approval does on a pull request: safe, or destructive with every reason (deleted files or
resources, replicas to 0 or sharply down, shrinking or removed volumes, removed namespaces or CRDs,
widened RBAC, Terraform destroys, changes to the bot's own guardrails; anything it cannot classify).
The replica threshold and extra guardrail paths come from .github/medic.yml at BASE.

Options:
  --repo DIR       the git repository (default: the current directory).
  --base REV       the base revision (branch, tag or commit), e.g. origin/main.
  --head REV       the head revision (default HEAD).
  --format FORMAT  text (default) or json: {"risk","reasons":[{"code","path","message"}],"destructivePaths",...}.

Exit status: 0 safe, 1 destructive, 2 usage or input error.
`;

export const riskCommand: CliCommand = {
  name: ["risk"],
  summary: "safe or destructive, with reasons, for a local diff",
  usage: USAGE,
  async run(argv, io) {
    const flags = readFlags(argv, { values: ["--repo", "--base", "--head", "--format"] });
    const o = {
      repo: flags.value("--repo") ?? ".",
      base: flags.value("--base"),
      head: flags.value("--head") ?? "HEAD",
      format: flags.value("--format") ?? "text",
    };
    if (!o.base) throw new UsageError("--base REV is required");
    if (o.format !== "text" && o.format !== "json")
      throw new UsageError(`--format must be text or json, not "${o.format}"`);
    const dir = resolve(io.cwd, o.repo);
    const base = await revision(dir, o.base, "--base");
    const head = await revision(dir, o.head, "--head");
    const mb = await runGit(dir, ["merge-base", base, head]);
    if (mb.code !== 0) throw new UsageError(`${o.base} and ${o.head} have no common ancestor`);
    const mergeBase = mb.stdout.trim();

    // 1. Options from .github/medic.yml at the base (never from the change being judged).
    const cfgText = await show(dir, base, MEDIC_CONFIG_PATH);
    let config = loadMedicConfig(null);
    if (cfgText !== null) {
      const doc = parseYamlDocument(cfgText, MEDIC_CONFIG_PATH);
      config = doc.ok
        ? loadMedicConfig(doc.document.value)
        : { ok: false, file: MEDIC_CONFIG_PATH, field: "(yaml)", message: doc.error.message };
    }
    if (!config.ok)
      throw new UsageError(`${config.file} at ${o.base}: field ${config.field}: ${config.message}`);

    // 2. The changed files with their text on both sides.
    const diff = await runGit(dir, [
      "diff",
      "--name-status",
      "-z",
      "-M",
      "--no-ext-diff",
      mergeBase,
      head,
      "--",
    ]);
    if (diff.code !== 0) throw new UsageError(`git diff failed: ${diff.stderr.trim()}`);
    const changes: FileChange[] = [];
    const parts = diff.stdout.split("\0").filter((x) => x !== "");
    for (let i = 0; i < parts.length; ) {
      const code = parts[i++]!;
      const kind = code[0];
      if (kind === "R" || kind === "C") {
        const from = parts[i++]!;
        const to = parts[i++]!;
        changes.push({
          path: to,
          ...(kind === "R" ? { previousPath: from } : {}),
          status: kind === "R" ? "renamed" : "copied",
          before: kind === "R" ? await show(dir, mergeBase, from) : "",
          after: await show(dir, head, to),
        });
        continue;
      }
      const path = parts[i++]!;
      const status = kind === "A" ? "added" : kind === "D" ? "removed" : "modified";
      changes.push({
        path,
        status,
        before: status === "added" ? "" : await show(dir, mergeBase, path),
        after: status === "removed" ? "" : await show(dir, head, path),
      });
    }
    const verdict = classifyRisk(changes, [], {
      replicaDropThreshold: config.config.approval.replicaDropThreshold,
      guardrailPaths: config.config.approval.guardrailPaths,
    });

    // 3. Report.
    if (o.format === "json") {
      io.stdout(
        `${JSON.stringify({ ...verdict, base: o.base, head: o.head, mergeBase, files: changes.length }, null, 2)}\n`,
      );
    } else {
      io.stdout(
        `${verdict.risk} (${changes.length} file${changes.length === 1 ? "" : "s"} changed since ${mergeBase.slice(0, 7)})\n`,
      );
      for (const r of verdict.reasons) io.stdout(`  ${r.code}${r.path ? ` ${r.path}` : ""}: ${r.message}\n`);
    }
    return verdict.risk === "safe" ? 0 : 1;
  },
};

async function revision(dir: string, rev: string, flag: string): Promise<string> {
  // A revision that starts with "-" would be read by git as an option.
  if (rev.startsWith("-")) throw new UsageError(`${flag} "${rev}" is not a revision`);
  const res = await runGit(dir, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`]);
  if (res.code !== 0) throw new UsageError(`${flag} "${rev}" is not a commit in ${dir}`);
  return res.stdout.trim();
}

/** File text at a revision, or null when it does not exist there. */
async function show(dir: string, rev: string, path: string): Promise<string | null> {
  const res = await runGit(dir, ["show", `${rev}:${path}`]);
  return res.code === 0 ? res.stdout : null;
}
