import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

interface ExampleEntry {
  name: string;
  actions: string[];
  examples: Record<string, unknown>[];
}

let cache: ExampleEntry[] | undefined;

/**
 * A real webhook payload shape from `@octokit/webhooks-examples` (recorded from GitHub), deep-copied so a
 * test may adjust it. `action` selects among the event's examples.
 */
export function webhookExample<T = Record<string, unknown>>(
  event: string,
  action?: string,
  pick: (p: Record<string, unknown>) => boolean = () => true,
): T {
  cache ??= require("@octokit/webhooks-examples/api.github.com/index.json") as ExampleEntry[];
  const entry = cache.find((e) => e.name === event);
  if (!entry) throw new Error(`no webhook example for event "${event}"`);
  const found = entry.examples.find((p) => (action === undefined || p["action"] === action) && pick(p));
  if (!found) throw new Error(`no webhook example for ${event}.${action ?? "*"}`);
  return structuredClone(found) as T;
}
