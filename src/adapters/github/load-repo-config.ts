import type { Context } from "probot";
import { type LoadConfigResult, loadMedicConfig, MEDIC_CONFIG_PATH } from "../../core/config/medic-config.js";

/**
 * Reads `.github/medic.yml` from the repository's default branch through Probot's `context.config`
 * (which also follows `_extends` and the organisation's `.github` repository). A YAML error or a schema
 * error becomes a value naming the file and field — the caller shows it as a failing check or a comment.
 */
export async function loadRepoConfig(context: Pick<Context, "config">): Promise<LoadConfigResult> {
  let raw: unknown;
  try {
    raw = await context.config("medic.yml");
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status !== undefined && status >= 500) throw err;
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    return { ok: false, file: MEDIC_CONFIG_PATH, field: "(yaml)", message: message ?? "unreadable YAML" };
  }
  return loadMedicConfig(raw);
}
