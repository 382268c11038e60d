// Expiry bands for highlighting batches. The engine computes each batch's
// band and days to expiry from the store's local date (its time zone), so
// the UI only maps them to colours and words; colour is never the only cue.
import type { ExpiryBand } from "../bindings/ExpiryBand";

/** CSS class of a band (row background and badge colour). */
export function bandClass(band: ExpiryBand): string {
  switch (band) {
    case "expired":
      return "exp-expired";
    case "within7_days":
      return "exp-within7";
    case "within30_days":
      return "exp-within30";
    case "within90_days":
      return "exp-within90";
    case "ok":
    case "no_expiry":
      return "";
  }
}

/** Words for a batch's expiry, e.g. "3 days left", "expired 2 days ago". */
export function expiryLabel(band: ExpiryBand, days: number | null): string {
  if (band === "no_expiry" || days === null) return "no expiry";
  if (days < 0) return `expired ${-days} day${days === -1 ? "" : "s"} ago`;
  if (days === 0) return "expires today";
  return `${days} day${days === 1 ? "" : "s"} left`;
}

/** The legend shown above batch tables. */
export const BAND_LEGEND: readonly { band: ExpiryBand; label: string }[] = [
  { band: "expired", label: "Expired" },
  { band: "within7_days", label: "≤ 7 days" },
  { band: "within30_days", label: "≤ 30 days" },
  { band: "within90_days", label: "≤ 90 days" },
];

/** Today's local date as "YYYY-MM-DD" (for default dates in forms). */
export function localToday(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}
