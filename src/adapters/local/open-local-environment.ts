import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { loadMedicConfig, MEDIC_CONFIG_PATH, type MedicConfig } from "../../core/config/medic-config.js";
import type { RunbookRegistry } from "../../core/runbook/build-runbook-registry.js";
import { parseYamlDocument } from "../../core/yaml/parse-yaml.js";
import { loadRunbookRegistry } from "../../workflows/load-runbook-registry.js";
import type { Cluster } from "../../workflows/ports/cluster.js";
import { loadClusterSnapshot } from "./load-cluster-snapshot.js";
import { type LocalRepo, openLocalRepo } from "./open-local-repo.js";
import { bundledRunbooksDir, readRunbookDir } from "./read-runbook-dir.js";

/** Input files larger than this are refused before reading (alerts, snapshots, configs). */
const MAX_INPUT_BYTES = 5 * 1024 * 1024;

/** Bad input for a local run: the message names the file (and field) and the run stops before any write. */
export class LocalInputError extends Error {
  override name = "LocalInputError";
}

/** Everything a local planning run needs, opened from paths. */
export interface LocalEnvironment {
  repo: LocalRepo;
  config: MedicConfig;
  /** Where the configuration came from, for the story. */
  configSource: string;
  registry: RunbookRegistry;
  cluster: Cluster | null;
}

/**
 * Opens a repository directory (or git checkout), its configuration (`--config FILE`, else
 * `.github/medic.yml` of its default branch), the bundled runbooks plus the repository's own (default
 * branch only), and an optional cluster snapshot file.
 */
export async function openLocalEnvironment(opts: {
  repoDir: string;
  configFile?: string;
  clusterFile?: string;
  /** Bundled runbooks directory; the package's `runbooks/` when omitted. */
  runbooksDir?: string;
  /** Extra runbook directory loaded as repository runbooks (`medic runbook test DIR`). */
  extraRunbooksDir?: string;
  /** Use git when the directory is in a work tree (default true); false for fixtures. */
  git?: boolean;
  cwd: string;
}): Promise<LocalEnvironment> {
  let repo: LocalRepo;
  try {
    repo = await openLocalRepo(resolve(opts.cwd, opts.repoDir), opts.git === false ? { git: false } : {});
  } catch (err) {
    throw new LocalInputError(err instanceof Error ? err.message : String(err));
  }
  const branch = await repo.defaultBranch();

  let configText: string | null;
  let configSource: string;
  if (opts.configFile) {
    configSource = opts.configFile;
    configText = await readInput(opts.cwd, opts.configFile, "--config");
  } else {
    configSource = `${MEDIC_CONFIG_PATH} of ${branch.describe}`;
    configText = await branch.repo.readFile(MEDIC_CONFIG_PATH);
  }
  let config: MedicConfig;
  if (configText === null) {
    config = loadMedicConfigOrThrow(null, configSource);
    configSource = `defaults (no ${MEDIC_CONFIG_PATH})`;
  } else {
    const parsed = parseYamlDocument(configText, configSource);
    if (!parsed.ok) {
      throw new LocalInputError(
        `${configSource}${parsed.error.line ? ` line ${parsed.error.line}` : ""}: ${parsed.error.message}`,
      );
    }
    config = loadMedicConfigOrThrow(parsed.document.value, configSource);
  }

  const bundledDir = opts.runbooksDir ?? bundledRunbooksDir();
  const bundled = await readRunbookDir(bundledDir, "bundled", "runbooks");
  if (opts.extraRunbooksDir) {
    bundled.push(
      ...(await readRunbookDir(
        resolve(opts.cwd, opts.extraRunbooksDir),
        "repository",
        opts.extraRunbooksDir,
      )),
    );
  }
  const registry = await loadRunbookRegistry(bundled, branch.repo);

  let cluster: Cluster | null = null;
  if (opts.clusterFile) {
    const text = await readInput(opts.cwd, opts.clusterFile, "--cluster");
    const snap = loadClusterSnapshot(text, opts.clusterFile);
    if (!snap.ok) throw new LocalInputError(snap.message);
    cluster = snap.cluster;
  }
  return { repo, config, configSource, registry, cluster };
}

function loadMedicConfigOrThrow(value: unknown, file: string): MedicConfig {
  const res = loadMedicConfig(value, file);
  if (!res.ok)
    throw new LocalInputError(`Invalid configuration in ${res.file}: field \`${res.field}\`: ${res.message}`);
  return res.config;
}

/** Reads a user-given input file with a size cap; a missing file is a LocalInputError naming the option. */
export async function readInput(cwd: string, file: string, option: string): Promise<string> {
  const abs = resolve(cwd, file);
  let size: number;
  try {
    const st = await stat(abs);
    if (!st.isFile()) throw new Error("not a file");
    size = st.size;
  } catch {
    throw new LocalInputError(`${option} ${file}: no such file`);
  }
  if (size > MAX_INPUT_BYTES) {
    throw new LocalInputError(`${option} ${file}: ${size} bytes, over the ${MAX_INPUT_BYTES}-byte limit`);
  }
  return readFile(abs, "utf8");
}

/** Reads and parses an Alertmanager payload file (JSON, or YAML for hand-written ones). */
export async function readAlertFile(cwd: string, file: string): Promise<unknown> {
  const text = await readInput(cwd, file, "--alert");
  const parsed = parseYamlDocument(text, file);
  if (!parsed.ok) {
    throw new LocalInputError(
      `${file}${parsed.error.line ? ` line ${parsed.error.line}` : ""}: ${parsed.error.message}`,
    );
  }
  return parsed.document.value;
}
