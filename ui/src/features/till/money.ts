// Exact decimal arithmetic on the engine's money strings, for the payment
// form's previews only (what is still due, change to hand back). Amounts are
// scaled integers (BigInt), never floats. Totals, taxes, rounding and the
// change printed on the receipt always come from the engine.

const SCALE = 4;
const FACTOR = 10n ** BigInt(SCALE);

/** "12.50" → 125000n (4 decimals); null when not a plain decimal number. */
export function parseMoney(s: string): bigint | null {
  const t = s.trim();
  const m = /^(-)?(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const frac = (m[3] ?? "").padEnd(SCALE, "0");
  if (frac.length > SCALE && /[^0]/.test(frac.slice(SCALE))) return null;
  const v = BigInt(m[2] || "0") * FACTOR + BigInt(frac.slice(0, SCALE) || "0");
  return m[1] ? -v : v;
}

/** 125000n → "12.50" (at least 2 decimals, more only when needed). */
export function formatMoney(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const whole = a / FACTOR;
  let frac = (a % FACTOR).toString().padStart(SCALE, "0");
  while (frac.length > 2 && frac.endsWith("0")) frac = frac.slice(0, -1);
  return `${neg ? "-" : ""}${whole}.${frac}`;
}

/** Sum of decimal strings (invalid ones count as 0). */
export function sumMoney(values: readonly string[]): bigint {
  return values.reduce((acc, s) => acc + (parseMoney(s) ?? 0n), 0n);
}

/** a − b as a string; null when either is not a number. */
export function subtractMoney(a: string, b: string): string | null {
  const x = parseMoney(a);
  const y = parseMoney(b);
  return x === null || y === null ? null : formatMoney(x - y);
}

/** True for "0", "0.00", "-0"… */
export function isZeroMoney(s: string | null | undefined): boolean {
  return s === null || s === undefined || parseMoney(s) === 0n;
}

/** a − b for quantities: "100" − "48" → "52", "2.5" − "1" → "1.5"; null when not numbers. */
export function subtractQty(a: string, b: string): string | null {
  const r = subtractMoney(a, b);
  if (r === null) return null;
  return r.includes(".") ? r.replace(/\.?0+$/, "") : r;
}

/**
 * Rounds a scaled amount to a multiple of `increment` (half away from zero),
 * as the engine rounds what is paid in cash; increment 0 leaves it as it is.
 */
export function roundToIncrement(v: bigint, increment: bigint): bigint {
  if (increment <= 0n) return v;
  const neg = v < 0n;
  const a = neg ? -v : v;
  const r = ((2n * a + increment) / (2n * increment)) * increment;
  return neg ? -r : r;
}

/** The smallest quick-cash step: one cent of the currency, scaled. */
const MIN_STEP = FACTOR / 100n;

/**
 * Quick-cash amounts for `due` (scaled): the notes a customer hands over,
 * as the next multiples above it of round steps on a 1-5 ladder (…, 100,
 * 500, 1000, 5000, …) that starts at the power of ten near a tenth of the
 * amount. ₦5,070 → 5,100 · 5,500 · 6,000 · 10,000; ₦190 → 200 · 500 ·
 * 1,000; $12.37 → 13 · 15 · 20 · 50. Only amounts above `due` (exact cash
 * has its own button) and at most ten times it; at most `count`,
 * ascending. Exact bigint arithmetic: no float touches an amount.
 */
export function quickCashAmounts(due: bigint, count = 4): bigint[] {
  if (due <= 0n) return [];
  const out: bigint[] = [];
  let rung = MIN_STEP;
  while (rung * 10n * 10n <= due) rung *= 10n;
  for (; rung <= due * 10n && out.length < count; rung *= 10n) {
    for (const step of [rung, rung * 5n]) {
      const amount = ((due + step - 1n) / step) * step;
      if (amount > due && amount <= due * 10n && out[out.length - 1] !== amount && out.length < count) out.push(amount);
    }
  }
  return out;
}
