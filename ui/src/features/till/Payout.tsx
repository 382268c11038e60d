// After a return or a void: how much to pay the customer back and in which
// tender, big, in a dialog the cashier closes once the money is handed
// over. The amounts are the engine's answer: a return's `refund` in its
// `tender`; a void gives back each payment of the receipt it answers with.
import { useTranslation } from "react-i18next";

import type { Receipt } from "../../bindings/Receipt";
import type { ReturnResult } from "../../bindings/ReturnResult";
import { Kbd } from "../../components/Field";
import { useFormat } from "../../lib/locale";
import { formatMoney, isZeroMoney, parseMoney } from "./money";
import { TillDialog } from "./TillDialog";
import { tenderLabel } from "./tenders";

/** Money going back to the customer, per tender. */
export interface Payout {
  /** "Refund on sale …", "Void of sale …". */
  title: string;
  lines: { tender: string; amount: string }[];
}

/** A return's pay-out: the refund the engine worked out, in its tender. */
export function returnPayout(r: ReturnResult, title: string): Payout {
  return { title, lines: [{ tender: r.tender, amount: r.refund }] };
}

/**
 * A void's pay-out from the voided receipt: every payment goes back in its
 * own tender. Only cash gives change (the engine's settlement rule), so
 * the change the customer already got comes off the cash; with a single
 * tender that is exactly the receipt's total.
 */
export function voidPayout(r: Receipt, title: string): Payout {
  if (r.payments.length === 1 && r.payments[0]) return { title, lines: [{ tender: r.payments[0].tender, amount: r.total }] };
  let change = parseMoney(r.change) ?? 0n;
  const lines = r.payments.map((p) => {
    if (p.tender !== "cash" || change === 0n) return { tender: p.tender, amount: p.amount };
    const net = (parseMoney(p.amount) ?? 0n) - change;
    change = 0n;
    return { tender: p.tender, amount: formatMoney(net) };
  });
  return { title, lines: lines.filter((l) => !isZeroMoney(l.amount)) };
}

export function PayoutDialog({ payout, onDone }: { payout: Payout; onDone: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const nothing = payout.lines.length === 0 || payout.lines.every((l) => isZeroMoney(l.amount));
  return (
    <TillDialog title={nothing ? t("Nothing to pay back") : t("Pay the customer back")} onClose={onDone} role="alertdialog" className="payout" testId="payout">
      <p className="payout-title">{payout.title}</p>
      {!nothing && (
        <ul className="payout-lines">
          {payout.lines.map((l) => (
            <li key={l.tender} className="payout-line" data-payout-tender={l.tender}>
              {t("{{amount}} in {{tender}}", { amount: f.money(l.amount), tender: tenderLabel(l.tender) })}
            </li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        <button type="button" className="primary" onClick={onDone} autoFocus>
          {nothing ? t("Done") : t("Paid back")} <Kbd>{t("Esc")}</Kbd>
        </button>
      </div>
    </TillDialog>
  );
}
