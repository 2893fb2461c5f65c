import { z } from "zod";
import { Duration } from "../../util/duration.js";

/** Alert-noise analysis thresholds. */
export const NoiseConfig = z.strictObject({
  /** A reopen within this window after resolving counts as a flap. */
  flapWindow: Duration.default("1h"),
  /** Resolving by itself within this time with no action counts as self-resolving. */
  selfResolveWithin: Duration.default("10m"),
  /** An alert is noisy when it fired at least this many times in the analysed period… */
  minFirings: z.number().int().min(1).default(5),
  /** …and this share (0–1) of its firings flapped or resolved by themselves. */
  noisyRatio: z.number().min(0).max(1).default(0.6),
});
export type NoiseConfig = z.infer<typeof NoiseConfig>;
