// Exact arithmetic on the engine's decimal strings ("12.5", "-0.0125") for
// the few sums the screens show before acting (a batch's value, the total
// of a preview): scaled BigInts, never floats. The engine stays the
// authority for every amount it stores.

interface Scaled {
  units: bigint;
  scale: number;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

function parse(s: string): Scaled | null {
  const m = DECIMAL.exec(s.trim());
  if (!m) return null;
  const frac = m[3] ?? "";
  const units = BigInt(`${m[2]}${frac}`);
  return { units: m[1] ? -units : units, scale: frac.length };
}

function align(a: Scaled, scale: number): bigint {
  return a.units * 10n ** BigInt(scale - a.scale);
}

function show({ units, scale }: Scaled): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  let int = scale ? digits.slice(0, -scale) : digits;
  let frac = scale ? digits.slice(-scale) : "";
  frac = frac.replace(/0+$/, "");
  int = int || "0";
  const body = frac ? `${int}.${frac}` : int;
  return negative && body !== "0" ? `-${body}` : body;
}

/** a × b, exactly; null when either is not a decimal. */
export function mulDecimal(a: string | null | undefined, b: string | null | undefined): string | null {
  const x = a == null ? null : parse(a);
  const y = b == null ? null : parse(b);
  if (!x || !y) return null;
  return show({ units: x.units * y.units, scale: x.scale + y.scale });
}

/** The sum of decimals, exactly (what is not a decimal counts as nothing). */
export function sumDecimals(values: readonly (string | null | undefined)[]): string {
  let total: Scaled = { units: 0n, scale: 0 };
  for (const v of values) {
    const x = v == null ? null : parse(v);
    if (!x) continue;
    const scale = Math.max(total.scale, x.scale);
    total = { units: align(total, scale) + align(x, scale), scale };
  }
  return show(total);
}

/** True when the decimal is zero ("0", "0.000"). */
export function isZeroDecimal(s: string | null | undefined): boolean {
  const x = s == null ? null : parse(s);
  return x !== null && x.units === 0n;
}
