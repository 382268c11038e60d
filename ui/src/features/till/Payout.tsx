// After a return or a void: how much to pay the customer back and in which
// tender, big, in a dialog the cashier closes once the money is handed
// over. The amounts are the engine's answer, never worked out here: a
// return's and a voided receipt's `pay_out` (per tender, the change a void's
// cash already gave taken off, tenders left at nothing dropped).
import { useTranslation } from "react-i18next";

import type { TenderPayout } from "../../bindings/TenderPayout";
import { Kbd } from "../../components/Field";
import { useFormat } from "../../lib/locale";
import { TillDialog } from "./TillDialog";
import { tenderLabel } from "./tenders";

/** Money going back to the customer, per tender. */
export interface Payout {
  /** "Refund on sale …", "Void of sale …". */
  title: string;
  /** The engine's `pay_out`: what to hand back, per tender. */
  lines: readonly TenderPayout[];
}

/** The pay-out of a return (`ReturnResult`) or a void (the voided `Receipt`), as the engine gave it. */
export function payoutOf(answer: { pay_out: readonly TenderPayout[] }, title: string): Payout {
  return { title, lines: answer.pay_out };
}

export function PayoutDialog({ payout, onDone }: { payout: Payout; onDone: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const nothing = payout.lines.length === 0;
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
