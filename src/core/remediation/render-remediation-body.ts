import { formatRemediationMarker } from "../approval/remediation-marker.js";
import { escapeMarkdown, stripUnsafeCharacters } from "../markdown/escape-markdown.js";
import { renderMarker } from "../markdown/render-marker.js";
import { renderTemplate } from "../markdown/render-template.js";
import type { Change, RemediationPlan } from "../plan/remediation-plan.js";
import { buildMarkerSteps } from "./build-marker-steps.js";
import { HEAD_MARKER_KIND } from "./decide-remediation-action.js";

/**
 * GitHub rejects bodies over 65,536 characters with a 422; staying at 65,000 leaves room for the few
 * characters GitHub itself may normalise (line endings).
 */
export const MAX_PR_BODY_LENGTH = 65_000;

/** Caps of the variable sections; the diff gets whatever is left, so the sum can never pass the limit. */
const CAPS = {
  summary: 2_000,
  evidence: 12_000,
  steps: 6_000,
  undo: 3_000,
  suggestions: 6_000,
  changes: 4_000,
};

export interface RemediationBodyInput {
  plan: RemediationPlan;
  planHash: string;
  incident: {
    /** Issue number of the incident. */
    number: number;
    /** `owner/name` of the incident's repository when it is not the PR's (then linked as `owner/name#N`). */
    repo?: string;
    /** Link to the incident issue. */
    url: string;
    title: string;
    severity?: string;
    status?: string;
    /** RFC 3339. */
    startsAt?: string;
  };
  /** GitHub login of the person who asked (`/remediate`), or null when the bot matched the runbook alone. */
  requester: string | null;
  /** The commit the bot wrote on the branch, recorded so a later run can tell its own head from a person's. */
  headSha: string | null;
  /** Changed paths that no CODEOWNERS line owns. */
  unownedPaths?: readonly string[];
}

/**
 * The PR body from `templates/remediation-pr.md`. Every piece of text that came from an alert, the cluster or
 * the repository is escaped (`escapeMarkdown`) or fenced, so nobody is mentioned and no marker is forged.
 * Long sections are cut at an item or line boundary with a note saying what was left out; each file's
 * diff is folded in `<details>`, and the diffs share what is left of the 65,000-character budget.
 */
export function renderRemediationBody(template: string, input: RemediationBodyInput): string {
  const { plan, incident } = input;
  const values: Record<string, string> = {
    marker: formatRemediationMarker({
      incidentKey: plan.incidentKey,
      runbook: plan.runbook.id,
      requester: input.requester,
      planHash: input.planHash,
      ...(plan.steps.length > 0 ? { steps: buildMarkerSteps(plan.steps) } : {}),
      ...(incident.repo ? { incident: `${incident.repo}#${incident.number}` } : {}),
    }),
    headMarker: input.headSha ? renderMarker(HEAD_MARKER_KIND, input.headSha) : "",
    incidentLink: `[${incident.repo ?? ""}#${incident.number} ${escapeMarkdown(incident.title, 200)}](${safeUrl(incident.url)})`,
    incidentSummary: cap(renderSummary(input), CAPS.summary, "summary"),
    incidentKey: code(plan.incidentKey),
    runbook: `${code(plan.runbook.id)} from ${code(plan.runbook.file)} (${escapeMarkdown(plan.runbook.origin, 100)})`,
    runbookVersion: code(plan.runbook.version),
    target: escapeMarkdown(plan.target, 300),
    riskLevel: `**${plan.risk.level}**`,
    requester: input.requester ? `@${input.requester}` : "gitops-medic (runbook matched the incident)",
    baseRevision: code(plan.baseRevision),
    evidence: capList(
      plan.evidence.map(
        (e) =>
          `- **${escapeMarkdown(e.label, 100)}** (${escapeMarkdown(e.source, 40)}): ${escapeMarkdown(e.detail, 1000)}`,
      ),
      CAPS.evidence,
      "evidence items",
      "_No evidence recorded._",
    ),
    changes: capList(
      [
        ...plan.changes.map((c) => `- ${code(c.path)}: ${escapeMarkdown(c.summary, 300)}${stat(c)}`),
        ...(input.unownedPaths?.length
          ? [`- No CODEOWNERS line owns ${input.unownedPaths.map(code).join(", ")}: pick a reviewer by hand.`]
          : []),
      ],
      CAPS.changes,
      "changes",
      "_This plan changes no files._",
    ),
    risk: capList(
      plan.risk.reasons.map((r) => `- ${escapeMarkdown(r, 500)}`),
      2_000,
      "reasons",
      "_No reason recorded._",
    ),
    approvals: capList(
      plan.approvals.reasons.map((r) => `- ${escapeMarkdown(r, 500)}`),
      2_000,
      "requirements",
      plan.approvals.count === 0 ? "_Normal review; no extra approval._" : "",
    ),
    steps: capList(
      plan.steps.map(
        (s) =>
          `- ${code(s.id)} ${code(s.action)} (${s.risk}): ${escapeMarkdown(s.description, 500)}${renderTarget(s.target)}`,
      ),
      CAPS.steps,
      "steps",
      "_None: merging this PR is the whole remediation._",
    ),
    undo: capList(
      plan.undo.map((u) => `- ${escapeMarkdown(u, 500)}`),
      CAPS.undo,
      "undo steps",
      "_Revert this pull request._",
    ),
    suggestions: plan.suggestions.length
      ? `\n### Suggestions (not applied)\n\n${capList(
          plan.suggestions.map((s) => `${escapeMarkdown(s.title, 200)}\n\n${fence(s.body, "text", 2_000)}`),
          CAPS.suggestions,
          "suggestions",
          "",
          "\n\n",
        )}\n`
      : "",
    planHash: input.planHash.slice(0, 16),
    diff: "",
  };
  const withoutDiff = renderTemplate(template, values, "remediation-pr.md");
  values["diff"] = renderDiffs(plan.changes, MAX_PR_BODY_LENGTH - withoutDiff.length);
  const body = renderTemplate(template, values, "remediation-pr.md");
  // The caps above make this unreachable unless the template itself is huge; fail loudly rather than 422.
  if (body.length > MAX_PR_BODY_LENGTH) {
    throw new Error(
      `remediation-pr.md: rendered body is ${body.length} characters, over ${MAX_PR_BODY_LENGTH}`,
    );
  }
  return body;
}

