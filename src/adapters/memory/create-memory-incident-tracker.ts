import { parseIncidentState } from "../../core/incident/incident-state.js";
import { parseMarker } from "../../core/markdown/parse-marker.js";
import type { Clock } from "../../workflows/ports/clock.js";
import type { IncidentTracker, IssueDraft, TrackedIssue } from "../../workflows/ports/incident-tracker.js";

export interface MemoryIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: "open" | "closed";
  closedAt?: number;
  comments: string[];
}

/** A write the tracker received, with its time: what a benchmark or a test counts. */
export interface MemoryWrite {
  at: number;
  kind: "create" | "update" | "labels" | "comment";
  number: number;
}

/**
 * Incident issues in memory, with the same idempotency rules as the GitHub tracker. For the simulator
 * and workflow tests; `writes` records every write with its time.
 */
export function createMemoryIncidentTracker(clock: Clock, repo = "example/incidents") {
  const issues: MemoryIssue[] = [];
  const writes: MemoryWrite[] = [];
  const tracked = (i: MemoryIssue): TrackedIssue => ({
    number: i.number,
    url: `https://github.com/${repo}/issues/${i.number}`,
    state: i.state,
    ...(i.closedAt !== undefined ? { closedAt: i.closedAt } : {}),
    key: parseMarker(i.body, "incident") ?? "",
    incident: parseIncidentState(i.body),
    labels: [...i.labels],
    body: i.body,
  });
  const get = (n: number) => {
    const i = issues.find((x) => x.number === n);
    if (!i) throw new Error(`no issue #${n}`);
    return i;
  };
  const tracker: IncidentTracker = {
    repo,
    async listOpen() {
      return issues.filter((i) => i.state === "open" && parseMarker(i.body, "incident")).map(tracked);
    },
    async listClosedSince(sinceMs) {
      return issues
        .filter(
          (i) => i.state === "closed" && (i.closedAt ?? 0) >= sinceMs && parseMarker(i.body, "incident"),
        )
        .map(tracked);
    },
    async create(draft: IssueDraft) {
      const existing = issues.find(
        (i) => parseMarker(i.body, "incident") === draft.key && i.state === "open",
      );
      if (existing) return { ...tracked(existing), existed: true };
      const issue: MemoryIssue = {
        number: issues.length + 1,
        title: draft.title,
        body: draft.body,
        labels: [...draft.labels],
        state: "open",
        comments: [],
      };
      issues.push(issue);
      writes.push({ at: clock.now(), kind: "create", number: issue.number });
      return tracked(issue);
    },
    async get(number) {
      const i = issues.find((x) => x.number === number);
      return i && parseMarker(i.body, "incident") ? tracked(i) : null;
    },
    async update(number, patch) {
      const i = get(number);
      if (patch.title !== undefined) i.title = patch.title;
      if (patch.body !== undefined) i.body = patch.body;
      if (patch.labels !== undefined) i.labels = [...patch.labels];
      if (patch.state !== undefined && patch.state !== i.state) {
        i.state = patch.state;
        i.closedAt = patch.state === "closed" ? clock.now() : undefined;
      }
      writes.push({ at: clock.now(), kind: "update", number });
    },
    async addLabels(number, labels) {
      const i = get(number);
      for (const l of labels) if (!i.labels.includes(l)) i.labels.push(l);
      writes.push({ at: clock.now(), kind: "labels", number });
    },
    async comment(number, body, markerId, _opts) {
      const i = get(number);
      if (i.comments.some((c) => parseMarker(c, "incident-comment") === markerId)) return;
      i.comments.push(body);
      writes.push({ at: clock.now(), kind: "comment", number });
    },
  };
  return { tracker, issues, writes };
}
