import type { Incident } from "../incident/incident.js";
import type { RegisteredRunbook } from "./build-runbook-registry.js";
import type { LabelMatcher, Runbook } from "./runbook.js";

/** What matching looks at besides the incident: reasons from cluster facts and the repository's choices. */
export interface MatchContext {
  /** Kubernetes reasons seen for the target (waiting/terminated reasons, node conditions that are True). */
  reasons: readonly string[];
  /** Whether cluster facts were available; without them a `reasons` condition cannot hold. */
  clusterKnown: boolean;
  /** Runbook ids allowed by `.github/medic.yml` (`remediation.enabledRunbooks`); all when empty. */
  enabled?: readonly string[];
  /** Runbook ids refused by `.github/medic.yml` (`remediation.disabledRunbooks`). */
  disabled?: readonly string[];
  /** A runbook asked for by id (`/remediate ID`, `medic simulate --runbook ID`); it still has to match. */
  requested?: string;
}

/** How one runbook fared against the incident. */
export interface MatchCandidate {
  id: string;
  version: string;
  /** Number of conditions that held; a full match has all of its conditions. */
  specificity: number;
  matched: boolean;
  /** Whether the alert name was one of the runbook's (a runbook for another alert is never "near"). */
  alertnameMatched: boolean;
  /** Why it did not match (empty when it did). */
  failures: string[];
}

export type MatchResult =
  | { ok: true; entry: RegisteredRunbook; specificity: number; candidates: MatchCandidate[] }
  | {
      ok: false;
      reason: "no-match" | "tie" | "unknown-runbook" | "disabled";
      message: string;
      /** Runbooks that came close (for "no match") or tied (for "tie"), best first. */
      candidates: MatchCandidate[];
    };

/**
 * Chooses the runbook for an incident. Every condition of a runbook must hold; among full matches the
 * most specific (most conditions) wins; two at the same top specificity are a tie, an error that lists
 * them — guessing between two approved runbooks would be acting without approval.
 */
export function matchRunbook(
  registry: readonly RegisteredRunbook[],
  incident: Pick<Incident, "labels">,
  ctx: MatchContext,
): MatchResult {
  if (ctx.requested !== undefined && !registry.some((e) => e.runbook.id === ctx.requested)) {
    const known = registry.map((e) => e.runbook.id).sort();
    return {
      ok: false,
      reason: "unknown-runbook",
      message: `unknown runbook "${ctx.requested}"; known runbooks: ${known.join(", ") || "(none)"}`,
      candidates: [],
    };
  }
  const pool = registry.filter((e) => ctx.requested === undefined || e.runbook.id === ctx.requested);
  const allowed = (id: string) =>
    !(ctx.disabled ?? []).includes(id) &&
    ((ctx.enabled ?? []).length === 0 || (ctx.enabled ?? []).includes(id));

  const evaluated = pool.map((entry) => ({ entry, cand: evaluateRunbook(entry.runbook, incident, ctx) }));
  const candidates = evaluated.map((e) => e.cand).sort(byCloseness);
  const full = evaluated.filter((e) => e.cand.matched && allowed(e.entry.runbook.id));
  if (full.length === 0) {
    const refused = evaluated.filter((e) => e.cand.matched && !allowed(e.entry.runbook.id));
    if (refused.length > 0) {
      const ids = refused.map((e) => e.entry.runbook.id).join(", ");
      return {
        ok: false,
        reason: "disabled",
        message: `runbook ${ids} matches but is disabled by .github/medic.yml (remediation.enabledRunbooks / disabledRunbooks)`,
        candidates: refused.map((e) => e.cand),
      };
    }
    const alertname = incident.labels["alertname"] ?? "(no alertname)";
    const near = candidates.filter((c) => c.alertnameMatched).slice(0, 3);
    const why =
      near.length > 0
        ? `; nearest: ${near.map((c) => `${c.id} (${c.failures.join("; ")})`).join(" | ")}`
        : `; no runbook handles alert ${alertname}`;
    return {
      ok: false,
      reason: "no-match",
      message: `no runbook matches ${alertname}${why}`,
      candidates: near,
    };
  }
  const top = Math.max(...full.map((e) => e.cand.specificity));
  const best = full.filter((e) => e.cand.specificity === top);
  if (best.length > 1) {
    const ids = best.map((e) => `${e.entry.runbook.id} (${e.entry.file})`).sort();
    return {
      ok: false,
      reason: "tie",
      message: `${best.length} runbooks match with the same specificity ${top}: ${ids.join(", ")}; make one more specific or disable one`,
      candidates: best.map((e) => e.cand),
    };
  }
  const winner = best[0]!;
  return { ok: true, entry: winner.entry, specificity: top, candidates };
}

/** Conditions of a runbook: the alert name, each label selector, and the reasons (one condition). */
export function evaluateRunbook(
  runbook: Runbook,
  incident: Pick<Incident, "labels">,
  ctx: Pick<MatchContext, "reasons" | "clusterKnown">,
): MatchCandidate {
  const failures: string[] = [];
  let held = 0;
  const alertname = incident.labels["alertname"] ?? "";
  const alertnameMatched = runbook.match.alertnames.includes(alertname);
  if (alertnameMatched) held++;
  else
    failures.push(`alertname ${alertname || "(none)"} is not one of ${runbook.match.alertnames.join(", ")}`);
  for (const m of runbook.match.labels) {
    if (labelMatches(m, incident.labels[m.name])) held++;
    else
      failures.push(
        `label ${m.name}${m.op}"${m.value}" does not hold (${m.name}="${incident.labels[m.name] ?? ""}")`,
      );
  }
  if (runbook.match.reasons.length > 0) {
    if (runbook.match.reasons.some((r) => ctx.reasons.includes(r))) held++;
    else if (!ctx.clusterKnown)
      failures.push(
        `needs cluster facts showing ${runbook.match.reasons.join(" or ")}; the cluster is unknown`,
      );
    else
      failures.push(
        `cluster shows ${ctx.reasons.length > 0 ? ctx.reasons.join(", ") : "no reason"}, not ${runbook.match.reasons.join(" or ")}`,
      );
  }
  return {
    id: runbook.id,
    version: runbook.version,
    specificity: held,
    matched: failures.length === 0,
    alertnameMatched,
    failures,
  };
}

/** Alertmanager semantics: a missing label is the empty string; regexes are anchored at both ends. */
export function labelMatches(m: LabelMatcher, actual: string | undefined): boolean {
  const v = actual ?? "";
  switch (m.op) {
    case "=":
      return v === m.value;
    case "!=":
      return v !== m.value;
    case "=~":
      return new RegExp(`^(?:${m.value})$`).test(v);
    case "!~":
      return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

function byCloseness(a: MatchCandidate, b: MatchCandidate): number {
  return b.specificity - a.specificity || a.failures.length - b.failures.length || a.id.localeCompare(b.id);
}