function renderSummary(input: RemediationBodyInput): string {
  const parts = [
    input.incident.severity ? `severity **${escapeMarkdown(input.incident.severity, 20)}**` : null,
    input.incident.status ? `status **${escapeMarkdown(input.incident.status, 20)}**` : null,
    input.incident.startsAt ? `since ${escapeMarkdown(input.incident.startsAt, 40)}` : null,
  ].filter((p): p is string => p !== null);
  const head = `Runbook ${code(input.plan.runbook.id)} matched ${escapeMarkdown(input.plan.target, 300)}`;
  return parts.length ? `${head}: ${parts.join(", ")}.` : `${head}.`;
}

/**
 * One `<details>` per file. Files are rendered in plan order; each may use what the earlier ones left of
 * `budget`, cut at a line boundary with a note; files beyond the budget are named without their diff.
 */
export function renderDiffs(changes: readonly Change[], budget: number): string {
  if (changes.length === 0) return "";
  const out: string[] = [];
  let left = budget - 2;
  for (const [i, c] of changes.entries()) {
    const open = c.diff.length <= 3_000 ? " open" : "";
    const head = `<details${open}><summary>${escapeMarkdown(c.path, 300)}${stat(c)}</summary>\n\n`;
    const tail = "\n\n</details>";
    // Keep room for the "not shown" note that may follow.
    const room = left - head.length - tail.length - 200;
    if (room < 200) {
      const rest = changes.slice(i);
      out.push(
        `_Diff of ${rest.length} more file(s) not shown (PR body size limit): ${rest
          .map((r) => code(r.path))
          .join(", ")
          .slice(0, Math.max(0, left - 120))} — see the Files changed tab._`,
      );
      break;
    }
    const block = `${head}${fence(c.diff, "diff", room)}${tail}`;
    out.push(block);
    left -= block.length + 2;
  }
  return out.join("\n\n");
}

/** A fenced block the text cannot close, cut to `max` characters at a line boundary with a note. */
function fence(text: string, lang: string, max: number): string {
  let t = stripUnsafeCharacters(text).replace(/\r\n?/g, "\n").replace(/\n$/, "");
  t = t.replace(/<!--/g, "<!\u200b--").replace(/-->/g, "--\u200b>");
  const longest = Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length));
  const f = "`".repeat(Math.max(3, longest + 1));
  const frame = f.length * 2 + lang.length + 2;
  if (t.length + frame > max) {
    const lines = t.split("\n");
    const kept: string[] = [];
    let used = frame + 120;
    for (const line of lines) {
      if (used + line.length + 1 > max) break;
      kept.push(line);
      used += line.length + 1;
    }
    const dropped = lines.length - kept.length;
    t = `${kept.join("\n")}\n… ${dropped} more line(s) not shown: see the Files changed tab`;
  }
  return `${f}${lang}\n${t}\n${f}`;
}

/** Joins items until `max` characters, then says how many were left out. */
function capList(items: readonly string[], max: number, what: string, empty: string, sep = "\n"): string {
  if (items.length === 0) return empty;
  const kept: string[] = [];
  let used = 0;
  for (const item of items) {
    const add = item.length + sep.length;
    if (used + add > max - 80) break;
    kept.push(item);
    used += add;
  }
  const dropped = items.length - kept.length;
  if (dropped > 0) kept.push(`_… ${dropped} more ${what} not shown (PR body size limit)._`);
  return kept.join(sep);
}

function cap(text: string, max: number, what: string): string {
  return text.length <= max ? text : `${text.slice(0, max - 60)}… _(${what} cut: size limit)_`;
}

function renderTarget(target: Record<string, string>): string {
  const entries = Object.entries(target);
  if (entries.length === 0) return "";
  return ` — ${entries.map(([k, v]) => `${escapeMarkdown(k, 60)}=${code(v)}`).join(", ")}`;
}

function stat(c: Change): string {
  let add = 0;
  let del = 0;
  for (const line of c.diff.split("\n")) {
    if (line.startsWith("+++") || line.startsWith("---")) continue;
    if (line.startsWith("+")) add++;
    else if (line.startsWith("-")) del++;
  }
  return ` (+${add} −${del}${c.before === null ? ", new file" : ""})`;
}

/** Inline code that untrusted text cannot break out of (backticks and line breaks removed, HTML inert). */
function code(text: string): string {
  const t = stripUnsafeCharacters(text)
    .replace(/\s+/g, " ")
    .replace(/`/g, "'")
    .replace(/<!--/g, "<!\u200b--")
    .slice(0, 300);
  return `\`${t}\``;
}

/** Only http(s) links; anything else (javascript:, data:) becomes inert text. */
function safeUrl(url: string): string {
  return /^https?:\/\/[^\s()<>]+$/.test(url) ? url : "#";
}
