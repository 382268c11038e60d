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

/**
 * a ÷ b to `places` decimals, rounded half away from zero, exactly; null when
 * either is not a decimal or b is zero. For previews only (a vial's strength
 * before it is opened); the engine computes what it stores.
 */
export function divDecimal(a: string | null | undefined, b: string | null | undefined, places = 3): string | null {
  const x = a == null ? null : parse(a);
  const y = b == null ? null : parse(b);
  if (!x || !y || y.units === 0n) return null;
  // x.units/10^xs ÷ y.units/10^ys = x.units·10^ys / (y.units·10^xs); scaled by 10^places.
  const num = x.units * 10n ** BigInt(y.scale + places);
  const den = y.units * 10n ** BigInt(x.scale);
  const negative = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  let q = n / d;
  if ((n % d) * 2n >= d) q += 1n;
  return show({ units: negative ? -q : q, scale: places });
}

/** A decimal scaled by 10^-`places` (units per mL → units per 0.1 mL), exactly. */
export function shiftDecimal(a: string | null | undefined, places: number): string | null {
  const x = a == null ? null : parse(a);
  if (!x) return null;
  return show({ units: x.units, scale: x.scale + places });
}

/** a − b, exactly; null when either is not a decimal. */
export function subDecimal(a: string | null | undefined, b: string | null | undefined): string | null {
  const y = b == null ? null : parse(b);
  if (a == null || !parse(a) || !y) return null;
  return sumDecimals([a, show({ units: -y.units, scale: y.scale })]);
}

/** True when the text is a plain decimal ("12.5"). */
export function isDecimal(s: string | null | undefined): boolean {
  return s != null && parse(s) !== null;
}

/** Compares two decimals: -1, 0 or 1; null when either is not a decimal. */
export function compareDecimal(a: string | null | undefined, b: string | null | undefined): -1 | 0 | 1 | null {
  const d = subDecimal(a, b);
  if (d === null) return null;
  return isZeroDecimal(d) ? 0 : d.startsWith("-") ? -1 : 1;
}
