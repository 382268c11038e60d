// Disposing of a held lot (quarantined, recalled, damaged or expired):
// wasted with a reason, or returned to its supplier; all that is free on the
// lot unless a quantity is given. Managers only; the engine refuses an
// available lot.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { BatchListRow } from "../../bindings/BatchListRow";
import type { Disposal } from "../../bindings/Disposal";
import type { WasteReason } from "../../bindings/WasteReason";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { optional } from "../../lib/format";
import { useFormat } from "../../lib/locale";
import { useCommandMutation } from "../../lib/queries";
import { WASTE_REASONS, wasteReasonLabel } from "../clinic/labels";

const FIELDS = { quantity: "Quantity", waste_reason: "Waste reason", notes: "Notes" };

/** Whether a lot in this state can be disposed of. */
export function mayDispose(status: BatchListRow["status"]): boolean {
  return status === "quarantine" || status === "recalled" || status === "damaged" || status === "expired";
}

export function DisposeBatchDialog({ batch, onClose, onDone }: { batch: BatchListRow; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [method, setMethod] = useState<Disposal>("waste");
  const [reason, setReason] = useState<WasteReason>(batch.status === "recalled" ? "recall" : batch.status === "expired" ? "expired_unused" : "damaged");
  const [quantity, setQuantity] = useState("");
  const [notes, setNotes] = useState("");
  const dispose = useCommandMutation("dispose_batch");

  function submit(e: FormEvent) {
    e.preventDefault();
    dispose.mutate(
      { batch_id: batch.batch_id, method, quantity: optional(quantity), waste_reason: method === "waste" ? reason : undefined, notes: optional(notes) },
      {
        onSuccess: () =>
          onDone(
            method === "waste"
              ? t("Disposed of lot {{lot}} as waste.", { lot: batch.batch_number })
              : t("Returned lot {{lot}} to its supplier.", { lot: batch.batch_number }),
          ),
      },
    );
  }

  return (
    <Dialog title={t("Dispose of lot {{lot}}", { lot: batch.batch_number })} onClose={onClose} size="small" role="alertdialog">
      <form onSubmit={submit} className="grid">
        <p>{t("{{product}}: {{available}} free of {{onHand}} on hand.", { product: batch.product_name, available: f.qty(batch.available, batch.unit), onHand: f.qty(batch.quantity, batch.unit) })}</p>
        <Field label={t("How")}>
          {(id) => (
            <select id={id} value={method} onChange={(e) => setMethod(e.target.value as Disposal)}>
              <option value="waste">{t("Waste")}</option>
              <option value="return_to_supplier">{t("Return to supplier")}</option>
            </select>
          )}
        </Field>
        {method === "waste" && (
          <Field label={t("Waste reason")} error={fieldError(dispose.error, "waste_reason", t)}>
            {(id) => (
              <select id={id} value={reason} onChange={(e) => setReason(e.target.value as WasteReason)}>
                {WASTE_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {wasteReasonLabel(t, r)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label={t("Quantity")} hint={t("Leave empty for all that is free.")} error={fieldError(dispose.error, "quantity", t)}>
          {(id) => <input id={id} value={quantity} onChange={(e) => setQuantity(e.target.value)} inputMode="decimal" />}
        </Field>
        <Field label={t("Notes")} hint={t("Return note, destruction certificate…")}>
          {(id) => <input id={id} value={notes} onChange={(e) => setNotes(e.target.value)} />}
        </Field>
        <ErrorMessage error={dispose.error} fields={FIELDS} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t("Back")}
          </button>
          <button type="submit" className="danger" disabled={dispose.isPending}>
            {t("Dispose")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
