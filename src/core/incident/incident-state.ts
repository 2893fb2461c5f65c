import type { Incident } from "./incident.js";

const PREFIX = "<!-- medic:state ";
const SUFFIX = " -->";

/**
 * The incident's machine state, kept in its own issue body so the bot recovers it after a restart from
 * the issues list alone. `<`, `>` and `&` are JSON-escaped, so the text can never end the HTML comment.
 */
export function renderIncidentState(inc: Incident): string {
  const json = JSON.stringify({ v: 1, incident: inc }).replace(/[<>&]/g, (c) =>
    c === "<" ? "\\u003c" : c === ">" ? "\\u003e" : "\\u0026",
  );
  return `${PREFIX}${json}${SUFFIX}`;
}

/** The state written by `renderIncidentState`, or `null` when absent or unreadable (never throws). */
export function parseIncidentState(body: string | null | undefined): Incident | null {
  if (!body) return null;
  for (const line of body.split(/\r?\n/)) {
    const t = line.trim();
    if (!t.startsWith(PREFIX) || !t.endsWith(SUFFIX)) continue;
    try {
      const parsed = JSON.parse(t.slice(PREFIX.length, -SUFFIX.length)) as {
        v?: number;
        incident?: Incident;
      };
      const inc = parsed.incident;
      if (parsed.v !== 1 || !inc || typeof inc.key !== "string" || !Array.isArray(inc.signals)) return null;
      return inc;
    } catch {
      return null;
    }
  }
  return null;
}
