/**
 * Deterministic JSON: object keys sorted, no whitespace, `undefined` members dropped. Two records with the
 * same content always hash the same, whatever order their producer wrote the keys in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError("non-finite number");
    const s = JSON.stringify(value);
    if (s === undefined) throw new TypeError(`cannot serialise ${typeof value}`);
    return s;
  }
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
