// The clinic's enums in words, through t(), in one place so that every
// screen names a waste reason, a close reason or a clock the same way.
import type { TFunction } from "i18next";

import type { CloseReason } from "../../bindings/CloseReason";
import type { VialClock } from "../../bindings/VialClock";
import type { VialStatus } from "../../bindings/VialStatus";
import type { WasteReason } from "../../bindings/WasteReason";

type T = TFunction;

/** Every waste reason, in the order the pickers offer them. */
export const WASTE_REASONS: readonly WasteReason[] = [
  "draw_up_loss",
  "contamination",
  "damaged",
  "patient_no_show",
  "adverse_reaction_discard",
  "training",
  "expired_unused",
  "stability_exceeded",
  "recall",
  "temperature_excursion",
];

/** A waste reason in words. */
export function wasteReasonLabel(t: T, reason: WasteReason): string {
  switch (reason) {
    case "expired_unused":
      return t("Expired, unused");
    case "stability_exceeded":
      return t("Past its beyond-use time");
    case "contamination":
      return t("Contamination");
    case "draw_up_loss":
      return t("Draw-up loss (syringe and needle dead space)");
    case "patient_no_show":
      return t("Patient did not come");
    case "adverse_reaction_discard":
      return t("Discarded after an adverse reaction");
    case "training":
      return t("Training");
    case "damaged":
      return t("Damaged (vial lost its vacuum, spill)");
    case "recall":
      return t("Recall");
    case "temperature_excursion":
      return t("Cold-chain breach");
  }
}

/** A close reason in words. */
export function closeReasonLabel(t: T, reason: CloseReason): string {
  switch (reason) {
    case "depleted":
      return t("Used up");
    case "expired":
      return t("Lot expired");
    case "stability_exceeded":
      return t("Past its beyond-use time");
    case "contamination":
      return t("Contamination");
    case "manual_close":
      return t("Closed by hand");
    case "recall":
      return t("Recall");
  }
}

/** Which clock applies, in words. */
export function clockLabel(t: T, clock: VialClock): string {
  switch (clock) {
    case "label":
      return t("Label");
    case "policy":
      return t("Clinic policy");
    case "none":
      return t("None");
  }
}

/** A vial's state in words. */
export function vialStatusLabel(t: T, status: VialStatus): string {
  switch (status) {
    case "active":
      return t("Open");
    case "expired":
      return t("Expired");
    case "depleted":
      return t("Used up");
    case "discarded":
      return t("Discarded");
  }
}

/** Minutes left in a window in words ("3 h 20 min left", "past by 15 min"). */
export function minutesLeftLabel(t: T, minutes: number | null): string {
  if (minutes === null) return t("No limit");
  const past = minutes < 0;
  const m = Math.abs(minutes);
  const h = Math.floor(m / 60);
  const span = h > 0 ? t("{{h}} h {{m}} min", { h, m: m % 60 }) : t("{{m}} min", { m });
  return past ? t("past by {{span}}", { span }) : t("{{span}} left", { span });
}
