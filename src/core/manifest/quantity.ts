/**
 * Kubernetes resource quantities (`resource.Quantity`): `<number><suffix>` with binary suffixes
 * (Ki … Ei), decimal suffixes (n, u, m, "", k, M, G, T, P, E) or an exponent (`1e3`, `5E-2`).
 * Values are exact rationals so `1.5Gi` and `1536Mi` compare equal and nothing is lost to floating point.
 */

/** An exact quantity: `num / den` base units (bytes for storage). */
export interface Quantity {
  /** The text it was parsed from (or formatted to). */
  raw: string;
  num: bigint;
  den: bigint;
}

const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const DECIMAL: Record<string, [bigint, bigint]> = {
  n: [1n, 1_000_000_000n],
  u: [1n, 1_000_000n],
  m: [1n, 1000n],
  "": [1n, 1n],
  k: [1000n, 1n],
  M: [1_000_000n, 1n],
  G: [1_000_000_000n, 1n],
  T: [1_000_000_000_000n, 1n],
  P: [1_000_000_000_000_000n, 1n],
  E: [1_000_000_000_000_000_000n, 1n],
};

const QUANTITY_RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d{1,3}))?$/;

/** Parses a quantity; anything Kubernetes would reject is an error naming the text. */
export function parseQuantity(
  text: string,
): { ok: true; quantity: Quantity } | { ok: false; reason: string } {
  const raw = text.trim();
  // Real quantities are short; a bound keeps hostile inputs (1e999, 10,000 digits) cheap.
  const m = raw.length <= 40 ? QUANTITY_RE.exec(raw) : null;
  if (!m) return { ok: false, reason: `"${text}" is not a Kubernetes quantity (e.g. 10Gi, 500Mi, 1.5G)` };
  const [, sign, digits, suffix, exponent] = m as unknown as [string, string, string, string?, string?];
  const [intPart, fracPart = ""] = digits.split(".");
  let num = BigInt(`${intPart || "0"}${fracPart}`);
  let den = 10n ** BigInt(fracPart.length);
  if (exponent !== undefined) {
    const e = Number(exponent);
    if (Math.abs(e) > 30) return { ok: false, reason: `"${text}": exponent out of range` };
    if (e >= 0) num *= 10n ** BigInt(e);
    else den *= 10n ** BigInt(-e);
  } else if (suffix !== undefined && suffix in BINARY) {
    num *= BINARY[suffix] as bigint;
  } else {
    const [mul, div] = DECIMAL[suffix ?? ""] as [bigint, bigint];
    num *= mul;
    den *= div;
  }
  if (sign === "-") num = -num;
  return { ok: true, quantity: reduce({ raw, num, den }) };
}

/** -1, 0 or 1 as `a` is smaller than, equal to or larger than `b`. */
export function compareQuantity(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

/**
 * Formats a quantity with the largest suffix that keeps it a whole number: binary suffixes first
 * (`75Gi`), decimal ones with `system: "decimal"` (`80G`); a plain decimal number otherwise.
 */
export function formatQuantity(q: Quantity, system: "binary" | "decimal" = "binary"): string {
  const neg = q.num < 0n;
  const num = neg ? -q.num : q.num;
  const sign = neg ? "-" : "";
  if (num % q.den === 0n) {
    const whole = num / q.den;
    if (whole !== 0n) {
      const table =
        system === "binary"
          ? Object.entries(BINARY).reverse()
          : Object.entries(DECIMAL)
              .filter(([, [mul, div]]) => div === 1n && mul > 1n)
              .map(([s, [mul]]) => [s, mul] as const)
              .reverse();
      for (const [suffix, factor] of table) {
        if (whole % factor === 0n) return `${sign}${whole / factor}${suffix}`;
      }
    }
    return `${sign}${whole}`;
  }
  // Fractions: milli units when exact (`500m`), else the decimal expansion up to nano precision.
  if ((num * 1000n) % q.den === 0n) return `${sign}${(num * 1000n) / q.den}m`;
  const nano = (num * 1_000_000_000n + q.den - 1n) / q.den;
  return `${sign}${nano}n`;
}

/**
 * `q × factor`, rounded up to a whole multiple of `roundUpTo` (e.g. `1Gi`) when given: the usual way
 * to grow a volume by a percentage without ending up with odd sizes.
 */
export function scaleQuantity(q: Quantity, factor: number, roundUpTo?: Quantity): Quantity {
  if (!Number.isFinite(factor) || factor <= 0)
    throw new RangeError(`scale factor must be > 0, got ${factor}`);
  const f = parseQuantity(String(factor));
  if (!f.ok) throw new RangeError(`scale factor ${factor} cannot be represented exactly`);
  let num = q.num * f.quantity.num;
  let den = q.den * f.quantity.den;
  if (roundUpTo && roundUpTo.num > 0n) {
    // units = ceil((num/den) / (r.num/r.den))
    const a = num * roundUpTo.den;
    const b = den * roundUpTo.num;
    const units = (a + b - 1n) / b;
    num = units * roundUpTo.num;
    den = roundUpTo.den;
  }
  const out = reduce({ raw: "", num, den });
  return { ...out, raw: formatQuantity(out) };
}

function reduce(q: Quantity): Quantity {
  const g = gcd(q.num < 0n ? -q.num : q.num, q.den);
  return g > 1n ? { raw: q.raw, num: q.num / g, den: q.den / g } : q;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}
