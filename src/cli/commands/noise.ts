import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { loadRecordedExport } from "../../adapters/local/recorded-export.js";
import { describeConfigError, loadMedicConfig, type MedicConfig } from "../../core/config/medic-config.js";
import { analyzeNoise } from "../../core/noise/analyze-noise.js";
import { buildNoiseHistory } from "../../core/noise/build-noise-history.js";
import { renderNoiseText } from "../../core/noise/render-noise-text.js";
import { parseYamlDocument } from "../../core/yaml/parse-yaml.js";
import { type CliCommand, UsageError } from "../command.js";
import { readFlags } from "../read-flags.js";

const USAGE = `Usage: medic noise --from FILE [--config FILE] [--now DATE] [--bot LOGIN]... [--format text|json]

Alert-noise analysis over the incident issues of a recorded export (the format of \`medic evidence
--save-export\`): per alert name how often it fired, flapped (reopened within noise.flapWindow),
resolved by itself within noise.selfResolveWithin with no action, and was never remediated; alerts that
always accompany another; and the tuning proposals the dashboard would offer.

Options:
  --from FILE      the recorded export (JSON).
  --config FILE    a .github/medic.yml to take the noise thresholds from (default: the configuration
                   recorded in the export, else the defaults).
  --now DATE       end of the analysed period (RFC 3339; default: the export's exportedAt). The period is
                   noise.period (default 30d) before it.
  --bot LOGIN      an extra bot login whose comments are not "action" (…[bot] logins always are); repeatable.
  --format FORMAT  text (default) or json (the whole report: alerts, pairs, proposals).

Exit status: 0 analysed, 2 usage or input error.
`;

export const noiseCommand: CliCommand = {
  name: ["noise"],
  summary: "alert-noise analysis and tuning proposals from a recorded export",
  usage: USAGE,
  async run(argv, io) {
    const flags = readFlags(argv, {
      values: ["--from", "--config", "--now", "--format"],
      repeated: ["--bot"],
    });
    const from = flags.value("--from");
    const configFile = flags.value("--config");
    const nowText = flags.value("--now");
    const format = flags.value("--format") ?? "text";
    const bots = flags.all("--bot");
    if (!from) throw new UsageError("--from FILE is required");
    if (format !== "text" && format !== "json")
      throw new UsageError(`--format must be text or json, not "${format}"`);
    const loaded = await loadRecordedExport(resolve(io.cwd, from));
    if (!loaded.ok) throw new UsageError(loaded.message);
    const exp = loaded.export;

    let config: MedicConfig;
    if (configFile) {
      const text = await readFile(resolve(io.cwd, configFile), "utf8").catch((err: NodeJS.ErrnoException) => {
        throw new UsageError(
          `cannot read ${configFile}: ${err.code === "ENOENT" ? "no such file" : (err.code ?? err.message)}`,
        );
      });
      const doc = parseYamlDocument(text, configFile);
      if (!doc.ok) throw new UsageError(`${configFile}: invalid YAML: ${doc.error.message}`);
      const res = loadMedicConfig(doc.document.value, configFile);
      if (!res.ok) throw new UsageError(describeConfigError(res));
      config = res.config;
    } else {
      const res = loadMedicConfig(exp.medicConfig, `${from} (medicConfig)`);
      if (!res.ok) throw new UsageError(describeConfigError(res));
      config = res.config;
    }

    const now = Date.parse(nowText ?? exp.exportedAt);
    if (Number.isNaN(now) || (nowText !== undefined && !/^\d{4}-\d{2}-\d{2}/.test(nowText)))
      throw new UsageError(`--now must be a date such as 2026-11-01T00:00:00Z, not "${nowText}"`);
    const incidents = buildNoiseHistory(exp, {
      botLogins: bots,
      resolvedLabel: config.incidents.resolvedLabel,
    });
    const report = analyzeNoise({ incidents, config: config.noise, now });
    if (format === "json")
      io.stdout(`${JSON.stringify({ repository: exp.repository, ...report }, null, 2)}\n`);
    else io.stdout(`${exp.repository}\n${renderNoiseText(report)}`);
    return 0;
  },
};
