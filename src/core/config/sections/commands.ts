import { z } from "zod";
import { Duration } from "../../util/duration.js";

/** Slash commands in issue and pull request comments. */
export const CommandsConfig = z.strictObject({
  /** Whether the bot answers slash commands in this repository. */
  enabled: z.boolean().default(true),
  /** Per-user rate limit on commands. */
  rateLimit: z
    .strictObject({
      /** Commands one person may run per window; further ones are refused until the window moves on. */
      perUser: z.number().int().min(1).max(100).default(10),
      /** The window, e.g. `1m`. */
      window: Duration.default("1m"),
    })
    .prefault({}),
});
export type CommandsConfig = z.infer<typeof CommandsConfig>;
