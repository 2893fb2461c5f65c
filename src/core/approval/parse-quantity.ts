import { parseQuantity as parseQuantityText } from "../util/parse-quantity.js";

/**
 * A Kubernetes resource quantity (`10Gi`, `500M`, `1.5Ti`, `1e3`, `100m`) as a number of base units, or
 * `null` when the value is not a non-negative quantity. Numbers written in YAML without quotes are accepted
 * too (the classifier reads parsed manifests, where `replicas: 3` and `storage: 10Gi` differ in type).
 */
export function parseQuantity(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string") return null;
  const n = parseQuantityText(value);
  return n === undefined || n < 0 ? null : n;
}
