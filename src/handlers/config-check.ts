import type { Probot } from "probot";
import { resolveBotLogin } from "../adapters/github/approval-bot-login.js";
import type { AppDeps } from "../app-deps.js";
import { appendAuditBlock } from "../core/audit/append-audit-block.js";
import { MEDIC_CONFIG_PATH } from "../core/config/medic-config.js";
import { type AuditEntry, discardAuditSink } from "../workflows/ports/audit-sink.js";
import { validateConfigText } from "../workflows/validate-config.js";

export const CONFIG_CHECK_NAME = "medic/config";

/**
 * On a push that touches `.github/medic.yml`, validate it and report a `medic/config` check on that commit;
 * the verdict is an Evidence record (hidden block at the end of the summary, and the ledger).
 */
export function registerConfigCheck(app: Probot, deps: Pick<AppDeps, "clock" | "audit">): void {
  app.on("push", async (context) => {
    const { payload } = context;
    if (payload.deleted || !payload.head_commit) return;
    const touched = payload.commits.some((c) =>
      [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].includes(MEDIC_CONFIG_PATH),
    );
    if (!touched) return;
    const repo = context.repo();
    const text = await readFileAt(context.octokit, repo, MEDIC_CONFIG_PATH, payload.after);
    const verdict = validateConfigText(text);
    const record: AuditEntry = {
      v: 1,
      at: new Date(deps.clock.now()).toISOString(),
      actor: { kind: "bot", login: await resolveBotLogin(app) },
      action: "config.validated",
      reason: verdict.title,
      deliveryId: context.id,
      subject: { kind: "commit", repo: `${repo.owner}/${repo.repo}`, id: payload.after },
      shas: { head: payload.after },
      inputs: {
        path: MEDIC_CONFIG_PATH,
        ref: payload.ref,
        pusher: payload.pusher?.name ?? null,
        ...(verdict.line !== undefined ? { line: verdict.line } : {}),
      },
      outcome: {
        status: verdict.conclusion === "success" ? "ok" : "refused",
        detail: verdict.summary.slice(0, 2000),
      },
    };
    (deps.audit ?? discardAuditSink).record(record);
    await context.octokit.rest.checks.create({
      ...repo,
      name: CONFIG_CHECK_NAME,
      head_sha: payload.after,
      status: "completed",
      conclusion: verdict.conclusion,
      output: {
        title: verdict.title,
        summary: appendAuditBlock(verdict.summary, record),
        ...(verdict.conclusion === "failure"
          ? {
              annotations: [
                {
                  path: MEDIC_CONFIG_PATH,
                  start_line: verdict.line ?? 1,
                  end_line: verdict.line ?? 1,
                  annotation_level: "failure" as const,
                  message: verdict.summary,
                },
              ],
            }
          : {}),
      },
    });
  });
}

async function readFileAt(
  octokit: Parameters<Parameters<Probot["on"]>[1]>[0]["octokit"],
  repo: { owner: string; repo: string },
  path: string,
  ref: string,
): Promise<string | null> {
  try {
    const res = await octokit.rest.repos.getContent({ ...repo, path, ref });
    const data = res.data as { type?: string; content?: string; encoding?: string };
    if (data.type !== "file" || typeof data.content !== "string") return null;
    return Buffer.from(data.content, (data.encoding as BufferEncoding) ?? "base64").toString("utf8");
  } catch (err) {
    if ((err as { status?: number }).status === 404) return null;
    throw err;
  }
}
