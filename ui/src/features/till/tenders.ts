// Tender names. The engine keys tenders by code (`cash`, `card`, any the
// store configures such as `mobile_money`); the usual ones are translated,
// a store's own code is shown as words ("mobile_money" → "Mobile money").
import { i18next } from "../../i18n";

const KNOWN: Record<string, () => string> = {
  cash: () => i18next.t("Cash"),
  card: () => i18next.t("Card"),
  transfer: () => i18next.t("Transfer"),
  mobile_money: () => i18next.t("Mobile money"),
  cheque: () => i18next.t("Cheque"),
  voucher: () => i18next.t("Voucher"),
  insurance: () => i18next.t("Insurance"),
};

/** A tender's name for people. */
export function tenderLabel(code: string): string {
  const known = KNOWN[code];
  if (known) return known();
  const s = code.replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}
