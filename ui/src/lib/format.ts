// Formatting helpers. Quantities and money are decimal strings from the engine;
// they are shown as given (never parsed into floats) so nothing is rounded.
// Screens format with useFormat() (lib/locale.tsx: the store's locale, currency
// and time zone); formatInstant and formatQuantity remain for the till until
// it moves over.

/** An RFC 3339 instant in the user's local time, "2026-11-22 14:05". */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A decimal string with a unit, "12.5 ml". */
export function formatQuantity(quantity: string | null | undefined, unit?: string | null): string {
  if (quantity === null || quantity === undefined) return "";
  return unit ? `${quantity} ${unit}` : quantity;
}

/** Empty strings become undefined, so optional request fields are omitted. */
export function optional(value: string): string | undefined {
  const v = value.trim();
  return v === "" ? undefined : v;
}

/** A short id for display ("0193a…f4c2"). */
export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}
