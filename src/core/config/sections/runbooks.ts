import { z } from "zod";

/** Runbook settings of this repository. */
export const RunbooksConfig = z.strictObject({
  /**
   * Parameter values per runbook id, used when the alert does not carry them (runbook parameters whose
   * `from` lists `config`), e.g. `ingress-5xx: {namespace: shop, ingress: checkout}` for an aggregate
   * ingress-nginx 5xx alert without namespace or ingress labels. Validated like any other value.
   */
  parameters: z
    .record(
      z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a runbook id"),
      z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, "a parameter name"), z.string().max(500)),
    )
    .default({}),
});
export type RunbooksConfig = z.infer<typeof RunbooksConfig>;
