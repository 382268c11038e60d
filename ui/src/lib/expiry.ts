// Expiry bands for highlighting batches. The engine computes each batch's
// band and days to expiry from the store's local date (its time zone), so
// the UI only maps them to colours and words; colour is never the only cue.
import i18next from "i18next";

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

/** Words for a batch's expiry, e.g. "3 days left", "expired 2 days ago" (translated). */
export function expiryLabel(band: ExpiryBand, days: number | null): string {
  const t = i18next.t;
  if (band === "no_expiry" || days === null) return t("no expiry");
  if (days < 0) return t("expired {{count}} days ago", { count: -days });
  if (days === 0) return t("expires today");
  return t("{{count}} days left", { count: days });
}

/** The legend shown above batch tables; `label` is an English key for t(). */
export const BAND_LEGEND: readonly { band: ExpiryBand; label: string }[] = [
  { band: "expired", label: "Expired" },
  { band: "within7_days", label: "≤ 7 days" },
  { band: "within30_days", label: "≤ 30 days" },
  { band: "within90_days", label: "≤ 90 days" },
];
