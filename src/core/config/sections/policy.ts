import { z } from "zod";

/** Policy checks on pull requests. */
export const PolicyConfig = z.strictObject({
  /** Run the `medic/policy` check on pull requests. */
  enabled: z.boolean().default(true),
  /** Image registries allowed by the bundled `restrict-image-registries` policy. */
  allowedRegistries: z.array(z.string().min(1)).default([]),
  /** Bundled policies to turn off, by name. */
  disabledPolicies: z.array(z.string()).default([]),
  /** Glob patterns of files the check evaluates. */
  include: z.array(z.string()).default(["**/*.yaml", "**/*.yml"]),
  /** Glob patterns of files the check skips. */
  exclude: z.array(z.string()).default([".github/**"]),
});
export type PolicyConfig = z.infer<typeof PolicyConfig>;
