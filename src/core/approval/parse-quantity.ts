const BINARY = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 } as const;
const DECIMAL = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
} as const;

/**
 * A Kubernetes resource quantity (`10Gi`, `500M`, `1.5Ti`, `1e3`, `100m`) as a number of base units, or
 * `null` when the text is not a quantity. Numbers written in YAML without quotes are accepted too.
 */
export function parseQuantity(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value !== "string") return null;
  const m = /^([+]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E))?$/.exec(
    value.trim(),
  );
  if (!m) return null;
  const base = Number(m[1]);
  if (m[2]) return base * BINARY[m[2] as keyof typeof BINARY];
  if (m[3]) return base * 10 ** Number(m[3].slice(1));
  return base * DECIMAL[(m[4] ?? "") as keyof typeof DECIMAL];
}
