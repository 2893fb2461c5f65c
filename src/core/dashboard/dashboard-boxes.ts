import { z } from "zod";
import type { DashboardState } from "./dashboard-model.js";

/** What a dashboard checkbox stands for. */
export type DashboardBox =
  | { kind: "pause" }
  | { kind: "approve" | "hold" | "retry"; pr: number }
  | { kind: "tune"; proposal: string };

const BOX_LINE = /^\s*[-*] \[( |x|X)\] .*<!-- medic:box ([A-Za-z0-9_:.-]{1,200}) -->\s*$/;
const STATE_RE = /^<!-- medic:dashboard-state (\{[^\n]*\}) -->$/m;

const StoredState = z.strictObject({
  paused: z.boolean(),
  pausedBy: z.string().max(100).optional(),
  pausedAt: z.string().max(40).optional(),
});

/** The id written into a box's hidden marker. */
export function boxId(box: DashboardBox): string {
  switch (box.kind) {
    case "pause":
      return "pause";
    case "tune":
      return `tune:${box.proposal}`;
    default:
      return `${box.kind}:${box.pr}`;
  }
}

/** The box an id names, or null for an id the bot never writes. */
export function parseBoxId(id: string): DashboardBox | null {
  if (id === "pause") return { kind: "pause" };
  const m = /^(approve|hold|retry):(\d{1,9})$/.exec(id);
  if (m) return { kind: m[1] as "approve" | "hold" | "retry", pr: Number(m[2]) };
  if (id.startsWith("tune:") && id.length > 5) return { kind: "tune", proposal: id.slice(5) };
  return null;
}

/** Every box of a body with its checked state, by id (the first occurrence of an id wins). */
export function readBoxes(body: string | null | undefined): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const line of (body ?? "").split(/\r?\n/)) {
    const m = BOX_LINE.exec(line);
    if (m && !out.has(m[2]!)) out.set(m[2]!, m[1] !== " ");
  }
  return out;
}

/**
 * The boxes a person changed between two versions of the body. Only boxes present in both count: a box
 * typed into the body by hand (it was not in the bot's version) is never acted on.
 */
export function diffBoxes(
  before: string | null | undefined,
  after: string | null | undefined,
): { id: string; box: DashboardBox; checked: boolean }[] {
  const a = readBoxes(before);
  const b = readBoxes(after);
  const out: { id: string; box: DashboardBox; checked: boolean }[] = [];
  for (const [id, checked] of b) {
    const was = a.get(id);
    if (was === undefined || was === checked) continue;
    const box = parseBoxId(id);
    if (box) out.push({ id, box, checked });
  }
  return out;
}

/** The hidden state block. `<`, `>` and `&` are JSON-escaped so it cannot end the comment. */
export function renderDashboardState(state: DashboardState): string {
  const json = JSON.stringify(StoredState.parse(state)).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `<!-- medic:dashboard-state ${json} -->`;
}

/** The state in a dashboard body; a missing or unreadable block is "not paused". */
export function readDashboardState(body: string | null | undefined): DashboardState {
  const m = STATE_RE.exec(body ?? "");
  if (!m) return { paused: false };
  try {
    const r = StoredState.safeParse(JSON.parse(m[1]!));
    return r.success ? r.data : { paused: false };
  } catch {
    return { paused: false };
  }
}
