// What the store has paid its vendor for an order: unpaid, partly or fully
// paid, with the payment's reference. Shown once the order went out, to
// whoever may record payments (managers: set_purchase_order_payment); the
// engine refuses the rest.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { PaymentStatus } from "../../bindings/PaymentStatus";
import type { PurchaseOrder } from "../../bindings/PurchaseOrder";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { optional } from "../../lib/format";
import { useCommandMutation } from "../../lib/queries";

export const PAYMENT_LABEL: Record<PaymentStatus, string> = {
  unpaid: "Unpaid",
  partially_paid: "Partly paid",
  paid: "Paid",
};

const STATUSES: readonly PaymentStatus[] = ["unpaid", "partially_paid", "paid"];

/** The payment status as stored ("unpaid", …) in words. */
export function paymentText(t: (k: string) => string, status: string): string {
  return STATUSES.includes(status as PaymentStatus) ? t(PAYMENT_LABEL[status as PaymentStatus]) : status;
}

export function PaymentForm({ o, onDone }: { o: PurchaseOrder; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const pay = useCommandMutation("set_purchase_order_payment");
  const [status, setStatus] = useState<PaymentStatus>(o.payment_status === "unpaid" ? "paid" : "unpaid");
  const [reference, setReference] = useState("");

  function submit(e: FormEvent) {
    e.preventDefault();
    pay
      .mutateAsync({ purchase_order_id: o.id, payment_status: status, reference: optional(reference) })
      .then(() => onDone(t("Order {{label}} marked {{status}}.", { label: o.label, status: t(PAYMENT_LABEL[status]).toLowerCase() })), () => null);
  }

  return (
    <form aria-label={t("Record a payment")} onSubmit={submit}>
      <Field label={t("Payment")}>
        {(id) => (
          <select id={id} value={status} onChange={(e) => setStatus(e.target.value as PaymentStatus)}>
            {STATUSES.map((s) => (
              <option key={s} value={s} disabled={s === o.payment_status}>
                {t(PAYMENT_LABEL[s])}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("Payment reference")} hint={t("Transfer or cheque number")} error={fieldError(pay.error, "reference", t)}>
        {(id, a11y) => <input id={id} {...a11y} value={reference} onChange={(e) => setReference(e.target.value)} />}
      </Field>
      {!fieldError(pay.error, "reference", t) && <ErrorMessage error={pay.error} />}
      <button type="submit" disabled={pay.isPending}>
        {t("Record payment")}
      </button>
    </form>
  );
}
