import { describeConfigError, loadMedicConfig, MEDIC_CONFIG_PATH } from "../core/config/medic-config.js";
import { parseYamlDocument } from "../core/yaml/parse-yaml.js";

/** The verdict on a `.github/medic.yml` text, ready to become a check run. */
export interface ConfigVerdict {
  conclusion: "success" | "failure";
  title: string;
  summary: string;
  /** 1-based line of the error, when known. */
  line?: number;
}

/**
 * Validates the text of `.github/medic.yml` as pushed (not yet on the default branch), so a broken file is
 * reported on the commit that broke it instead of being discovered by the next incident.
 */
export function validateConfigText(text: string | null): ConfigVerdict {
  if (text === null) {
    return {
      conclusion: "success",
      title: `${MEDIC_CONFIG_PATH} removed`,
      summary: "No configuration file: gitops-medic uses its defaults.",
    };
  }
  const parsed = parseYamlDocument(text, MEDIC_CONFIG_PATH);
  if (!parsed.ok) {
    const { file, message, line } = parsed.error;
    return {
      conclusion: "failure",
      title: `Invalid YAML in ${file}`,
      summary: `Invalid configuration in ${file}${line ? ` (line ${line})` : ""}: ${message}`,
      ...(line ? { line } : {}),
    };
  }
  const loaded = loadMedicConfig(parsed.document.value);
  if (!loaded.ok) {
    const line = lineOfField(parsed.document.doc, loaded.field, parsed.lineCounter);
    return {
      conclusion: "failure",
      title: `Invalid configuration: ${loaded.field}`,
      summary: describeConfigError(loaded),
      ...(line ? { line } : {}),
    };
  }
  return {
    conclusion: "success",
    title: `${MEDIC_CONFIG_PATH} is valid`,
    summary: "The configuration is valid.",
  };
}

function lineOfField(
  doc: import("yaml").Document.Parsed,
  field: string,
  lc: import("yaml").LineCounter,
): number | undefined {
  const path = field.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === "object" && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}
